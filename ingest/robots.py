"""robots.txt for page fetches: protego parses the file and matches URLs against it; this module
only fetches each origin's file once (per `max_age`) and decides what a missing or unreachable
file means, as RFC 9309 says.

Feeds are fetched as published (a feed is offered for machines to read); the pages a feed links to
are fetched only where the site's robots.txt lets our product token ("laborwatch") in."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from laborwatch.ingest.fetch_result import FetchResult
from laborwatch.redaction import redact_url

logger = logging.getLogger(__name__)

MAX_AGE = 3600.0  # seconds a fetched robots.txt is used before it is fetched again
MAX_ROBOTS_BYTES = 512_000  # RFC 9309: at least 500 KiB are parsed; the rest is ignored


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: "laborwatch" for
    "laborwatch/0.1 (+https://…)", so that a group for "github" never applies to us."""
    words = user_agent.strip().split()
    return words[0].split("/", 1)[0] if words else user_agent


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rsplit('@', 1)[-1].lower()}/robots.txt"


@dataclass(slots=True)
class _Entry:
    rules: Protego | None  # None: no usable file, `allow_all` decides
    allow_all: bool
    fetched_at: float


class RobotsPolicy:
    """Answers "may this page be fetched?" for one user agent, one robots.txt per origin.

    `fetch` gets the robots.txt URL (the Fetcher's own feed-style fetch: SSRF guard, size cap,
    redirects, politeness). Thread-safe: concurrent page fetches to one origin wait for a single
    robots.txt request."""

    def __init__(
        self, fetch: Callable[[str], FetchResult], user_agent: str, *, max_age: float = MAX_AGE
    ) -> None:
        self._fetch = fetch
        self.token = product_token(user_agent)
        self._max_age = max_age
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, _Entry] = {}

    def allowed(self, url: str) -> bool:
        """True when `url` may be fetched; logs the page it refuses, with the reason. A URL that
        is no valid http(s) URL is left to the fetch, which reports it."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            return True
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return True
        entry = self._entry(robots_url(url))
        rules = entry.rules
        allowed = entry.allow_all if rules is None else rules.can_fetch(url, self.token)
        if not allowed:
            reason = (
                "its robots.txt disallows it"
                if entry.rules is not None
                else "its robots.txt could not be read (the site is treated as disallowed)"
            )
            # A warning, so that it shows wherever the run's warnings do (the CLI's stderr too).
            logger.warning(
                "robots.txt: skipped page %s for user agent %r: %s; the feed's summary is kept "
                "([fetch] respect_robots = false fetches it anyway)",
                redact_url(url),
                self.token,
                reason,
            )
        return allowed

    def _entry(self, where: str) -> _Entry:
        with self._lock:
            origin_lock = self._origin_locks.setdefault(where, threading.Lock())
        with origin_lock:
            entry = self._entries.get(where)
            if entry is None or time.monotonic() - entry.fetched_at > self._max_age:
                entry = self._load(where)
                self._entries[where] = entry
            return entry

    def _load(self, where: str) -> _Entry:
        result = self._fetch(where)
        now = time.monotonic()
        if result.ok and result.body is not None:
            text = result.body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            return _Entry(Protego.parse(text), allow_all=True, fetched_at=now)
        if 300 <= result.status < 500:
            # RFC 9309 2.3.1.3: "unavailable" (4xx, or too many redirects): no restrictions.
            return _Entry(None, allow_all=True, fetched_at=now)
        if result.error_kind == "hard":
            # Refused before any request (a non-public address, a bad URL): the page's own
            # fetch is refused the same way, and that error is the one worth reporting.
            return _Entry(None, allow_all=True, fetched_at=now)
        # 2.3.1.4: "unreachable" (5xx, network trouble): assume complete disallow for now.
        logger.warning(
            "robots.txt: cannot read %s (%s); its pages are not fetched until it can be read",
            redact_url(where),
            result.error or f"HTTP {result.status}",
        )
        return _Entry(None, allow_all=False, fetched_at=now)
