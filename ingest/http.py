"""The HTTP fetcher: our own httpx client, hardened for fetching feeds and pages from the open web.

What it guarantees, per fetch: conditional GET plus a body hash so unchanged content does no work;
connect and total timeouts (the total covers every read, even from a server that trickles); a size
cap on the wire and after decompression (gzip, deflate, brotli); redirects followed by hand, each
hop counted; Retry-After honoured; bounded retries with backoff for transient failures only;
per-host concurrency and spacing; and an SSRF guard that resolves each host itself, checks every
address and connects to the checked address (so DNS rebinding cannot slip a private address in)."""

from __future__ import annotations

import email.utils
import hashlib
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import brotli
import httpcore
import httpx

from laborwatch.ingest.ssrf import BlockedAddressError, Network, check_addresses, parse_networks, resolve
from laborwatch.domain import FetchState
from laborwatch.parsers.urls import redact_url

ErrorKind = Literal["hard", "soft", "temporary"]

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_HARD_STATUSES = frozenset({401, 403, 404, 410, 451})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.5"
)
_BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each time, with jitter
_MAX_RETRY_WAIT = 30.0  # a Retry-After longer than this is reported, not waited for
_CHUNK = 65_536


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str
    status: int  # 0 when no HTTP response arrived
    body: bytes | None
    not_modified: bool
    content_type: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None  # sha256 hex of the (decompressed) body
    error: str | None
    error_kind: ErrorKind | None
    retry_after: float | None  # seconds the server asked us to wait
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.error is None


