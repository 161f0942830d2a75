"""Figures and their history: an article's figures recorded once, each diffed against the known
values of its (subject, metric, unit) key (storage.history), and the developments that makes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from laborwatch.domain import Article, ArticleAnalysis, Development, Figure, HistoryEntry
from laborwatch.storage import history, sources
from laborwatch.storage.articles import figure_values
from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.models import (
    ARTICLES,
    CORROBORATIONS,
    DEVELOPMENTS,
    FIGURES,
    KNOWN_VALUES,
    KnownValueRow,
)


def record_figures(
    session: Session,
    article_id: int,
    article: Article,
    analysis: ArticleAnalysis,
    tolerance: float,
    source_ids: dict[str, int],
) -> list[Development]:
    """Store the article's figures and return the developments they make; a second call for the
    same article does nothing (the article's figures_recorded_at is claimed atomically)."""
    now = sources.now()
    claimed = session.execute(
        update(ARTICLES)
        .where(ARTICLES.c.id == article_id, ARTICLES.c.figures_recorded_at.is_(None))
        .values(figures_recorded_at=now, labor_relevant=bool(analysis.labor_relevant))
    )
    if getattr(claimed, "rowcount", 0) != 1:
        if session.scalar(select(ARTICLES.c.id).where(ARTICLES.c.id == article_id)) is None:
            raise ValueError(f"no article with id {article_id}; add_article it first")
        return []  # this article's figures are recorded already
    if analysis.figures:
        session.execute(insert(FIGURES), [figure_values(article_id, f) for f in analysis.figures])
    if not analysis.labor_relevant:
        return []
    source_id = sources.source_id(session, article.source, cache=source_ids)
    return _record_developments(session, article_id, article, analysis, tolerance, now, source_id)


def _development_values(
    decision: history.Decision, article_id: int, source_id: int, now: datetime
) -> dict[str, Any]:
    figure, previous = decision.figure, decision.previous
    return {
        "kind": decision.kind,
        "subject": figure.subject,
        "metric": figure.metric,
        "unit": figure.unit,
        "new_value": float(figure.value),
        "approx": bool(figure.approx),
        "text": figure.text,
        "sentence": figure.sentence,
        "old_value": None if previous is None else previous.value,
        "old_text": None if previous is None else previous.text,
        "old_approx": False if previous is None else previous.approx,
        "article_id": article_id,
        "source_id": source_id,
        "detected_at": now,
    }


def _known_value(
    figure: Figure, article_id: int, development_id: int, now: datetime
) -> dict[str, Any]:
    return {
        "subject": figure.subject,
        "metric": figure.metric,
        "unit": figure.unit,
        "value": float(figure.value),
        "text": figure.text,
        "approx": bool(figure.approx),
        "first_article_id": article_id,
        "development_id": development_id,
        "first_seen_at": now,
    }


def _record_developments(
    session: Session,
    article_id: int,
    article: Article,
    analysis: ArticleAnalysis,
    tolerance: float,
    now: datetime,
    source_id: int,
) -> list[Development]:
    decisions = history.diff_figures(session, list(analysis.figures), tolerance)
    corroborated: set[int] = set()
    changes: list[tuple[Figure, dict[str, Any]]] = []
    for decision in decisions:
        if decision.kind == "known":
            matched = decision.matched
            assert matched is not None
            if matched.first_article_id != article_id:
                corroborated.add(matched.development_id)
            continue
        changes.append((decision.figure, _development_values(decision, article_id, source_id, now)))
    developments: list[Development] = []
    if changes:
        developments = _insert_developments(session, article_id, article, changes, now)
    insert_ignoring_duplicates(
        session,
        CORROBORATIONS,
        [
            {"development_id": dev_id, "article_id": article_id, "created_at": now}
            for dev_id in sorted(corroborated)
        ],
    )
    return developments


def _insert_developments(
    session: Session,
    article_id: int,
    article: Article,
    changes: list[tuple[Figure, dict[str, Any]]],
    now: datetime,
) -> list[Development]:
    # One round trip for all developments of the article, ids back in insertion order.
    ids = session.scalars(
        insert(DEVELOPMENTS).returning(DEVELOPMENTS.c.id, sort_by_parameter_order=True),
        [values for _, values in changes],
    ).all()
    session.execute(
        insert(KNOWN_VALUES),
        [
            _known_value(figure, article_id, development_id, now)
            for (figure, _), development_id in zip(changes, ids, strict=True)
        ],
    )
    # Only the columns a development shows: the row's compressed text stays on disk.
    title, url, published, revision = session.execute(
        select(ARTICLES.c.title, ARTICLES.c.url, ARTICLES.c.published, ARTICLES.c.revision).where(
            ARTICLES.c.id == article_id
        )
    ).one()
    return [
        Development(
            kind=values["kind"],
            subject=values["subject"],
            metric=values["metric"],
            unit=values["unit"],
            new_value=values["new_value"],
            approx=values["approx"],
            text=values["text"],
            sentence=values["sentence"],
            article_title=title,
            article_url=url,
            published=published,
            source=article.source,
            old_value=values["old_value"],
            old_text=values["old_text"],
            old_approx=values["old_approx"],
            id=development_id,
            detected_at=now,
            also_reported_by=[],
            story_updated=bool(revision),
        )
        for (_, values), development_id in zip(changes, ids, strict=True)
    ]


def figure_history(session: Session, subject: str | None, metric: str | None) -> list[HistoryEntry]:
    """Every known value per (subject, metric, unit), oldest first within each key."""
    statement = (
        select(KNOWN_VALUES, ARTICLES.c.title, ARTICLES.c.url, ARTICLES.c.published)
        .join(ARTICLES, ARTICLES.c.id == KNOWN_VALUES.c.first_article_id)
        .order_by(KnownValueRow.subject, KnownValueRow.metric, KnownValueRow.unit, KnownValueRow.id)
    )
    if subject is not None:
        statement = statement.where(KNOWN_VALUES.c.subject == subject)
    if metric is not None:
        statement = statement.where(KNOWN_VALUES.c.metric == metric)
    return [
        HistoryEntry(
            subject=row.subject,
            metric=row.metric,
            unit=row.unit,
            value=row.value,
            text=row.text,
            approx=row.approx,
            article_title=row.title,
            article_url=row.url,
            published=row.published,
            first_seen=row.first_seen_at,
        )
        for row in session.execute(statement)
    ]
