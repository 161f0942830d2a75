"""How each notification target fared run after run: a streak of failed runs is told to the
operators once (when it reaches the threshold), and a good run ends the streak."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.models import ALERT_TARGETS
from laborwatch.storage.outbox import redact_secrets
from laborwatch.storage.records import TargetRun


def record_run(
    session: Session, target_key: str, *, ok: bool, error: str | None, threshold: int, now: datetime
) -> TargetRun:
    insert_ignoring_duplicates(
        session, ALERT_TARGETS, [{"target_key": target_key, "failed_runs": 0}]
    )
    where = ALERT_TARGETS.c.target_key == target_key
    # Lock the row (PostgreSQL) so two runs finishing together count two failures, not one.
    row = session.execute(select(ALERT_TARGETS).where(where).with_for_update()).one()
    if ok:
        session.execute(
            update(ALERT_TARGETS)
            .where(where)
            .values(failed_runs=0, last_ok_at=now, operators_alerted_at=None)
        )
        return TargetRun(target_key, 0, operators_due=False)
    failed_runs = int(row.failed_runs) + 1
    due = failed_runs >= threshold and row.operators_alerted_at is None
    values: dict[str, object] = {
        "failed_runs": failed_runs,
        "last_failed_at": now,
        "last_error": None if error is None else redact_secrets(error),
    }
    if due:
        values["operators_alerted_at"] = now
    session.execute(update(ALERT_TARGETS).where(where).values(values))
    return TargetRun(target_key, failed_runs, operators_due=due)
