"""The run's one fetcher, configured from the settings' [fetch] table."""

from __future__ import annotations

from laborwatch.ingest.http import Fetcher
from laborwatch.settings import Settings


def open_fetcher(settings: Settings) -> Fetcher:
    fetch = settings.fetch
    return Fetcher(
        user_agent=fetch.user_agent,
        connect_timeout=fetch.connect_timeout,
        total_timeout=fetch.total_timeout,
        max_bytes=fetch.max_bytes,
        max_redirects=fetch.max_redirects,
        per_host_concurrency=fetch.per_host_concurrency,
        concurrency=fetch.concurrency,
        allow_private_addresses=fetch.allow_private_addresses,
        respect_robots=fetch.respect_robots,
    )
