"""Content decoding with a size cap after decompression: gzip, deflate and brotli, chained as the
Content-Encoding header lists them, stopping as soon as the decoded body passes the cap."""

from __future__ import annotations

import zlib
from typing import Any

import brotli
import httpx

from laborwatch.ingest.fetch_result import FetchFailure

CHUNK = 65_536


class TooLarge(Exception):
    pass


class _Stage:
    def feed(self, data: bytes) -> bytes:
        raise NotImplementedError

    def finish(self) -> bytes:
        return b""


class _ZlibStage(_Stage):
    def __init__(self, wbits: int | None, cap: int) -> None:
        self._wbits = wbits  # None: deflate, decided on the first bytes (zlib-wrapped or raw)
        self._cap = cap
        self._total = 0
        self._obj: Any = None if wbits is None else zlib.decompressobj(wbits)

    def _take(self, chunk: bytes) -> bytes:
        self._total += len(chunk)
        if self._total > self._cap:
            raise TooLarge
        return chunk

    def feed(self, data: bytes) -> bytes:
        if self._obj is None:
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            self._wbits = wbits
            self._obj = zlib.decompressobj(wbits)
        out = []
        while data:
            out.append(self._take(self._obj.decompress(data, self._cap - self._total + 1)))
            if self._obj.unconsumed_tail:
                data = self._obj.unconsumed_tail
            elif self._obj.eof and self._obj.unused_data.strip(b"\x00"):
                data = self._obj.unused_data  # another gzip member follows
                self._obj = zlib.decompressobj(self._wbits or zlib.MAX_WBITS)
            else:
                break
        return b"".join(out)

    def finish(self) -> bytes:
        if self._obj is None:
            return b""
        return self._take(self._obj.flush())


class _BrotliStage(_Stage):
    def __init__(self, cap: int) -> None:
        self._obj = brotli.Decompressor()
        self._cap = cap
        self._total = 0

    def feed(self, data: bytes) -> bytes:
        out = []
        chunk = self._obj.process(data, output_buffer_limit=CHUNK)
        while True:
            self._total += len(chunk)
            if self._total > self._cap:
                raise TooLarge
            out.append(chunk)
            if self._obj.can_accept_more_data() or self._obj.is_finished():
                break
            chunk = self._obj.process(b"", output_buffer_limit=CHUNK)
        return b"".join(out)


def decoding_stages(content_encoding: str | None, cap: int) -> list[_Stage]:
    """Decoders in the order to apply them (the reverse of the order the server applied them)."""
    names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
    stages: list[_Stage] = []
    for name in reversed(names):
        if name in ("gzip", "x-gzip"):
            stages.append(_ZlibStage(16 + zlib.MAX_WBITS, cap))
        elif name == "deflate":
            stages.append(_ZlibStage(None, cap))
        elif name == "br":
            stages.append(_BrotliStage(cap))
        elif name != "identity":
            raise FetchFailure(f"unsupported content encoding {name!r}", "soft")
    return stages


def decode_chain(stages: list[_Stage], data: bytes) -> bytes:
    for stage in stages:
        data = stage.feed(data)
    return data


def finish_chain(stages: list[_Stage]) -> bytes:
    tail = b""
    for stage in stages:
        tail = stage.feed(tail) + stage.finish() if tail else stage.finish()
    return tail


# --- helpers ------------------------------------------------------------------------------------


def read_capped_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The body as decoded, refused as soon as it passes `max_bytes` on the wire or decoded."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailure(
            f"response of {int(declared)} bytes exceeds the {max_bytes}-byte limit", "soft"
        )
    stages = decoding_stages(response.headers.get("content-encoding"), max_bytes)
    received = 0
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_raw(CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise TooLarge
            piece = decode_chain(stages, chunk)
            size += len(piece)
            if size > max_bytes:
                raise TooLarge
            parts.append(piece)
        tail = finish_chain(stages)
    except TooLarge:
        raise FetchFailure(
            f"response exceeds the {max_bytes}-byte limit (after decompression)", "soft"
        ) from None
    except (zlib.error, brotli.error) as exc:
        raise FetchFailure(f"cannot decompress the response: {exc}", "soft") from None
    size += len(tail)
    if size > max_bytes:
        raise FetchFailure(
            f"response exceeds the {max_bytes}-byte limit (after decompression)", "soft"
        )
    parts.append(tail)
    return b"".join(parts)
