"""Sources: each feed or article location, with the fetch state remembered between runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from laborwatch.domain import FetchState
from laborwatch.storage.clean import clean_text
from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.models import SourceRow as SourceModel
from laborwatch.storage.records import SourceRow, SourceStateUpdate


def now() -> datetime:
    return datetime.now(UTC)


def source_id(
    session: Session, key: str, label: str | None = None, cache: dict[str, int] | None = None
) -> int:
    """The id of the source `key`, added when new (concurrent adders agree on one row)."""
    if cache is not None and key in cache:
        return cache[key]
    if not key:
        raise ValueError("source key must not be empty")
    key = clean_text(key)
    found = session.scalar(select(SourceModel.id).where(SourceModel.key == key))
    if found is None:
        insert_ignoring_duplicates(
            session,
            SourceModel.__table__,  # type: ignore[arg-type]
            [
                {
                    "key": key,
                    "label": clean_text(label),
                    "failure_score": 0.0,
                    "consecutive_failures": 0,
                    "created_at": now(),
                }
            ],
        )
        found = session.scalars(select(SourceModel.id).where(SourceModel.key == key)).one()
    if cache is not None:
        cache[key] = found
    return found


def state_from(row: SourceModel) -> FetchState:
    return FetchState(
        etag=row.etag,
        last_modified=row.last_modified,
        content_hash=row.content_hash,
        last_status=row.last_status,
        last_fetched_at=row.last_fetched_at,
        last_new_entry_at=row.last_new_entry_at,
        failure_score=row.failure_score,
        consecutive_failures=row.consecutive_failures,
        paused_until=row.paused_until,
        last_error=row.last_error,
    )


def load_state(session: Session, key: str) -> FetchState | None:
    row = session.scalars(select(SourceModel).where(SourceModel.key == key)).first()
    return None if row is None else state_from(row)


def save_state(session: Session, update_: SourceStateUpdate) -> None:
    state = update_.state
    found = source_id(session, update_.key, update_.label)
    values: dict[str, Any] = {
        "etag": clean_text(state.etag),
        "last_modified": clean_text(state.last_modified),
        "content_hash": state.content_hash,
        "last_status": state.last_status,
        "last_fetched_at": state.last_fetched_at,
        "last_new_entry_at": state.last_new_entry_at,
        "failure_score": state.failure_score,
        "consecutive_failures": state.consecutive_failures,
        "paused_until": state.paused_until,
        "last_error": clean_text(state.last_error),
    }
    if update_.label is not None:
        values["label"] = clean_text(update_.label)
    session.execute(update(SourceModel).where(SourceModel.id == found).values(values))


def list_all(session: Session) -> list[SourceRow]:
    rows = session.scalars(select(SourceModel).order_by(SourceModel.key))
    return [SourceRow(key=row.key, label=row.label, state=state_from(row)) for row in rows]
