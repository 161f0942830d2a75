"""The benchmark's HTTP server: one listening port per feed (each feed is its own outlet, so the
fetcher's per-host politeness applies as it would on the web), pages pre-rendered and gzipped,
ETag / If-None-Match answered with 304.

A minimal asyncio HTTP/1.1 server rather than http.server: it runs in its own process on the same
two cores as the pipeline, and at ~50 µs a request it stays out of the measurements.
Run: python -m benchmarks.server --feeds N --entries M --pages DIR --ports-file FILE
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import resource
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from benchmarks.workload import page_path, render_feed, render_page

_FEED = re.compile(r"^/feed/(\d+)\.xml$")
_PAGE = re.compile(r"^/news/(\d+)/(\d+)\.html$")


class Corpus:
    def __init__(self, feeds: int, entries: int, pages: Path) -> None:
        self.feeds = feeds
        self.entries = entries
        self.pages = pages
        self.first: dict[int, int] = {}  # feed -> its oldest listed entry (raised for new entries)
        self.ports: list[int] = []
        self.requests = 0
        self.not_modified = 0
        self._feeds: dict[tuple[int, int, int], bytes] = {}

    def feed(self, feed: int, query: str) -> tuple[bytes, str]:
        params = parse_qs(query)
        first = int(params.get("first", [self.first.get(feed, 0)])[0])
        count = int(params.get("count", [self.entries])[0])
        key = (feed, first, count)
        body = self._feeds.get(key)
        if body is None:
            base = f"http://127.0.0.1:{self.ports[feed]}"
            body = gzip.compress(render_feed(feed, first, count, base), 6)
            self._feeds[key] = body
        return body, f'"feed-{feed}-{first}-{count}"'

    def page(self, feed: int, entry: int) -> tuple[bytes, str]:
        path = self.pages / f"{feed}" / f"{entry}.html.gz"
        try:
            body = path.read_bytes()
        except FileNotFoundError:  # not pre-rendered: render once, keep it
            body = gzip.compress(render_page(feed, entry, ""), 6)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
        return body, f'"page-{feed}-{entry}"'


def prerender(pages: Path, feed: int, entries: range) -> None:
    for entry in entries:
        path = pages / f"{feed}" / f"{entry}.html.gz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(gzip.compress(render_page(feed, entry, ""), 6))


def _response(status: int, reason: str, headers: dict[str, str], body: bytes) -> bytes:
    head = [f"HTTP/1.1 {status} {reason}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class _Protocol(asyncio.Protocol):
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, rest = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
            lines = head.split("\r\n")
            method, target, _ = [*lines[0].split(" "), "", ""][:3]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if len(rest) < length:
                return
            body, self.buffer = rest[:length], rest[length:]
            assert self.transport is not None
            self.transport.write(self.handle(method, target, headers, body))
            if headers.get("connection", "").lower() == "close":
                self.transport.close()
                return

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
        corpus = self.corpus
        corpus.requests += 1
        parts = urlsplit(target)
        if method == "POST" and parts.path == "/_first":
            corpus.first = {int(k): int(v) for k, v in json.loads(body).items()}
            return _response(200, "OK", {}, b"ok")
        if parts.path == "/_stats":
            stats = {"requests": corpus.requests, "not_modified": corpus.not_modified}
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            stats["peak_rss_kib"] = rss
            return _response(200, "OK", {}, json.dumps(stats).encode())
        if method != "GET":
            return _response(405, "Method Not Allowed", {}, b"")
        if match := _FEED.match(parts.path):
            payload, etag = corpus.feed(int(match[1]), parts.query)
            content_type = "application/rss+xml; charset=utf-8"
        elif match := _PAGE.match(parts.path):
            payload, etag = corpus.page(int(match[1]), int(match[2]))
            content_type = "text/html; charset=utf-8"
        else:
            return _response(404, "Not Found", {}, b"not found")
        if headers.get("if-none-match") == etag:
            corpus.not_modified += 1
            return _response(304, "Not Modified", {"ETag": etag}, b"")
        out = {"Content-Type": content_type, "ETag": etag, "Cache-Control": "max-age=60"}
        if "gzip" in headers.get("accept-encoding", ""):
            out["Content-Encoding"] = "gzip"
        else:
            payload = gzip.decompress(payload)
        return _response(200, "OK", out, payload)


async def serve(corpus: Corpus, ports_file: Path) -> None:
    loop = asyncio.get_running_loop()
    servers = []
    for _ in range(corpus.feeds):
        server = await loop.create_server(lambda: _Protocol(corpus), "127.0.0.1", 0, backlog=256)
        corpus.ports.append(server.sockets[0].getsockname()[1])
        servers.append(server)
    ports_file.write_text(json.dumps(corpus.ports))
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, required=True)
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--pages", type=Path, required=True)
    parser.add_argument("--ports-file", type=Path, required=True)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a port and connections per feed
    corpus = Corpus(args.feeds, args.entries, args.pages)
    try:
        asyncio.run(serve(corpus, args.ports_file))
    except KeyboardInterrupt:
        sys.exit(0)


__all__ = ["Corpus", "page_path", "prerender", "serve"]

if __name__ == "__main__":
    main()
