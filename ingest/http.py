"""The HTTP fetcher: our own httpx client, hardened for fetching feeds and pages from the open web.

What it guarantees, per fetch: conditional GET plus a body hash so unchanged content does no work;
connect and total timeouts (the total covers every read, even from a server that trickles); a size
cap on the wire and after decompression (gzip, deflate, brotli); redirects followed by hand, each
hop counted; Retry-After honoured; bounded retries with backoff for transient failures only;
per-host concurrency and spacing; and an SSRF guard that resolves each host itself, checks every
address and connects to the checked address (so DNS rebinding cannot slip a private address in)."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from laborwatch.domain import FetchState
from laborwatch.ingest.decoding import read_capped_body
from laborwatch.ingest.fetch_result import (
    ErrorKind,
    FetchFailure,
    FetchResult,
    failed_result,
    skipped_by_robots,
)
from laborwatch.ingest.politeness import (
    BACKOFF_BASE,
    MAX_RETRY_WAIT,
    host_key,
    retry_after_seconds,
    round_robin_by_host,
    status_kind,
)
from laborwatch.ingest.robots import RobotsPolicy
from laborwatch.ingest.ssrf import BlockedAddressError, parse_networks
from laborwatch.ingest.transport import ATTEMPT_DEADLINE, GuardedTransport, ResolveError
from laborwatch.redaction import redact_url

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.5"
)


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise FetchFailure(f"invalid URL {redact_url(url)}", "hard") from None
    if parts.scheme not in ("http", "https"):
        raise FetchFailure(
            f"unsupported URL scheme {parts.scheme!r} (only http and https are fetched)", "hard"
        )
    if not parts.hostname:
        raise FetchFailure(f"URL has no host: {redact_url(url)}", "hard")


class Fetcher:
    """A pooled, thread-safe HTTP client for feeds and pages. Use as a context manager or call
    close(). `host_spacing` is the minimum time between request starts to one host;
    `allowed_networks` (CIDRs) lets an intranet feed through without allowing every private
    address. With `respect_robots`, page fetches (page=True) ask the site's robots.txt first
    (ingest/robots.py); feeds are fetched as published."""

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
        respect_robots: bool = True,
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
            transport=GuardedTransport(
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
        self.robots = RobotsPolicy(self.fetch, user_agent) if respect_robots else None

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
        key = host_key(url)
        with self._lock:
            slot = self._host_slots.setdefault(
                key, threading.BoundedSemaphore(self.per_host_concurrency)
            )
            blocked_until = self._host_blocked_until.get(key, 0.0)
        wait = blocked_until - time.monotonic()
        if wait > MAX_RETRY_WAIT:
            raise FetchFailure(
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
        key = host_key(url)
        with self._lock:
            until = time.monotonic() + seconds
            self._host_blocked_until[key] = max(self._host_blocked_until.get(key, 0.0), until)

    # -- fetching --
    def fetch(
        self, url: str, *, state: FetchState | None = None, page: bool = False
    ) -> FetchResult:
        """GET `url`. Never raises for network or HTTP trouble: the result carries `error` and
        `error_kind`. Transient failures are retried up to `retries` times with backoff. A `page`
        its site's robots.txt refuses is not requested: robots_disallowed, no body, no error."""
        if self._closed:
            raise RuntimeError("Fetcher is closed")
        started = time.monotonic()
        if page and self.robots is not None and not self.robots.allowed(url):
            return skipped_by_robots(url, started)
        attempt = 0
        while True:
            result = self._attempt(url, state, started)
            if result.error_kind != "temporary" or attempt >= self.retries:
                return result
            delay = BACKOFF_BASE * (2**attempt) * (1 + random.random() / 2)
            if result.retry_after is not None:
                if result.retry_after > MAX_RETRY_WAIT:
                    return result
                delay = max(delay, result.retry_after)
            time.sleep(delay)
            attempt += 1

    def fetch_many(
        self, requests: list[tuple[str, FetchState | None]], *, pages: bool = False
    ) -> list[FetchResult]:
        """Fetch concurrently (within the concurrency and per-host limits); results in input
        order. `pages`: each is a page fetch (see fetch)."""
        results: dict[int, FetchResult] = dict(self.fetch_as_completed(requests, pages=pages))
        return [results[index] for index in range(len(requests))]

    def fetch_as_completed(
        self, requests: list[tuple[str, FetchState | None]], *, pages: bool = False
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
        for index in round_robin_by_host([url for url, _ in requests]):
            url, state = requests[index]
            futures[executor.submit(self.fetch, url, state=state, page=pages)] = index
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
                    ATTEMPT_DEADLINE.value = time.monotonic() + self.total_timeout
                    try:
                        outcome = self._request(current, state)
                    finally:
                        ATTEMPT_DEADLINE.value = None
                status = outcome.status
                if isinstance(outcome, _Redirect):
                    hops += 1
                    if hops > self.max_redirects:
                        raise FetchFailure(
                            f"too many redirects (more than {self.max_redirects})",
                            "soft",
                            status=status,
                        )
                    current = outcome.location
                    _check_url(current)
                    continue
                return self._result(url, current, outcome, state, started)
        except FetchFailure as failure:
            if failure.retry_after is not None:
                self._block_host(current, failure.retry_after)
            return failed_result(url, current, failure, started)
        except BlockedAddressError as exc:
            return failed_result(url, current, FetchFailure(str(exc), "hard"), started)
        except ResolveError as exc:
            return failed_result(url, current, FetchFailure(str(exc), "soft"), started)
        except (httpx.HTTPError, httpcore.TimeoutException, httpcore.NetworkError) as exc:
            spent = time.monotonic() - attempt_started
            return failed_result(
                url, current, _network_failure(exc, current, spent, status), started
            )
        except (httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            return failed_result(url, current, _network_failure(exc, current, 0, status), started)

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
                    raise FetchFailure(f"HTTP {status} redirect without a Location", "soft")
                return _Redirect(status, urljoin(url, location.strip()))
            if status == 304:
                return _Response(status, None, r.headers)
            if status >= 400:
                retry_after = retry_after_seconds(r.headers.get("retry-after"))
                reason = r.reason_phrase or ""
                raise FetchFailure(
                    f"HTTP {status} {reason}".strip() + f" from {redact_url(url)}",
                    status_kind(status),
                    status=status,
                    retry_after=retry_after if status in (429, 503) else None,
                )
            return _Response(status, read_capped_body(r, self.max_bytes), r.headers)

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
                not_modified=True,
                content_type=headers.get("content-type"),
                etag=etag or (state.etag if state else None),
                last_modified=last_modified or (state.last_modified if state else None),
                content_hash=state.content_hash if state else None,
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
            elapsed=time.monotonic() - started,
        )


def _network_failure(exc: Exception, url: str, spent: float, status: int) -> FetchFailure:
    """What a timeout, a refused or broken connection or a protocol error means for a retry."""
    where = redact_url(url)
    if isinstance(exc, httpx.TimeoutException | httpcore.TimeoutException):
        connecting = isinstance(exc, httpx.ConnectTimeout | httpcore.ConnectTimeout)
        what = "connecting" if connecting else "waiting for the response"
        message = f"timed out {what} to {where} after {spent:.1f} s"
        return FetchFailure(message, "temporary", status=status)
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError | httpcore.ConnectError):
        kind: ErrorKind = "soft" if "CERTIFICATE" in text.upper() or "SSL" in text else "temporary"
        return FetchFailure(f"cannot connect to {where}: {text}", kind)
    if isinstance(exc, httpx.NetworkError | httpcore.NetworkError):
        return FetchFailure(f"connection to {where} broke: {text}", "temporary")
    return FetchFailure(f"HTTP protocol error from {where}: {text}", "soft", status=status)


@dataclass(slots=True)
class _Response:
    status: int
    body: bytes | None
    headers: httpx.Headers


@dataclass(slots=True)
class _Redirect:
    status: int
    location: str
