"""Text kept zlib-compressed as UTF-8: how the database stores article text and raw pages, and
how a raw page travels back from an analysis worker. A 50 KB page is 5–10 KB packed; as a str
it can take twice its length, since one character beyond Latin-1 makes CPython store every
character in two bytes."""

from __future__ import annotations

import zlib

LEVEL = 6


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack_text(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")
