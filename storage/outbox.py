"""The alert outbox: each (development, target) is delivered once, even with overlapping runs.

A run claims rows with one UPDATE (pending -> sending, stamped with a fresh claim token) and reads
back only its own token, so two runs never hold the same row. A run that died mid-send leaves
rows in 'sending'; after `stale_after` they can be claimed again. Rows that failed
`max_attempts` times become 'failed' and stay out of the way until someone looks at them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.models import DevelopmentRow, OutboxRow

MAX_ERROR_LENGTH = 2000
# scheme://anything-up-to-whitespace: Apprise URLs carry tokens and passwords after the scheme.
_URL_PATTERN = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]{1,30})://[^\s'\"<>]+")


def redact_secrets(message: str) -> str:
    """Keep an error readable but drop everything after '://' in any URL inside it."""
    redacted = _URL_PATTERN.sub(lambda match: f"{match.group(1)}://<redacted>", message)
    if len(redacted) > MAX_ERROR_LENGTH:
        redacted = redacted[: MAX_ERROR_LENGTH - 1] + "…"
    return redacted


def enqueue(session: Session, routes: Mapping[int, Sequence[str]], now: datetime) -> int:
    rows: list[dict[str, Any]] = []
    for development_id, targets in routes.items():
        for target in dict.fromkeys(targets):  # keep order, drop repeats
            if not isinstance(target, str) or not target.strip():
                raise ValueError(f"development {development_id}: empty target key")
            rows.append(
                {
                    "development_id": development_id,
                    "target_key": target,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
            )
    if not rows:
        return 0
    wanted: set[int] = {int(row["development_id"]) for row in rows}
    existing = set(session.scalars(select(DevelopmentRow.id).where(DevelopmentRow.id.in_(wanted))))
    missing = sorted(wanted - existing)
    if missing:
        raise ValueError(f"cannot enqueue alerts for unknown development id(s) {missing}")
    return insert_ignoring_duplicates(session, OutboxRow.__table__, rows)  # type: ignore[arg-type]


def expire_exhausted(session: Session, max_attempts: int) -> None:
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.status == "pending", OutboxRow.attempts >= max_attempts)
        .values(status="failed")
    )


def claim(
    session: Session,
    *,
    claimant: str,
    max_attempts: int,
    stale_after: timedelta,
    now: datetime,
) -> list[int]:
    """Mark claimable rows as ours in one statement; return their ids."""
    if not claimant.strip():
        raise ValueError("claimant must name the run claiming alerts")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    expire_exhausted(session, max_attempts)
    token = str(uuid.uuid4())
    claimable = and_(
        OutboxRow.attempts < max_attempts,
        or_(
            OutboxRow.status == "pending",
            and_(OutboxRow.status == "sending", OutboxRow.claimed_at < now - stale_after),
        ),
    )
    session.execute(
        update(OutboxRow)
        .where(claimable)
        .values(status="sending", claimed_by=claimant, claim_token=token, claimed_at=now)
    )
    return list(
        session.scalars(
            select(OutboxRow.id).where(OutboxRow.claim_token == token).order_by(OutboxRow.id)
        )
    )


def mark_sent(session: Session, outbox_ids: Sequence[int], now: datetime) -> None:
    if not outbox_ids:
        return
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_(list(outbox_ids)), OutboxRow.status != "sent")
        .values(status="sent", sent_at=now, last_error=None, claim_token=None)
    )


def mark_failed(
    session: Session, outbox_ids: Sequence[int], error: str, max_attempts: int | None
) -> None:
    """Back to pending with one more attempt counted (or 'failed' once attempts run out)."""
    if not outbox_ids:
        return
    values: dict[str, object] = {
        "attempts": OutboxRow.attempts + 1,
        "last_error": redact_secrets(error),
        "claim_token": None,
        "claimed_at": None,
        "status": "pending",
    }
    statement = update(OutboxRow).where(
        OutboxRow.id.in_(list(outbox_ids)), OutboxRow.status.in_(("sending", "pending"))
    )
    session.execute(statement.values(values))
    if max_attempts is not None:
        expire_exhausted(session, max_attempts)


def counts(session: Session) -> dict[str, int]:
    """{"sent", "pending", "failed"}; rows being sent right now count as pending (not sent yet)."""
    result = {"sent": 0, "pending": 0, "failed": 0}
    for status, count in session.execute(
        select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
    ):
        bucket = "pending" if status == "sending" else status
        result[bucket] = result.get(bucket, 0) + int(count)
    return result
