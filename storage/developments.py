"""Developments read back: with their article, source and the articles corroborating them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from laborwatch.domain import Development, Unit
from laborwatch.storage.articles import IN_CHUNK
from laborwatch.storage.models import (
    ArticleRow,
    CorroborationRow,
    DevelopmentRow,
    SourceRow,
)


def _development_from(
    row: DevelopmentRow, article_row: ArticleRow, source_key: str, also_reported_by: list[str]
) -> Development:
    return Development(
        kind=cast(Any, row.kind),
        subject=row.subject,
        metric=row.metric,
        unit=cast(Unit, row.unit),
        new_value=row.new_value,
        approx=row.approx,
        text=row.text,
        sentence=row.sentence,
        article_title=article_row.title,
        article_url=article_row.url,
        published=article_row.published,
        source=source_key,
        old_value=row.old_value,
        old_text=row.old_text,
        old_approx=row.old_approx,
        id=row.id,
        detected_at=row.detected_at,
        also_reported_by=also_reported_by,
        # Found in an update of the story (not in a later update than its detection).
        story_updated=article_row.revised_at is not None
        and row.detected_at is not None
        and row.detected_at >= article_row.revised_at,
        outcome=row.outcome,
    )


def _corroborating(session: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {dev_id: [] for dev_id in ids}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[start : start + IN_CHUNK])
        for development_id, title, url in session.execute(
            select(CorroborationRow.development_id, ArticleRow.title, ArticleRow.url)
            .join(ArticleRow, ArticleRow.id == CorroborationRow.article_id)
            .where(CorroborationRow.development_id.in_(chunk))
            .order_by(CorroborationRow.id)
        ):
            found[development_id].append(title or url or "")
    return found


def load(session: Session, statement: Select[Any]) -> list[Development]:
    """The developments `statement` (a select of DevelopmentRow) finds, in its order."""
    rows = session.execute(
        statement.add_columns(ArticleRow, SourceRow.key)
        .join(ArticleRow, ArticleRow.id == DevelopmentRow.article_id)
        .join(SourceRow, SourceRow.id == DevelopmentRow.source_id)
    ).all()
    corroborating = _corroborating(session, [row[0].id for row in rows])
    return [
        _development_from(development, article_row, source_key, corroborating[development.id])
        for development, article_row, source_key in rows
    ]


def by_ids(session: Session, ids: Sequence[int]) -> dict[int, Development]:
    found: dict[int, Development] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        for dev in load(session, select(DevelopmentRow).where(DevelopmentRow.id.in_(chunk))):
            assert dev.id is not None
            found[dev.id] = dev
    return found


def listing(since: datetime | None, subject: str | None, limit: int | None) -> Select[Any]:
    """The statement for `Store.list_developments` (newest first when limited)."""
    statement = select(DevelopmentRow)
    if since is not None:
        statement = statement.where(DevelopmentRow.detected_at >= since)
    if subject is not None:
        statement = statement.where(DevelopmentRow.subject == subject)
    if limit is not None:
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        return statement.order_by(DevelopmentRow.id.desc()).limit(limit)
    return statement.order_by(DevelopmentRow.id)
