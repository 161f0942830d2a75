"""What each run did with its developments, kept with them: "alerted", or the reason it was only
recorded. And the developments an article corroborated (a known value reported again), which
the run report lists as recorded only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from laborwatch.domain import CORROBORATION, Development
from laborwatch.storage import developments as developments_rows
from laborwatch.storage.models import ArticleRow, CorroborationRow, DevelopmentRow

if TYPE_CHECKING:
    from laborwatch.storage.store import Store


def record_outcomes(store: Store, outcomes: Mapping[int, str]) -> None:
    """Keep each development's outcome (by development id), one UPDATE per outcome."""
    by_outcome: dict[str, list[int]] = defaultdict(list)
    for development_id, outcome in outcomes.items():
        by_outcome[outcome].append(development_id)
    if not by_outcome:
        return

    def work(session: Session) -> None:
        for outcome, ids in by_outcome.items():
            for start in range(0, len(ids), 500):
                session.execute(
                    update(DevelopmentRow)
                    .where(DevelopmentRow.id.in_(ids[start : start + 500]))
                    .values(outcome=outcome)
                )

    store._write(work)


def corroborated_by(store: Store, article_ids: Sequence[int] | None) -> list[Development]:
    """The known values these articles (None: any article) reported again, one entry per
    corroboration, as seen from the corroborating article: its title, link and date, outcome
    CORROBORATION, `also_reported_by` naming the article that reported the value first."""
    statement = (
        select(
            CorroborationRow.development_id,
            ArticleRow.title,
            ArticleRow.url,
            ArticleRow.published,
            CorroborationRow.created_at,
        )
        .join(ArticleRow, ArticleRow.id == CorroborationRow.article_id)
        .order_by(CorroborationRow.id)
    )
    if article_ids is not None:
        if not article_ids:
            return []
        statement = statement.where(CorroborationRow.article_id.in_(list(article_ids)))
    with store._transaction(read_only=True) as session:
        rows = session.execute(statement).all()
        ids = sorted({row[0] for row in rows})
        loaded = {
            dev.id: dev
            for start in range(0, len(ids), 500)
            for dev in developments_rows.load(
                session,
                select(DevelopmentRow).where(DevelopmentRow.id.in_(ids[start : start + 500])),
            )
        }
    found = []
    for development_id, title, url, published, created_at in rows:
        first = loaded.get(development_id)
        if first is None:
            continue
        found.append(
            replace(
                first,
                outcome=CORROBORATION,
                article_title=title or url or "",
                article_url=url,
                published=published,
                detected_at=created_at,
                also_reported_by=[first.article_title or first.article_url or ""],
                also_in_article=[],
            )
        )
    return found
