"""Saved files that may be gzip-compressed (`page.html.gz`, `story.txt.gz`): what kind of file
is inside, and its bytes, with a cap on what decompression may produce (a gzip bomb is a few
kilobytes)."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"


class GzipError(ValueError):
    """Compressed data that cannot be read, or more than the cap once decompressed."""


def inner_suffix(path: Path) -> str:
    """The lower-case suffix of what the file holds: `.html` for page.html.gz as for page.html."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ""
    return suffixes[-1] if suffixes else ""


def gunzip_capped(data: bytes, limit: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            inner = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise GzipError(f"not a readable gzip file ({exc})") from None
    if len(inner) > limit:
        raise GzipError(f"more than {limit} bytes once decompressed")
    return inner


def maybe_gunzip(data: bytes, path: Path, limit: int) -> bytes:
    """The file's content: decompressed when it is gzip data (whatever its name), refused when
    its name ends in .gz but it is not."""
    if data.startswith(GZIP_MAGIC):
        return gunzip_capped(data, limit)
    if path.suffix.lower() == ".gz":
        raise GzipError("not a gzip file")
    return data
