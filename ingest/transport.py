"""The fetcher's network layer: a deadline that covers every read of an attempt (so a server that
trickles cannot hold a fetch past its total timeout), and an SSRF guard that resolves each host
itself, checks every address and connects to the checked address (DNS rebinding cannot slip a
private address in)."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from laborwatch.ingest.ssrf import BlockedAddressError, Network, check_addresses, resolve

# The monotonic time by which the current thread's fetch attempt must end.
ATTEMPT_DEADLINE = threading.local()


def _remaining() -> float | None:
    deadline: float | None = getattr(ATTEMPT_DEADLINE, "value", None)
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


class ResolveError(Exception):
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
            raise ResolveError(f"cannot resolve host {host}: {exc}") from None
        if not addresses:
            raise ResolveError(f"host {host} has no addresses")
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


class GuardedTransport(httpx.BaseTransport):
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