class _FetchFailure(Exception):
    def __init__(
        self, message: str, kind: ErrorKind, *, status: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.status = status
        self.retry_after = retry_after


# --- deadline-aware, SSRF-guarded network backend --------------------------------------------

_deadline = threading.local()  # monotonic time the current thread's fetch attempt must end by


def _remaining() -> float | None:
    deadline: float | None = getattr(_deadline, "value", None)
    return None if deadline is None else deadline - time.monotonic()


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    remaining = _remaining()
    if remaining is None:
        return timeout
    if remaining <= 0:
        raise error("total timeout reached")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's total deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(
                ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _ResolveError(Exception):
    pass


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, refuses non-public addresses unless allowed, then connects to an
    address it checked. TLS still verifies the certificate against the host name (httpcore passes
    the origin host as server_hostname)."""

    def __init__(self, *, allow_private: bool, allowed_networks: tuple[Network, ...]) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private
        self._allowed_networks = allowed_networks

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _bounded(timeout, httpcore.ConnectTimeout)
        try:
            addresses = resolve(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise _ResolveError(f"cannot resolve host {host}: {exc}") from None
        if not addresses:
            raise _ResolveError(f"host {host} has no addresses")
        check_addresses(
            host,
            addresses,
            allow_private=self._allow_private,
            allowed_networks=self._allowed_networks,
        )
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream)
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise BlockedAddressError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """httpx transport over an httpcore pool that uses the guarded backend."""

    def __init__(
        self, *, allow_private: bool, allowed_networks: tuple[Network, ...], max_connections: int
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=30.0,
            retries=0,
            network_backend=_GuardedBackend(
                allow_private=allow_private, allowed_networks=allowed_networks
            ),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


# --- decompression with a cap on the output ------------------------------------------------------


class _TooLarge(Exception):
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
            raise _TooLarge
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
        chunk = self._obj.process(data, output_buffer_limit=_CHUNK)
        while True:
            self._total += len(chunk)
            if self._total > self._cap:
                raise _TooLarge
            out.append(chunk)
            if self._obj.can_accept_more_data() or self._obj.is_finished():
                break
            chunk = self._obj.process(b"", output_buffer_limit=_CHUNK)
        return b"".join(out)


def _stages(content_encoding: str | None, cap: int) -> list[_Stage]:
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
            raise _FetchFailure(f"unsupported content encoding {name!r}", "soft")
    return stages


def _decode_chain(stages: list[_Stage], data: bytes) -> bytes:
    for stage in stages:
        data = stage.feed(data)
    return data


def _finish_chain(stages: list[_Stage]) -> bytes:
    tail = b""
    for stage in stages:
        tail = stage.feed(tail) + stage.finish() if tail else stage.finish()
    return tail


# --- helpers ------------------------------------------------------------------------------------


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _status_kind(status: int) -> ErrorKind:
    if status == 429 or status >= 500:
        return "temporary"
    if status in _HARD_STATUSES:
        return "hard"
    return "soft"


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


def _round_robin_by_host(urls: list[str]) -> list[int]:
    """Indices of `urls` taking one per host in turn: the worker threads take requests in this
    order, so they start on many hosts at once instead of queueing on one host's spacing."""
    by_host: dict[str, list[int]] = {}
    for index, url in enumerate(urls):
        try:
            key = _host_key(url)
        except ValueError:  # a bad port: fetch() reports it, order does not matter
            key = url
        by_host.setdefault(key, []).append(index)
    queues = list(by_host.values())
    order: list[int] = []
    for depth in range(max(map(len, queues), default=0)):
        order.extend(queue[depth] for queue in queues if depth < len(queue))
    return order


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _FetchFailure(f"invalid URL {redact_url(url)}", "hard") from None
    if parts.scheme not in ("http", "https"):
        raise _FetchFailure(
            f"unsupported URL scheme {parts.scheme!r} (only http and https are fetched)", "hard"
        )
    if not parts.hostname:
        raise _FetchFailure(f"URL has no host: {redact_url(url)}", "hard")


class Fetcher:
    """A pooled, thread-safe HTTP client for feeds and pages. Use as a context manager or call
    close(). `host_spacing` is the minimum time between request starts to one host;
    `allowed_networks` (CIDRs) lets an intranet feed through without allowing every private
    address."""

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float = 10,
        total_timeout: float = 30,
        max_bytes: int = 10_000_000,
        max_redirects: int = 5,
        per_host_concurrency: int = 2,
        concurrency: int = 16,
        allow_private_addresses: bool = False,
        retries: int = 2,
        host_spacing: float = 0.25,
        allowed_networks: tuple[str, ...] = (),
    ) -> None:
        if not user_agent.strip():
            raise ValueError("user_agent must name the project (e.g. 'laborwatch/0.1 (+url)')")
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host_concurrency = per_host_concurrency
        self.concurrency = concurrency
        self.allow_private_addresses = allow_private_addresses
        self.retries = max(0, retries)
        self.host_spacing = host_spacing
        self._client = httpx.Client(
            transport=_GuardedTransport(
                allow_private=allow_private_addresses,
                allowed_networks=parse_networks(allowed_networks),
                max_connections=max(concurrency, per_host_concurrency),
            ),
            follow_redirects=False,
            trust_env=False,  # proxies from the environment would bypass the address check
        )
        self._lock = threading.Lock()
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._host_next_start: dict[str, float] = {}
        self._host_blocked_until: dict[str, float] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    # -- lifecycle --
    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- politeness --
    @contextmanager
    def _host_slot(self, url: str) -> Iterator[None]:
        key = _host_key(url)
        with self._lock:
            slot = self._host_slots.setdefault(
                key, threading.BoundedSemaphore(self.per_host_concurrency)
            )
            blocked_until = self._host_blocked_until.get(key, 0.0)
        wait = blocked_until - time.monotonic()
        if wait > _MAX_RETRY_WAIT:
            raise _FetchFailure(
                f"the server asked us to wait {wait:.0f} s more before the next request",
                "temporary",
                retry_after=wait,
            )
        with slot:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._host_next_start.get(key, now), blocked_until)
                self._host_next_start[key] = start + self.host_spacing
            if start > now:
                time.sleep(start - now)
            yield

    def _block_host(self, url: str, seconds: float) -> None:
        key = _host_key(url)
        with self._lock:
            until = time.monotonic() + seconds
            self._host_blocked_until[key] = max(self._host_blocked_until.get(key, 0.0), until)

    # -- fetching --
    def fetch(self, url: str, *, state: FetchState | None = None) -> FetchResult:
        """GET `url`. Never raises for network or HTTP trouble: the result carries `error` and
        `error_kind`. Transient failures are retried up to `retries` times with backoff."""
        if self._closed:
            raise RuntimeError("Fetcher is closed")
        started = time.monotonic()
        attempt = 0
        while True:
            result = self._attempt(url, state, started)
            if result.error_kind != "temporary" or attempt >= self.retries:
                return result
            delay = _BACKOFF_BASE * (2**attempt) * (1 + random.random() / 2)
            if result.retry_after is not None:
                if result.retry_after > _MAX_RETRY_WAIT:
                    return result
                delay = max(delay, result.retry_after)
            time.sleep(delay)
            attempt += 1

    def fetch_many(self, requests: list[tuple[str, FetchState | None]]) -> list[FetchResult]:
        """Fetch concurrently (within the concurrency and per-host limits); results in input
        order."""
        results: dict[int, FetchResult] = dict(self.fetch_as_completed(requests))
        return [results[index] for index in range(len(requests))]

    def fetch_as_completed(
        self, requests: list[tuple[str, FetchState | None]]
    ) -> Iterator[tuple[int, FetchResult]]:
        """Fetch concurrently like fetch_many, yielding (index in `requests`, result) as each
        fetch ends, so the caller can work on early pages while later ones download."""
        if not requests:
            return
        with self._lock:
            if self._closed:
                raise RuntimeError("Fetcher is closed")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.concurrency, thread_name_prefix="laborwatch-fetch"
                )
            executor = self._executor
        futures: dict[Future[FetchResult], int] = {}
        for index in _round_robin_by_host([url for url, _ in requests]):
            url, state = requests[index]
            futures[executor.submit(self.fetch, url, state=state)] = index
        for future in as_completed(futures):
            yield futures[future], future.result()

    def _headers(self, state: FetchState | None) -> dict[str, str]:
        headers = {
            "User-Agent": self.user_agent,
            "Accept": _ACCEPT,
            "Accept-Encoding": "gzip, deflate, br",
        }
        if state is not None:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        return headers

    def _attempt(self, url: str, state: FetchState | None, started: float) -> FetchResult:
        attempt_started = time.monotonic()
        current = url
        status = 0
        try:
            _check_url(url)
            hops = 0
            while True:
                with self._host_slot(current):
                    _deadline.value = time.monotonic() + self.total_timeout
                    try:
                        outcome = self._request(current, state)
                    finally:
                        _deadline.value = None
                status = outcome.status
                if isinstance(outcome, _Redirect):
                    hops += 1
                    if hops > self.max_redirects:
                        raise _FetchFailure(
                            f"too many redirects (more than {self.max_redirects})",
                            "soft",
                            status=status,
                        )
                    current = outcome.location
                    _check_url(current)
                    continue
                return self._result(url, current, outcome, state, started)
        except _FetchFailure as failure:
            if failure.retry_after is not None:
                self._block_host(current, failure.retry_after)
            return _failed(url, current, failure, started)
        except BlockedAddressError as exc:
            return _failed(url, current, _FetchFailure(str(exc), "hard"), started)
        except _ResolveError as exc:
            return _failed(url, current, _FetchFailure(str(exc), "soft"), started)
        except (httpx.TimeoutException, httpcore.TimeoutException) as exc:
            spent = time.monotonic() - attempt_started
            what = (
                "connecting"
                if isinstance(exc, httpx.ConnectTimeout | httpcore.ConnectTimeout)
                else "waiting for the response"
            )
            message = f"timed out {what} to {redact_url(current)} after {spent:.1f} s"
            return _failed(
                url, current, _FetchFailure(message, "temporary", status=status), started
            )
        except (httpx.ConnectError, httpcore.ConnectError) as exc:
            text = str(exc)
            kind: ErrorKind = (
                "soft" if "CERTIFICATE" in text.upper() or "SSL" in text else "temporary"
            )
            message = f"cannot connect to {redact_url(current)}: {text or type(exc).__name__}"
            return _failed(url, current, _FetchFailure(message, kind), started)
        except (httpx.NetworkError, httpcore.NetworkError) as exc:
            message = f"connection to {redact_url(current)} broke: {exc or type(exc).__name__}"
            return _failed(url, current, _FetchFailure(message, "temporary"), started)
        except (httpx.HTTPError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            message = f"HTTP protocol error from {redact_url(current)}: {exc or type(exc).__name__}"
            return _failed(url, current, _FetchFailure(message, "soft", status=status), started)

    def _request(self, url: str, state: FetchState | None) -> _Response | _Redirect:
        timeout = httpx.Timeout(
            connect=self.connect_timeout,
            read=self.total_timeout,
            write=self.total_timeout,
            pool=self.total_timeout,
        )
        with self._client.stream("GET", url, headers=self._headers(state), timeout=timeout) as r:
            status = r.status_code
            if status in _REDIRECT_CODES:
                location = r.headers.get("location")
                if not location:
                    raise _FetchFailure(f"HTTP {status} redirect without a Location", "soft")
                return _Redirect(status, urljoin(url, location.strip()))
            if status == 304:
                return _Response(status, None, r.headers)
            if status >= 400:
                retry_after = _retry_after(r.headers.get("retry-after"))
                reason = r.reason_phrase or ""
                raise _FetchFailure(
                    f"HTTP {status} {reason}".strip() + f" from {redact_url(url)}",
                    _status_kind(status),
                    status=status,
                    retry_after=retry_after if status in (429, 503) else None,
                )
            return _Response(status, self._read_body(r), r.headers)

    def _read_body(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise _FetchFailure(
                f"response of {int(declared)} bytes exceeds the {self.max_bytes}-byte limit", "soft"
            )
        stages = _stages(response.headers.get("content-encoding"), self.max_bytes)
        received = 0
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_raw(_CHUNK):
                received += len(chunk)
                if received > self.max_bytes:
                    raise _TooLarge
                piece = _decode_chain(stages, chunk)
                size += len(piece)
                if size > self.max_bytes:
                    raise _TooLarge
                parts.append(piece)
            tail = _finish_chain(stages)
        except _TooLarge:
            raise _FetchFailure(
                f"response exceeds the {self.max_bytes}-byte limit (after decompression)", "soft"
            ) from None
        except (zlib.error, brotli.error) as exc:
            raise _FetchFailure(f"cannot decompress the response: {exc}", "soft") from None
        size += len(tail)
        if size > self.max_bytes:
            raise _FetchFailure(
                f"response exceeds the {self.max_bytes}-byte limit (after decompression)", "soft"
            )
        parts.append(tail)
        return b"".join(parts)

    def _result(
        self,
        url: str,
        final_url: str,
        response: _Response,
        state: FetchState | None,
        started: float,
    ) -> FetchResult:
        headers = response.headers
        etag = headers.get("etag")
        last_modified = headers.get("last-modified")
        if response.status == 304:
            return FetchResult(
                url=url,
                final_url=final_url,
                status=304,
                body=None,
                not_modified=True,
                content_type=headers.get("content-type"),
                etag=etag or (state.etag if state else None),
                last_modified=last_modified or (state.last_modified if state else None),
                content_hash=state.content_hash if state else None,
                error=None,
                error_kind=None,
                retry_after=None,
                elapsed=time.monotonic() - started,
            )
        body = response.body or b""
        digest = hashlib.sha256(body).hexdigest()
        return FetchResult(
            url=url,
            final_url=final_url,
            status=response.status,
            body=body,
            not_modified=state is not None and state.content_hash == digest,
            content_type=headers.get("content-type"),
            etag=etag,
            last_modified=last_modified,
            content_hash=digest,
            error=None,
            error_kind=None,
            retry_after=None,
            elapsed=time.monotonic() - started,
        )


@dataclass(slots=True)
class _Response:
    status: int
    body: bytes | None
    headers: httpx.Headers


@dataclass(slots=True)
class _Redirect:
    status: int
    location: str


def _failed(url: str, final_url: str, failure: _FetchFailure, started: float) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        status=failure.status,
        body=None,
        not_modified=False,
        content_type=None,
        etag=None,
        last_modified=None,
        content_hash=None,
        error=str(failure),
        error_kind=failure.kind,
        retry_after=failure.retry_after,
        elapsed=time.monotonic() - started,
    )
