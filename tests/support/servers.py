"""Real local servers for tests: an HTTP server (files, pages, feeds, webhook receiver) and an
SMTP server (aiosmtpd), both on 127.0.0.1 with free ports. Shared by every test package."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[ReceivedRequest], Response]


class LocalHTTPServer:
    """Serves `routes` (path -> Response or callable) and records every request it receives.

    Unknown paths answer 404. `post_status` is what a POST to an unrouted path answers (a webhook
    receiver by default; set it to 500 to play a broken receiver)."""

    def __init__(self) -> None:
        self.routes: dict[str, Response | Handler] = {}
        self.requests: list[ReceivedRequest] = []
        self.post_status = 200
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = ReceivedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with server._lock:
                    server.requests.append(request)
                route = server.routes.get(self.path.split("?", 1)[0]) or server.routes.get(
                    self.path
                )
                if route is None:
                    status = server.post_status if self.command == "POST" else 404
                    response = Response(status=status, body=b"ok" if status < 400 else b"error")
                elif callable(route):
                    response = route(request)
                else:
                    response = route
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                if "content-length" not in {k.lower() for k in response.headers}:
                    self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_HEAD = do_PUT = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        # serve_forever notices shutdown() only between polls: 0.5 s by default, per server
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def posts(self) -> list[ReceivedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == "POST"]

    def start(self) -> LocalHTTPServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def http_server() -> Iterator[LocalHTTPServer]:
    server = LocalHTTPServer().start()
    try:
        yield server
    finally:
        server.stop()


class SMTPInbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        inbox = self

        class _Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                inbox.messages.append(message)
                inbox.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                return "250 Message accepted for delivery"

        self.port = free_port()
        self._controller = Controller(_Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> SMTPInbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def apprise_url(self, to: str = "newsroom@example.org") -> str:
        """An Apprise mailto URL that delivers to this server without TLS or login."""
        return f"mailto://127.0.0.1:{self.port}?from=laborwatch@example.org&to={to}&mode=insecure"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


@contextmanager
def smtp_inbox() -> Iterator[SMTPInbox]:
    inbox = SMTPInbox().start()
    try:
        yield inbox
    finally:
        inbox.stop()
