"""Text kept zlib-compressed as UTF-8, and bytes kept zlib-compressed: how the database stores
article text and fetched pages, and how a page travels back from an analysis worker. A 50 KB
page is 5–10 KB packed; decoded to a str it can take twice its length, since one character
beyond Latin-1 makes CPython store every character in two bytes."""

from __future__ import annotations

import zlib

LEVEL = 6


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack_text(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def pack_bytes(data: bytes) -> bytes:
    return zlib.compress(data, LEVEL)


def unpack_bytes(blob: bytes) -> bytes:
    return zlib.decompress(blob)
