"""The alert outbox: each (development, target) is delivered once, even with overlapping runs.

A run claims rows with `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite's writers take the
database lock up front) and stamps them 'sending' with a fresh claim token, so two runs never
hold the same row. A run that died mid-send leaves rows in 'sending': they are claimed again at
once when the claimant was a process on this host that is gone, else after `stale_after`.

Nothing is dropped. Rows that failed `max_attempts` times become 'failed': still listed as owed,
tried again by a run after a back-off (doubling, capped) and at once by `alerts --retry`.
Alertable developments stored while no usable target was configured wait under the target key
UNROUTED with the tags of the watches they matched, and are routed when targets are usable."""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from laborwatch.redaction import redact
from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.models import DEVELOPMENTS, OUTBOX, UNROUTED, OutboxRow

MAX_ERROR_LENGTH = 2000
BACKOFF_BASE = timedelta(minutes=15)
BACKOFF_MAX = timedelta(hours=6)
OWED_STATUSES = ("pending", "sending", "failed")
# scheme://anything-up-to-whitespace: Apprise URLs carry tokens and passwords after the scheme.
_URL_PATTERN = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{1,30})://[^\s'\"<>]+")


def redact_secrets(message: str) -> str:
    """Keep an error readable, credentials masked by the one redaction; clipped to length."""
    redacted = redact(message)  # the one redaction (laborwatch.redaction)
    if len(redacted) > MAX_ERROR_LENGTH:
        redacted = redacted[: MAX_ERROR_LENGTH - 1] + "…"
    return redacted


def backoff(over: int) -> timedelta:
    """How long an exhausted row waits before the next try, `over` attempts past the limit."""
    return min(BACKOFF_BASE * (1 << min(max(over, 0), 16)), BACKOFF_MAX)


def enqueue(
    session: Session,
    routes: Mapping[int, Sequence[str]],
    now: datetime,
    route_tags: Mapping[int, Sequence[str]] | None = None,
) -> int:
    """Queue (development, target) rows; target UNROUTED keeps `route_tags` for later routing."""
    rows: list[dict[str, Any]] = []
    for development_id, targets in routes.items():
        for target in dict.fromkeys(targets):  # keep order, drop repeats
            if not isinstance(target, str) or not target.strip():
                raise ValueError(f"development {development_id}: empty target key")
            tags = (route_tags or {}).get(development_id) if target == UNROUTED else None
            rows.append(
                {
                    "development_id": development_id,
                    "target_key": target,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                    "route_tags": None if tags is None else json.dumps(sorted(set(tags))),
                }
            )
    if not rows:
        return 0
    wanted: set[int] = {int(row["development_id"]) for row in rows}
    existing = set(session.scalars(select(DEVELOPMENTS.c.id).where(DEVELOPMENTS.c.id.in_(wanted))))
    missing = sorted(wanted - existing)
    if missing:
        raise ValueError(f"cannot enqueue alerts for unknown development id(s) {missing}")
    return insert_ignoring_duplicates(session, OUTBOX, rows)


def claimant_tag(claimant: str) -> str:
    """`claimant` with this process's host and pid, so a later run can tell it died."""
    return f"{claimant}@{socket.gethostname()}:{os.getpid()}"


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed process nobody reaped yet still answers kill(0)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def _dead_claims(session: Session) -> list[int]:
    """Rows 'sending' for a process on this host that no longer runs."""
    host = socket.gethostname()
    dead: list[int] = []
    rows = session.execute(
        select(OUTBOX.c.id, OUTBOX.c.claimed_by).where(OUTBOX.c.status == "sending")
    )
    for row_id, claimed_by in rows:
        where = (claimed_by or "").rsplit("@", 1)[-1]
        claim_host, _, pid = where.rpartition(":")
        mine = claim_host == host and pid.isdigit() and int(pid) != os.getpid()
        if mine and _process_gone(int(pid)):
            dead.append(row_id)
    return dead


def expire_exhausted(session: Session, max_attempts: int, now: datetime) -> None:
    """Pending rows out of attempts become 'failed', to be tried again after a back-off."""
    session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.status == "pending", OUTBOX.c.attempts >= max_attempts)
        .values(status="failed", next_attempt_at=now + BACKOFF_BASE)
    )


def claim(
    session: Session,
    *,
    claimant: str,
    max_attempts: int,
    stale_after: timedelta,
    now: datetime,
    retry_failed: bool = False,
) -> list[int]:
    """Mark claimable rows as ours; return their ids. `retry_failed` also takes exhausted rows
    still backing off (`alerts --retry`)."""
    if not claimant.strip():
        raise ValueError("claimant must name the run claiming alerts")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    expire_exhausted(session, max_attempts, now)
    due = OUTBOX.c.status == "failed"
    if not retry_failed:
        due = and_(due, or_(OUTBOX.c.next_attempt_at.is_(None), OUTBOX.c.next_attempt_at <= now))
    dead = _dead_claims(session)
    claimable = and_(
        OUTBOX.c.target_key != UNROUTED,
        or_(
            and_(OUTBOX.c.status == "pending", OUTBOX.c.attempts < max_attempts),
            due,
            and_(OUTBOX.c.status == "sending", OUTBOX.c.claimed_at < now - stale_after),
            OUTBOX.c.id.in_(dead),
        ),
    )
    ids = list(
        session.scalars(
            select(OUTBOX.c.id)
            .where(claimable)
            .order_by(OUTBOX.c.id)
            .with_for_update(skip_locked=True)
        )
    )
    token = str(uuid.uuid4())
    for start in range(0, len(ids), 500):
        session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids[start : start + 500]))
            .values(
                status="sending",
                claimed_by=claimant_tag(claimant),
                claim_token=token,
                claimed_at=now,
            )
        )
    return ids


