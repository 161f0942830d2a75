"""Source health: pure functions that turn the outcome of a fetch into the next FetchState.

Failures add to a weighted score (a hard failure such as 404 says more than a timeout), each
consecutive failure doubles the wait before the next attempt, and a source whose score passes a
threshold is paused for a long while. One success clears it all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median

from laborwatch.domain import FetchState

FAILURE_WEIGHTS: dict[str, float] = {"hard": 3.0, "soft": 2.0, "temporary": 1.0}
BASE_BACKOFF = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
PAUSE_SCORE = 12.0  # e.g. four 404s in a row, or twelve timeouts
PAUSE_FOR = timedelta(hours=24)


def record_success(
    state: FetchState | None,
    now: datetime,
    *,
    status: int,
    etag: str | None = None,
    last_modified: str | None = None,
    content_hash: str | None = None,
) -> FetchState:
    """State after a successful fetch (200 or 304): validators kept, health reset."""
    base = state or FetchState()
    return replace(
        base,
        etag=etag if etag is not None else base.etag,
        last_modified=last_modified if last_modified is not None else base.last_modified,
        content_hash=content_hash if content_hash is not None else base.content_hash,
        last_status=status,
        last_fetched_at=now,
        failure_score=0.0,
        consecutive_failures=0,
        paused_until=None,
        last_error=None,
    )


def backoff_for(consecutive_failures: int) -> timedelta:
    """Wait before the next attempt after `consecutive_failures` failures in a row (>= 1)."""
    exponent = max(0, consecutive_failures - 1)
    seconds = BASE_BACKOFF.total_seconds() * (2 ** min(exponent, 30))
    return min(MAX_BACKOFF, timedelta(seconds=seconds))


def record_failure(
    state: FetchState | None,
    now: datetime,
    *,
    kind: str,
    message: str,
    status: int | None = None,
    retry_after: float | None = None,
) -> FetchState:
    """State after a failed fetch. `kind` is "hard", "soft" or "temporary" (unknown kinds count as
    soft); `retry_after` (seconds) from the server sets the earliest next attempt when longer."""
    base = state or FetchState()
    failures = base.consecutive_failures + 1
    score = base.failure_score + FAILURE_WEIGHTS.get(kind, FAILURE_WEIGHTS["soft"])
    wait = backoff_for(failures)
    if retry_after is not None and retry_after > 0:
        wait = max(wait, timedelta(seconds=retry_after))
    if score >= PAUSE_SCORE:
        wait = max(wait, PAUSE_FOR)
    return replace(
        base,
        last_status=status,
        last_fetched_at=now,
        failure_score=score,
        consecutive_failures=failures,
        paused_until=now + wait,
        last_error=message,
    )


def note_entries(state: FetchState, published: Iterable[datetime | None]) -> FetchState:
    """Remember the newest entry time seen, for the "went silent" check."""
    times = [t for t in published if t is not None]
    if not times:
        return state
    newest = max(times)
    if state.last_new_entry_at is not None and state.last_new_entry_at >= newest:
        return state
    return replace(state, last_new_entry_at=newest)


def is_auto_paused(state: FetchState | None) -> bool:
    return state is not None and state.failure_score >= PAUSE_SCORE


def should_fetch(state: FetchState | None, now: datetime) -> bool:
    """False while the source is backing off or paused."""
    return state is None or state.paused_until is None or now >= state.paused_until


def is_silent(
    state: FetchState | None, now: datetime, usual_interval: timedelta, *, factor: float = 3.0
) -> bool:
    """True when a source that used to publish has had no new entry for `factor` times its usual
    interval between entries. Unknown history is not silence."""
    if state is None or state.last_new_entry_at is None or usual_interval <= timedelta(0):
        return False
    return now - state.last_new_entry_at > usual_interval * factor


def usual_interval(published: Iterable[datetime | None]) -> timedelta | None:
    """Median gap between consecutive entry times, or None with fewer than two dated entries."""
    times = sorted({t for t in published if t is not None})
    if len(times) < 2:
        return None
    gaps = [(b - a).total_seconds() for a, b in pairwise(times)]
    return timedelta(seconds=median(gaps))
