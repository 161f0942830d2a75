"""Articles: one row per story however many sources carried it, and the (source, link) pairs it
was seen through. Functions here work inside a transaction the Store opened."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from laborwatch.domain import METRICS, UNITS, Article, ArticleAnalysis, Figure
from laborwatch.packed import pack_bytes, pack_text, unpack_bytes, unpack_text
from laborwatch.storage import sources
from laborwatch.storage.db import insert_ignoring_duplicates
from laborwatch.storage.identity import article_canonical_url, content_hash, guid_key, link_key
from laborwatch.storage.models import ARTICLE_SOURCES, ARTICLES, FIGURES, SOURCES
from laborwatch.storage.records import ArticleOutcome

# Rows per IN (...) list: well under every backend's parameter limit.
IN_CHUNK = 500


def compress(text: str | None) -> bytes | None:
    return None if text is None else pack_text(text)


def decompress(blob: bytes | None) -> str | None:
    return None if blob is None else unpack_text(blob)


def _raw_z(article: Article) -> bytes | None:
    """The raw text packed: as the analysis worker packed it, or packed here."""
    return article.raw_z if article.raw_z is not None else compress(article.raw)


def _page_z(article: Article) -> bytes | None:
    """The fetched page packed: as the analysis worker packed it, or packed here."""
    if article.page_z is not None:
        return article.page_z
    return None if article.page is None else pack_bytes(article.page)


def check_figure(figure: Figure) -> None:
    where = f"figure {figure.text!r}"
    if figure.unit not in UNITS:
        raise ValueError(f"{where}: unknown unit {figure.unit!r}; known: {', '.join(UNITS)}")
    if figure.metric not in METRICS:
        raise ValueError(f"{where}: unknown metric {figure.metric!r}; known: {', '.join(METRICS)}")
    if not isinstance(figure.value, int | float) or not math.isfinite(figure.value):
        raise ValueError(f"{where}: value must be a finite number, got {figure.value!r}")
    if not figure.subject or not figure.subject.strip():
        raise ValueError(f"{where}: empty subject")


def figure_values(article_id: int, f: Figure) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "subject": f.subject,
        "metric": f.metric,
        "unit": f.unit,
        "value": float(f.value),
        "approx": bool(f.approx),
        "text": f.text,
        "sentence": f.sentence,
        "start": f.start,
        "end": f.end,
    }


def _text_values(article: Article) -> dict[str, Any]:
    return {
        "title": article.title or "",
        "published": article.published,
        "author": article.author,
        "summary": article.summary,
        "text_z": compress(article.text or ""),
        "raw_z": _raw_z(article),
        "page_z": _page_z(article),
    }


def _find_existing(
    session: Session, guid: str | None, canonical: str | None, digest: str
) -> tuple[int | None, str | None]:
    conditions = [ARTICLES.c.content_hash == digest]
    if guid is not None:
        conditions.append(ARTICLES.c.guid_key == guid)
    if canonical is not None:
        conditions.append(ARTICLES.c.canonical_url == canonical)
    found = session.execute(
        select(ARTICLES.c.id, ARTICLES.c.content_hash)
        .where(or_(*conditions))
        .order_by(ARTICLES.c.id)
        .limit(1)
    ).first()
    return (None, None) if found is None else (int(found[0]), found[1])


def add_article(
    session: Session, article: Article, analysis: ArticleAnalysis, source_ids: dict[str, int]
) -> ArticleOutcome:
    """Store a new article, or note that a known one was seen again through this source (or
    replace the text of a story its source updated in place)."""
    guid = guid_key(article.source, article.guid)
    canonical = article_canonical_url(article.url)
    digest = content_hash(article)
    link = link_key(article.url)
    source_id = sources.source_id(session, article.source, cache=source_ids)
    existing, stored_digest = _find_existing(session, guid, canonical, digest)
    now = sources.now()
    revised = False
    if existing is None:
        values = {
            "guid_key": guid,
            "guid": article.guid,
            "canonical_url": canonical,
            "content_hash": digest,
            "url": article.url,
            "position": article.position,
            "labor_relevant": bool(analysis.labor_relevant),
            "first_source_id": source_id,
            "first_seen_at": now,
            **_text_values(article),
        }
        article_id = session.execute(insert(ARTICLES).returning(ARTICLES.c.id), values).scalar_one()
    else:
        article_id = existing
        if stored_digest != digest and _is_revision(session, existing, source_id, link, digest):
            _revise_article(session, existing, article, digest, now)
            revised = True
    _note_delivery(session, article_id, source_id, link, article.fingerprint, now, existing)
    is_new = existing is None
    return ArticleOutcome(
        article_id=article_id,
        is_new=is_new,
        duplicate_of=None if is_new or revised else article_id,
        revised=revised,
    )


def _note_delivery(
    session: Session,
    article_id: int,
    source_id: int,
    link: str,
    fingerprint: str | None,
    now: datetime,
    existing: int | None,
) -> None:
    """Remember that `source_id` delivered the article under `link`, with this fingerprint."""
    insert_ignoring_duplicates(
        session,
        ARTICLE_SOURCES,
        [
            {
                "article_id": article_id,
                "source_id": source_id,
                "link": link,
                "seen_at": now,
                "entry_hash": fingerprint,
            }
        ],
    )
    if existing is not None and fingerprint is not None:
        session.execute(
            update(ARTICLE_SOURCES)
            .where(
                ARTICLE_SOURCES.c.article_id == article_id,
                ARTICLE_SOURCES.c.source_id == source_id,
                ARTICLE_SOURCES.c.link == link,
            )
            .values(entry_hash=fingerprint)
        )


def _is_revision(session: Session, article_id: int, source_id: int, link: str, digest: str) -> bool:
    """Is a different text for stored article `article_id` an update of that story? Only when
    this same source delivered it under this same link (another outlet's version of a story is a
    duplicate, not an update), and when no other stored article has the text."""
    if not link:
        return False
    delivered = session.scalar(
        select(ARTICLE_SOURCES.c.id).where(
            ARTICLE_SOURCES.c.article_id == article_id,
            ARTICLE_SOURCES.c.source_id == source_id,
            ARTICLE_SOURCES.c.link == link,
        )
    )
    if delivered is None:
        return False
    taken = session.scalar(select(ARTICLES.c.id).where(ARTICLES.c.content_hash == digest))
    return taken is None


def _revise_article(
    session: Session, article_id: int, article: Article, digest: str, now: datetime
) -> None:
    """Replace a stored story's text with its update. Its figures are recorded again (the caller
    does that) and diffed against the history, which keeps every value reported before: a figure
    the update restates is known, one it changes is a development."""
    session.execute(delete(FIGURES).where(FIGURES.c.article_id == article_id))
    session.execute(
        update(ARTICLES)
        .where(ARTICLES.c.id == article_id)
        .values(
            content_hash=digest,
            figures_recorded_at=None,
            revision=ARTICLES.c.revision + 1,
            revised_at=now,
            **_text_values(article),
        )
    )


def delivered_links(session: Session, source: str, keys: list[str]) -> dict[str, set[str | None]]:
    """Entry fingerprints `source` delivered under each of `keys` (link keys)."""
    stored: dict[str, set[str | None]] = {}
    source_id = session.scalar(select(SOURCES.c.id).where(SOURCES.c.key == source))
    if source_id is None:
        return stored
    for start in range(0, len(keys), IN_CHUNK):
        rows = session.execute(
            select(ARTICLE_SOURCES.c.link, ARTICLE_SOURCES.c.entry_hash).where(
                ARTICLE_SOURCES.c.source_id == source_id,
                ARTICLE_SOURCES.c.link.in_(keys[start : start + IN_CHUNK]),
            )
        )
        for key, entry_hash in rows:
            stored.setdefault(key, set()).add(entry_hash)
    return stored


def unchanged(
    keys: Mapping[str, list[str]],
    stored: Mapping[str, set[str | None]],
    fingerprints: Mapping[str, str | None],
) -> tuple[set[str], dict[str, str]]:
    """(links delivered unchanged, {link key: fingerprint to backfill on pre-0003 rows})."""
    result: set[str] = set()
    backfill: dict[str, str] = {}
    for key, hashes in stored.items():
        for link in keys[key]:
            current = fingerprints[link]
            if current is None or current in hashes:
                result.add(link)
            elif hashes == {None}:
                result.add(link)
                backfill[key] = current
    return result, backfill


def backfill_fingerprints(session: Session, source: str, backfill: Mapping[str, str]) -> None:
    source_id = session.scalar(select(SOURCES.c.id).where(SOURCES.c.key == source))
    for key, entry_hash in backfill.items():
        session.execute(
            update(ARTICLE_SOURCES)
            .where(
                ARTICLE_SOURCES.c.source_id == source_id,
                ARTICLE_SOURCES.c.link == key,
                ARTICLE_SOURCES.c.entry_hash.is_(None),
            )
            .values(entry_hash=entry_hash)
        )


def read_batch(session: Session, after_id: int, limit: int) -> list[tuple[int, Article]]:
    """Stored articles with their text and raw body, by id, after `after_id`."""
    rows = session.execute(
        select(ARTICLES, SOURCES.c.key.label("source_key"))
        .join(SOURCES, SOURCES.c.id == ARTICLES.c.first_source_id)
        .where(ARTICLES.c.id > after_id)
        .order_by(ARTICLES.c.id)
        .limit(limit)
    ).all()
    return [
        (
            row.id,
            Article(
                source=row.source_key,
                title=row.title,
                text=decompress(row.text_z) or "",
                url=row.url,
                guid=row.guid,
                published=row.published,
                author=row.author,
                summary=row.summary,
                raw=decompress(row.raw_z),
                page=None if row.page_z is None else unpack_bytes(row.page_z),
                position=row.position,
            ),
        )
        for row in rows
    ]


def replace_figures(
    session: Session, article_id: int, analysis: ArticleAnalysis
) -> tuple[int, int]:
    if session.scalar(select(ARTICLES.c.id).where(ARTICLES.c.id == article_id)) is None:
        raise ValueError(f"no article with id {article_id}")
    removed = session.execute(delete(FIGURES).where(FIGURES.c.article_id == article_id))
    session.execute(
        update(ARTICLES)
        .where(ARTICLES.c.id == article_id)
        .values(labor_relevant=bool(analysis.labor_relevant))
    )
    if analysis.figures:
        session.execute(insert(FIGURES), [figure_values(article_id, f) for f in analysis.figures])
    return int(getattr(removed, "rowcount", 0) or 0), len(analysis.figures)


def article_figures(session: Session, article_id: int) -> list[tuple[str, str, str, float]]:
    rows = session.execute(
        select(FIGURES.c.subject, FIGURES.c.metric, FIGURES.c.unit, FIGURES.c.value)
        .where(FIGURES.c.article_id == article_id)
        .order_by(FIGURES.c.start, FIGURES.c.id)
    ).tuples()
    return [(a, b, c, float(d)) for a, b, c, d in rows]


def link_keys(links: Iterable[str]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for link in links:
        if link and link.strip():
            keys.setdefault(link_key(link), []).append(link)
    return keys
