"""Politeness towards servers: what a status means for retrying, Retry-After, backoff, and an order
of requests that spreads them over hosts."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from urllib.parse import urlsplit

from laborwatch.ingest.fetch_result import ErrorKind

HARD_STATUSES = frozenset({401, 403, 404, 410, 451})
BACKOFF_BASE = 0.5  # seconds before the first retry; doubles each time, with jitter
MAX_RETRY_WAIT = 30.0  # a Retry-After longer than this is reported, not waited for


def retry_after_seconds(value: str | None) -> float | None:
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


def status_kind(status: int) -> ErrorKind:
    if status == 429 or status >= 500:
        return "temporary"
    if status in HARD_STATUSES:
        return "hard"
    return "soft"


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


def round_robin_by_host(urls: list[str]) -> list[int]:
    """Indices of `urls` taking one per host in turn: the worker threads take requests in this
    order, so they start on many hosts at once instead of queueing on one host's spacing."""
    by_host: dict[str, list[int]] = {}
    for index, url in enumerate(urls):
        try:
            key = host_key(url)
        except ValueError:  # a bad port: fetch() reports it, order does not matter
            key = url
        by_host.setdefault(key, []).append(index)
    queues = list(by_host.values())
    order: list[int] = []
    for depth in range(max(map(len, queues), default=0)):
        order.extend(queue[depth] for queue in queues if depth < len(queue))
    return order
