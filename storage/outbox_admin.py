"""The outbox as people manage it: list rows with their status and sent time, drop the alerts
owed to a target that was removed, or hand them to another target, and put back rows claimed
for a target this run does not know (without counting an attempt)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from laborwatch.domain import Development
from laborwatch.storage import developments as developments_rows
from laborwatch.storage.models import DevelopmentRow, OutboxRow

if TYPE_CHECKING:
    from laborwatch.storage.store import Store

DROPPED_NOTE = "dropped by `laborwatch alerts --drop`"
# Not delivered (yet) and not dropped; a dropped row is a failed one with DROPPED_NOTE.
OPEN = and_(
    OutboxRow.status.in_(("pending", "sending", "failed")),
    or_(OutboxRow.last_error.is_(None), OutboxRow.last_error != DROPPED_NOTE),
)


@dataclass
class OutboxEntry:
    id: int
    target_key: str
    status: str  # pending, sending, sent, failed, dropped
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    development: Development


def list_outbox(
    store: Store, *, pending_only: bool = False, limit: int | None = None
) -> list[OutboxEntry]:
    """Rows oldest first (the newest `limit` with a limit); `pending_only`: not delivered yet
    (pending, being sent, or failed and backing off)."""
    statement = select(OutboxRow).order_by(OutboxRow.id.desc() if limit else OutboxRow.id)
    if pending_only:
        statement = statement.where(OutboxRow.status.in_(("pending", "sending", "failed")))
    if limit:
        statement = statement.limit(limit)
    with store._transaction(read_only=True) as session:
        rows = list(session.scalars(statement))
        ids = sorted({row.development_id for row in rows})
        developments = {
            dev.id: dev
            for start in range(0, len(ids), 500)
            for dev in developments_rows.load(
                session,
                select(DevelopmentRow).where(DevelopmentRow.id.in_(ids[start : start + 500])),
            )
        }
    entries = [
        OutboxEntry(
            id=row.id,
            target_key=row.target_key,
            status="dropped" if row.last_error == DROPPED_NOTE else row.status,
            attempts=row.attempts,
            last_error=row.last_error,
            created_at=row.created_at,
            sent_at=row.sent_at,
            development=developments[row.development_id],
        )
        for row in rows
    ]
    return sorted(entries, key=lambda entry: entry.id)


def open_target_keys(store: Store) -> dict[str, int]:
    """Target keys with alerts waiting to be sent, and how many each."""
    with store._transaction(read_only=True) as session:
        return {
            key: int(count)
            for key, count in session.execute(
                select(OutboxRow.target_key, func.count())
                .where(OutboxRow.status.in_(("pending", "sending")))
                .group_by(OutboxRow.target_key)
                .order_by(OutboxRow.target_key)
            )
        }


def drop_alerts(store: Store, target_key: str) -> int:
    """Delete every undelivered alert owed to `target_key` (its developments stay in the
    history); returns how many."""

    def work(session: Session) -> int:
        result = session.execute(delete(OutboxRow).where(OutboxRow.target_key == target_key, OPEN))
        return int(getattr(result, "rowcount", 0) or 0)

    return store._write(work)


def reassign_alerts(store: Store, from_key: str, to_key: str) -> tuple[int, int]:
    """Hand the undelivered alerts owed to `from_key` to `to_key`, as new pending alerts
    (attempts reset). A development `to_key` already has is not owed twice: that row is
    deleted. Returns (moved, dropped as duplicates)."""

    def work(session: Session) -> tuple[int, int]:
        already = select(OutboxRow.development_id).where(OutboxRow.target_key == to_key)
        doubles = session.execute(
            delete(OutboxRow).where(
                OutboxRow.target_key == from_key, OPEN, OutboxRow.development_id.in_(already)
            )
        )
        moved = session.execute(
            update(OutboxRow)
            .where(OutboxRow.target_key == from_key, OPEN)
            .values(
                target_key=to_key,
                status="pending",
                attempts=0,
                last_error=None,
                claim_token=None,
                claimed_at=None,
            )
        )
        return int(getattr(moved, "rowcount", 0) or 0), int(getattr(doubles, "rowcount", 0) or 0)

    return store._write(work)


def release_alerts(store: Store, outbox_ids: Sequence[int], note: str) -> None:
    """Back to pending with `note` as the last error, no attempt counted: rows a run claimed
    for a target it does not know wait for `--reassign` or `--drop`, not for a retry limit."""
    if not outbox_ids:
        return

    def work(session: Session) -> None:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(list(outbox_ids)), OutboxRow.status == "sending")
            .values(status="pending", last_error=note, claim_token=None, claimed_at=None)
        )

    store._write(work)