def mark_sent(session: Session, outbox_ids: Sequence[int], now: datetime) -> None:
    for start in range(0, len(outbox_ids), 500):
        session.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id.in_(list(outbox_ids[start : start + 500])), OUTBOX.c.status != "sent"
            )
            .values(
                status="sent", sent_at=now, last_error=None, claim_token=None, next_attempt_at=None
            )
        )


def release(session: Session, outbox_ids: Sequence[int]) -> None:
    """Hand rows back untried (a target skipped after it hung): no attempt counted."""
    for start in range(0, len(outbox_ids), 500):
        session.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id.in_(list(outbox_ids[start : start + 500])), OUTBOX.c.status == "sending"
            )
            .values(
                # An exhausted row keeps its back-off time, and with it its 'failed' status.
                status=case((OUTBOX.c.next_attempt_at.is_(None), "pending"), else_="failed"),
                claim_token=None,
                claimed_at=None,
            )
        )


def mark_failed(
    session: Session,
    outbox_ids: Sequence[int],
    error: str,
    max_attempts: int | None,
    now: datetime,
) -> None:
    """One more attempt counted: back to pending, or 'failed' (with a back-off) once attempts
    reach `max_attempts`. A row sent already stays sent."""
    ids = list(outbox_ids)
    if not ids:
        return
    message = redact_secrets(error)
    rows = session.execute(
        select(OUTBOX.c.id, OUTBOX.c.attempts).where(
            OUTBOX.c.id.in_(ids), OUTBOX.c.status.in_(OWED_STATUSES)
        )
    ).all()
    by_attempts: dict[int, list[int]] = {}
    for row_id, attempts in rows:
        by_attempts.setdefault(int(attempts) + 1, []).append(row_id)
    for attempts, group in by_attempts.items():
        exhausted = max_attempts is not None and attempts >= max_attempts
        values: dict[str, object] = {
            "attempts": attempts,
            "last_error": message,
            "claim_token": None,
            "claimed_at": None,
            "status": "failed" if exhausted else "pending",
            "next_attempt_at": now + backoff(attempts - (max_attempts or attempts))
            if exhausted
            else None,
        }
        session.execute(update(OUTBOX).where(OUTBOX.c.id.in_(group)).values(values))


def counts(session: Session) -> dict[str, int]:
    """{"sent", "pending", "failed"}: rows being sent right now and rows waiting for a target
    count as pending (owed, not sent yet); "failed" rows are owed too, backing off."""
    result = {"sent": 0, "pending": 0, "failed": 0}
    for status, count in session.execute(
        select(OUTBOX.c.status, func.count()).group_by(OUTBOX.c.status)
    ):
        bucket = "pending" if status == "sending" else status
        result[bucket] = result.get(bucket, 0) + int(count)
    return result


def owed_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(OUTBOX.c.id).where(OUTBOX.c.status.in_(OWED_STATUSES)).order_by(OUTBOX.c.id)
        )
    )


def rows(session: Session, ids: Iterable[int] | None) -> list[OutboxRow]:
    statement = select(OutboxRow).order_by(OutboxRow.id)
    if ids is not None:
        wanted = list(ids)
        if not wanted:
            return []
        found: list[OutboxRow] = []
        for start in range(0, len(wanted), 500):
            found.extend(
                session.scalars(statement.where(OutboxRow.id.in_(wanted[start : start + 500])))
            )
        return sorted(found, key=lambda row: row.id)
    return list(session.scalars(statement))


def route_waiting(
    session: Session, router: Callable[[frozenset[str]], Sequence[str]], now: datetime
) -> int:
    """Give rows waiting for a target (UNROUTED) their targets: `router(tags)` names the target
    keys for a development whose watches carry `tags`. Returns the rows queued."""
    waiting = session.execute(
        select(OUTBOX.c.id, OUTBOX.c.development_id, OUTBOX.c.route_tags)
        .where(OUTBOX.c.target_key == UNROUTED, OUTBOX.c.status == "pending")
        .order_by(OUTBOX.c.id)
        .with_for_update(skip_locked=True)
    ).all()
    if not waiting:
        return 0
    routes: dict[int, list[str]] = {}
    for _, development_id, tags in waiting:
        wanted = frozenset(json.loads(tags)) if tags else frozenset()
        routes[development_id] = list(router(wanted))
    queued = enqueue(session, {d: t for d, t in routes.items() if t}, now)
    ids = [row_id for row_id, _, _ in waiting]
    for start in range(0, len(ids), 500):
        session.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(ids[start : start + 500])))
    return queued
