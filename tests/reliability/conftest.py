"""The fault suite's tools: a feed of many stories served over real HTTP (any request can be
made to hang), a webhook receiver that counts what it accepted, real `laborwatch run`
subprocesses to SIGKILL, and fresh SQLite files or PostgreSQL databases.

Faults are injected from outside only (a hanging socket, a SIGKILL, a database trigger): the
product code has no test hooks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from laborwatch.alerts.render import headline
from laborwatch.domain import Development
from tests.support.servers import LocalHTTPServer, ReceivedRequest, Response, http_server

REPO = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "LABORWATCH_TEST_POSTGRES_URL"
_SYLLABLES = ["ba", "ko", "ri", "mu", "te", "lo", "ven", "dar", "si", "po", "ne", "ga"]
HANG_LIMIT = 60.0  # a hung handler gives up after this, so no test can hang forever


def company(i: int) -> str:
    """A distinct, extractable company name per story ("Kobaba Industries")."""
    parts = [_SYLLABLES[(i // 12**k) % 12] for k in range(3)]
    return "".join(parts).capitalize() + " Industries"


def story(i: int) -> tuple[str, str]:
    """Story `i`: one layoff figure for its own company; a negative `i` is a story with no
    figure at all (cheap to analyse and store: bulk for tests that need many articles)."""
    if i < 0:
        return (
            f"Weather note {-i}",
            f"Weather note {-i}: skies over Springfield stayed clear on Monday.",
        )
    name = company(i)
    return (
        f"{name} to cut jobs",
        f"{name} will lay off {100 + i} workers at its plant in Springfield, "
        "the company said on Monday.",
    )


def feed_xml(base: str, count: int, *, page_only: set[int], bulk: int = 0) -> bytes:
    """An RSS feed of `bulk` figure-less stories then `count` stories with figures, oldest first
    (so diff order is feed order). Stories in `page_only` carry a short summary and must be
    completed from their page."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = []
    for position, i in enumerate([*range(-bulk, 0), *range(count)]):
        title, body = story(i)
        link = f"{base}/story/{i}"
        date = format_datetime(start + timedelta(minutes=position))
        if i in page_only:
            content = f"<description>{escape(title)}…</description>"
        else:
            content = f"<content:encoded>{escape(body)}</content:encoded>"
        items.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{date}</pubDate>{content}</item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
        f"<link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def page_html(i: int) -> bytes:
    title, body = story(i)
    return (
        f"<html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}"
        f"</h1><p>{escape(body)}</p></article></body></html>"
    ).encode()


@dataclass
class Gate:
    """Makes requests hang until opened (or HANG_LIMIT), and tells when one is hanging."""

    opened: threading.Event = field(default_factory=threading.Event)
    waiting: threading.Event = field(default_factory=threading.Event)

    def hold(self) -> None:
        self.waiting.set()
        self.opened.wait(HANG_LIMIT)

    def open(self) -> None:
        self.opened.set()


@dataclass
class Wire:
    """A news site: /feed.xml with `count` stories and /story/<i> pages."""

    server: LocalHTTPServer
    count: int
    page_only: set[int] = field(default_factory=set)
    bulk: int = 0
    feed_gate: Gate | None = None
    page_gate: Gate | None = None

    @property
    def feed_url(self) -> str:
        return self.server.url("/feed.xml")

    def install(self) -> None:
        body = feed_xml(self.server.base_url, self.count, page_only=self.page_only, bulk=self.bulk)

        def feed(_request: ReceivedRequest) -> Response:
            if self.feed_gate is not None:
                self.feed_gate.hold()
            return Response(200, body, {"Content-Type": "application/rss+xml"})

        self.server.routes["/feed.xml"] = feed
        for i in self.page_only:

            def page(_request: ReceivedRequest, i: int = i) -> Response:
                if self.page_gate is not None:
                    self.page_gate.hold()
                return Response(200, page_html(i), {"Content-Type": "text/html"})

            self.server.routes[f"/story/{i}"] = page


@pytest.fixture
def wire() -> Iterator[Callable[..., Wire]]:
    with http_server() as server:

        def make(count: int, page_only: set[int] | None = None, bulk: int = 0) -> Wire:
            site = Wire(server, count, set(page_only or ()), bulk)
            site.install()
            return site

        yield make


class Hook:
    """A webhook receiver (Apprise json://): keeps the messages it accepted; `fail_with` makes
    it answer an error, `gate` makes it hang."""

    def __init__(self, server: LocalHTTPServer, path: str = "/hook") -> None:
        self.server = server
        self.path = path
        self.accepted: list[dict[str, str]] = []
        self.fail_with: int | None = None
        self.gate: Gate | None = None
        self._lock = threading.Lock()
        server.routes[path] = self.handle

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.port}{self.path}"

    def handle(self, request: ReceivedRequest) -> Response:
        if self.gate is not None and not self.gate.opened.is_set():
            self.gate.hold()
            return Response(503, b"gave up")
        if self.fail_with is not None:
            return Response(self.fail_with, b"broken")
        with self._lock:
            self.accepted.append(json.loads(request.body))
        return Response(200, b"ok")

    def bodies(self) -> str:
        with self._lock:
            return "\n".join(message["message"] for message in self.accepted)

    def times_delivered(self, developments: list[Development]) -> dict[str, int]:
        """How often each development's headline is in an accepted message."""
        bodies = self.bodies()
        return {headline(dev): bodies.count(f"**{headline(dev)}**") for dev in developments}


@pytest.fixture
def hook_server() -> Iterator[LocalHTTPServer]:
    with http_server() as server:
        yield server


def config_file(
    path: Path, *, db_url: str, sources: list[str], urls: list[str], extra: str = ""
) -> Path:
    lines = [
        "[database]",
        f'url = "{db_url}"',
        "",
        *[line for s in sources for line in ("[[sources]]", f'location = "{s}"', "")],
        "[alerts]",
        "urls = [" + ", ".join(f'"{u}"' for u in urls) + "]",
        extra,
        "",
        "[fetch]",
        "allow_private_addresses = true",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "LABORWATCH_"))}
    env["PYTHONPATH"] = str(REPO)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    return env


def start_cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "laborwatch.cli", *args],
        cwd=cwd,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its workers too
    )


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the run and its analysis workers: no cleanup, no finally blocks, no atexit."""
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def scalar(url: str, sql: str) -> int:
    """One number from the database, read without the product's code (0 when not there yet)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)
    except Exception:
        return 0
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[Callable[[], str]]:
    """Hands out URLs of new, empty PostgreSQL databases (dropped afterwards)."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set; PostgreSQL variant skipped")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    names: list[str] = []

    def new_database() -> str:
        name = f"lw_rel_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(base).set(database=name).render_as_string(hide_password=False)

    try:
        yield new_database
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
