"""Store: the one object the flow and the CLI use to keep articles, figures, developments and the
alert outbox. Every public method is one transaction; writes are idempotent."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Table, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from laborwatch.domain import (
    METRICS,
    UNITS,
    Article,
    ArticleAnalysis,
    Development,
    FetchState,
    Figure,
    Unit,
)
from laborwatch.packed import pack_bytes, pack_text, unpack_bytes, unpack_text
from laborwatch.storage import history, outbox
from laborwatch.storage.db import insert_ignoring_duplicates, make_engine, upgrade_database
from laborwatch.storage.identity import article_canonical_url, content_hash, guid_key, link_key
from laborwatch.storage.models import (
    ArticleRow,
    ArticleSourceRow,
    CorroborationRow,
    DevelopmentRow,
    FigureRow,
    KnownValueRow,
    OutboxRow,
)
from laborwatch.storage.models import SourceRow as SourceModel

T = TypeVar("T")
# Concurrent writers can collide on a unique key (both saw "absent", both inserted); the loser
# retries once the winner committed and then finds the row.
WRITE_RETRIES = 5


@dataclass
class ArticleOutcome:
    article_id: int
    is_new: bool
    duplicate_of: int | None
    # A story this source delivered before under the same link, now with another text: the
    # stored text was replaced and its figures are to be recorded (and diffed) again.
    revised: bool = False

    @property
    def needs_figures(self) -> bool:
        return self.is_new or self.revised


@dataclass
class StoredArticle:
    outcome: ArticleOutcome
    developments: list[Development]  # empty unless the article is new or revised


@dataclass
class OutboxItem:
    id: int
    target_key: str
    attempts: int
    last_error: str | None
    development: Development


@dataclass
class HistoryEntry:
    subject: str
    metric: str
    unit: str
    value: float
    text: str
    approx: bool
    article_title: str
    article_url: str | None
    published: datetime | None
    first_seen: datetime


@dataclass
class SourceRow:
    key: str
    label: str | None
    state: FetchState


def _now() -> datetime:
    return datetime.now(UTC)


def _compress(text: str | None) -> bytes | None:
    return None if text is None else pack_text(text)


def _decompress(blob: bytes | None) -> str | None:
    return None if blob is None else unpack_text(blob)


def _raw_z(article: Article) -> bytes | None:
    """The raw text packed: as the analysis worker packed it, or packed here."""
    return article.raw_z if article.raw_z is not None else _compress(article.raw)


def _page_z(article: Article) -> bytes | None:
    """The fetched page packed: as the analysis worker packed it, or packed here."""
    if article.page_z is not None:
        return article.page_z
    return None if article.page is None else pack_bytes(article.page)


def _check_figure(figure: Figure) -> None:
    where = f"figure {figure.text!r}"
    if figure.unit not in UNITS:
        raise ValueError(f"{where}: unknown unit {figure.unit!r}; known: {', '.join(UNITS)}")
    if figure.metric not in METRICS:
        raise ValueError(f"{where}: unknown metric {figure.metric!r}; known: {', '.join(METRICS)}")
    if not isinstance(figure.value, int | float) or not math.isfinite(figure.value):
        raise ValueError(f"{where}: value must be a finite number, got {figure.value!r}")
    if not figure.subject or not figure.subject.strip():
        raise ValueError(f"{where}: empty subject")


def _state_from(row: SourceModel) -> FetchState:
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


class Store:
    def __init__(self, url: str) -> None:
        """Connect only; use `Store.open` to also bring the schema up to date."""
        self._url = url  # may carry a password: never shown
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Readers need no write lock in SQLite's WAL mode; don't queue them behind writers.
        reader = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._read_sessions = sessionmaker(reader, expire_on_commit=False)
        # SQLite has one writer at a time. Writers of this process queue here, not each holding
        # a pooled connection while it waits for the file lock: with dozens of threads writing
        # (a run reads hundreds of feeds at once) the pool would run dry and time out.
        self._write_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(url)
        try:
            upgrade_database(url, engine=store.engine)
        except Exception:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        session = self._read_sessions() if read_only else self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a transaction, retrying when a concurrent writer won a unique-key race."""
        for attempt in range(WRITE_RETRIES):
            try:
                with self._write_lock, self._transaction() as session:
                    return work(session)
            except IntegrityError:
                if attempt == WRITE_RETRIES - 1:
                    raise
            except OperationalError as exc:
                # PostgreSQL deadlock / serialization failures are safe to retry as a whole.
                code = getattr(exc.orig, "sqlstate", None)
                if code not in ("40001", "40P01") or attempt == WRITE_RETRIES - 1:
                    raise
            time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def _source_id(self, session: Session, key: str, label: str | None = None) -> int:
        if not key:
            raise ValueError("source key must not be empty")
        found = session.scalar(select(SourceModel.id).where(SourceModel.key == key))
        if found is not None:
            return found
        insert_ignoring_duplicates(
            session,
            SourceModel.__table__,  # type: ignore[arg-type]
            [
                {
                    "key": key,
                    "label": label,
                    "failure_score": 0.0,
                    "consecutive_failures": 0,
                    "created_at": _now(),
                }
            ],
        )
        return session.scalars(select(SourceModel.id).where(SourceModel.key == key)).one()

    # -- sources --------------------------------------------------------------------------------

    def load_fetch_state(self, source: str) -> FetchState | None:
        with self._transaction(read_only=True) as session:
            row = session.scalars(select(SourceModel).where(SourceModel.key == source)).first()
            return None if row is None else _state_from(row)

    def save_fetch_state(self, source: str, state: FetchState, *, label: str | None = None) -> None:
        def work(session: Session) -> None:
            source_id = self._source_id(session, source, label)
            values: dict[str, Any] = {
                "etag": state.etag,
                "last_modified": state.last_modified,
                "content_hash": state.content_hash,
                "last_status": state.last_status,
                "last_fetched_at": state.last_fetched_at,
                "last_new_entry_at": state.last_new_entry_at,
                "failure_score": state.failure_score,
                "consecutive_failures": state.consecutive_failures,
                "paused_until": state.paused_until,
                "last_error": state.last_error,
            }
            if label is not None:
                values["label"] = label
            session.execute(update(SourceModel).where(SourceModel.id == source_id).values(values))

        self._write(work)

    def list_sources(self) -> list[SourceRow]:
        with self._transaction(read_only=True) as session:
            rows = session.scalars(select(SourceModel).order_by(SourceModel.key))
            return [SourceRow(key=row.key, label=row.label, state=_state_from(row)) for row in rows]

    # -- articles -------------------------------------------------------------------------------

    def add_article(self, article: Article, analysis: ArticleAnalysis) -> ArticleOutcome:
        """Store a new article, or note that a known one was seen again through this source."""
        return self._write(lambda session: self._add_article_in(session, article, analysis, {}))

    def _add_article_in(
        self,
        session: Session,
        article: Article,
        analysis: ArticleAnalysis,
        source_ids: dict[str, int],
    ) -> ArticleOutcome:
        guid = guid_key(article.source, article.guid)
        canonical = article_canonical_url(article.url)
        digest = content_hash(article)
        link = link_key(article.url)
        source_id = source_ids.get(article.source)
        if source_id is None:
            source_id = source_ids[article.source] = self._source_id(session, article.source)
        conditions = [ArticleRow.content_hash == digest]
        if guid is not None:
            conditions.append(ArticleRow.guid_key == guid)
        if canonical is not None:
            conditions.append(ArticleRow.canonical_url == canonical)
        found = session.execute(
            select(ARTICLES.c.id, ARTICLES.c.content_hash)
            .where(or_(*conditions))
            .order_by(ARTICLES.c.id)
            .limit(1)
        ).first()
        existing, stored_digest = (None, None) if found is None else (int(found[0]), found[1])
        now = _now()
        revised = False
        if (
            existing is not None
            and stored_digest != digest
            and self._is_revision(session, existing, source_id, link, digest)
        ):
            self._revise_article(session, existing, article, digest, now)
            article_id, is_new, revised = existing, False, True
        elif existing is None:
            # Core statements on the tables, here and in the diff: the same SQL as through the
            # ORM, without its per-statement bookkeeping, which was most of a chunk's cost.
            article_id = session.execute(
                insert(ARTICLES).returning(ARTICLES.c.id),
                {
                    "guid_key": guid,
                    "guid": article.guid,
                    "canonical_url": canonical,
                    "content_hash": digest,
                    "title": article.title or "",
                    "url": article.url,
                    "published": article.published,
                    "author": article.author,
                    "summary": article.summary,
                    "text_z": _compress(article.text or ""),
                    "raw_z": _raw_z(article),
                    "page_z": _page_z(article),
                    "position": article.position,
                    "labor_relevant": bool(analysis.labor_relevant),
                    "first_source_id": source_id,
                    "first_seen_at": now,
                },
            ).scalar_one()
            is_new = True
        else:
            article_id, is_new = existing, False
        insert_ignoring_duplicates(
            session,
            ArticleSourceRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "article_id": article_id,
                    "source_id": source_id,
                    "link": link,
                    "seen_at": now,
                    "entry_hash": article.fingerprint,
                }
            ],
        )
        if not is_new and article.fingerprint is not None:
            session.execute(
                update(ARTICLE_SOURCES)
                .where(
                    ARTICLE_SOURCES.c.article_id == article_id,
                    ARTICLE_SOURCES.c.source_id == source_id,
                    ARTICLE_SOURCES.c.link == link,
                )
                .values(entry_hash=article.fingerprint)
            )
        return ArticleOutcome(
            article_id=article_id,
            is_new=is_new,
            duplicate_of=None if is_new or revised else article_id,
            revised=revised,
        )

    def _is_revision(
        self, session: Session, article_id: int, source_id: int, link: str, digest: str
    ) -> bool:
        """Is a different text for stored article `article_id` an update of that story? Only
        when this same source delivered it under this same link (another outlet's version of a
        story is a duplicate, not an update), and when no other stored article has the text."""
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
        self, session: Session, article_id: int, article: Article, digest: str, now: datetime
    ) -> None:
        """Replace a stored story's text with its update. Its figures are recorded again (the
        caller does that) and diffed against the history, which keeps every value reported
        before: a figure the update restates is known, one it changes is a development."""
        session.execute(delete(FIGURES).where(FIGURES.c.article_id == article_id))
        session.execute(
            update(ARTICLES)
            .where(ARTICLES.c.id == article_id)
            .values(
                content_hash=digest,
                title=article.title or "",
                published=article.published,
                author=article.author,
                summary=article.summary,
                text_z=_compress(article.text or ""),
                raw_z=_raw_z(article),
                page_z=_page_z(article),
                figures_recorded_at=None,
                revision=ARTICLES.c.revision + 1,
                revised_at=now,
            )
        )

    def store_articles(
        self,
        items: Sequence[tuple[Article, ArticleAnalysis]],
        *,
        tolerance: float = 0.005,
    ) -> list[StoredArticle]:
        """add_article, then record_figures when the article is new, for each item in order, all
        in ONE transaction: the same rows and developments as the calls one by one, without a
        commit (and its fsync) per article. All or nothing: when it raises, nothing is stored,
        and the caller can go one by one to keep the good articles."""
        history.check_tolerance(tolerance)
        for _, analysis in items:
            for figure in analysis.figures:
                _check_figure(figure)

        def work(session: Session) -> list[StoredArticle]:
            source_ids: dict[str, int] = {}
            stored: list[StoredArticle] = []
            for article, analysis in items:
                outcome = self._add_article_in(session, article, analysis, source_ids)
                developments = (
                    self._record_figures_in(
                        session, outcome.article_id, article, analysis, tolerance, source_ids
                    )
                    if outcome.needs_figures
                    else []
                )
                stored.append(StoredArticle(outcome, developments))
            return stored

        return self._write(work)

    def unchanged_links(self, source: str, fingerprints: Mapping[str, str | None]) -> set[str]:
        """Those links (keys of `fingerprints`) through which `source` already delivered an
        article, with the same entry fingerprint as now: a rerun skips fetching and analysing
        them. A link whose entry changed (the story was updated in place) is not among them.
        Rows stored before fingerprints were kept take the current one and count as unchanged."""
        keys: dict[str, list[str]] = {}
        for link in fingerprints:
            if link and link.strip():
                keys.setdefault(link_key(link), []).append(link)
        if not keys:
            return set()
        stored: dict[str, set[str | None]] = {}
        with self._transaction(read_only=True) as session:
            source_id = session.scalar(select(SourceModel.id).where(SourceModel.key == source))
            if source_id is None:
                return set()
            wanted = list(keys)
            for start in range(0, len(wanted), 500):
                rows = session.execute(
                    select(ARTICLE_SOURCES.c.link, ARTICLE_SOURCES.c.entry_hash).where(
                        ARTICLE_SOURCES.c.source_id == source_id,
                        ARTICLE_SOURCES.c.link.in_(wanted[start : start + 500]),
                    )
                )
                for key, entry_hash in rows:
                    stored.setdefault(key, set()).add(entry_hash)
        unchanged: set[str] = set()
        backfill: dict[str, str] = {}
        for key, hashes in stored.items():
            for link in keys[key]:
                current = fingerprints[link]
                if current is None or current in hashes:
                    unchanged.add(link)
                elif hashes == {None}:
                    unchanged.add(link)
                    backfill[key] = current
        if backfill:

            def work(session: Session) -> None:
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

            self._write(work)
        return unchanged

    def iter_articles_for_reextract(self) -> Iterator[tuple[int, Article]]:
        """Every stored article with its text and raw body, oldest first, read in batches."""
        last_id = 0
        batch = 200
        while True:
            with self._transaction(read_only=True) as session:
                rows = session.execute(
                    select(ArticleRow, SourceModel.key)
                    .join(SourceModel, SourceModel.id == ArticleRow.first_source_id)
                    .where(ArticleRow.id > last_id)
                    .order_by(ArticleRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            for row, source_key in rows:
                last_id = row.id
                yield (
                    row.id,
                    Article(
                        source=source_key,
                        title=row.title,
                        text=_decompress(row.text_z) or "",
                        url=row.url,
                        guid=row.guid,
                        published=row.published,
                        author=row.author,
                        summary=row.summary,
                        raw=_decompress(row.raw_z),
                        page=None if row.page_z is None else unpack_bytes(row.page_z),
                        position=row.position,
                    ),
                )

    def replace_figures(self, article_id: int, analysis: ArticleAnalysis) -> tuple[int, int]:
        """Swap an article's stored figures for a fresh extraction (`laborwatch reextract`).

        The figure history, developments and alerts stay as they are: what was reported stays
        reported, and a value found only now is not news about the past. Returns (removed,
        added)."""
        for figure in analysis.figures:
            _check_figure(figure)

        def work(session: Session) -> tuple[int, int]:
            if session.get(ArticleRow, article_id) is None:
                raise ValueError(f"no article with id {article_id}")
            removed = session.execute(delete(FigureRow).where(FigureRow.article_id == article_id))
            session.execute(
                update(ArticleRow)
                .where(ArticleRow.id == article_id)
                .values(labor_relevant=bool(analysis.labor_relevant))
            )
            if analysis.figures:
                session.execute(
                    insert(FigureRow), [_figure_values(article_id, f) for f in analysis.figures]
                )
            return int(getattr(removed, "rowcount", 0) or 0), len(analysis.figures)

        return self._write(work)

    def article_figures(self, article_id: int) -> list[tuple[str, str, str, float]]:
        """(subject, metric, unit, value) of an article's stored figures, in text order."""
        with self._transaction(read_only=True) as session:
            rows = session.execute(
                select(FigureRow.subject, FigureRow.metric, FigureRow.unit, FigureRow.value)
                .where(FigureRow.article_id == article_id)
                .order_by(FigureRow.start, FigureRow.id)
            ).tuples()
            return [(a, b, c, float(d)) for a, b, c, d in rows]

    # -- figures and developments ---------------------------------------------------------------

    def record_figures(
        self,
        article_id: int,
        article: Article,
        analysis: ArticleAnalysis,
        *,
        tolerance: float = 0.005,
    ) -> list[Development]:
        """Store the article's figures and return the developments they make (see module doc)."""
        history.check_tolerance(tolerance)
        for figure in analysis.figures:
            _check_figure(figure)

        return self._write(
            lambda session: self._record_figures_in(
                session, article_id, article, analysis, tolerance, {}
            )
        )

    def _record_figures_in(
        self,
        session: Session,
        article_id: int,
        article: Article,
        analysis: ArticleAnalysis,
        tolerance: float,
        source_ids: dict[str, int],
    ) -> list[Development]:
        now = _now()
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
            session.execute(
                insert(FIGURES), [_figure_values(article_id, f) for f in analysis.figures]
            )
        if not analysis.labor_relevant:
            return []
        return self._record_developments(
            session, article_id, article, analysis, tolerance, now, source_ids
        )

    def _record_developments(
        self,
        session: Session,
        article_id: int,
        article: Article,
        analysis: ArticleAnalysis,
        tolerance: float,
        now: datetime,
        source_ids: dict[str, int],
    ) -> list[Development]:
        decisions = history.diff_figures(session, list(analysis.figures), tolerance)
        source_id = source_ids.get(article.source)
        if source_id is None:
            source_id = source_ids[article.source] = self._source_id(session, article.source)
        # Only the columns a development shows: the row's compressed text stays on disk.
        title, url, published, revision = session.execute(
            select(
                ARTICLES.c.title, ARTICLES.c.url, ARTICLES.c.published, ARTICLES.c.revision
            ).where(ARTICLES.c.id == article_id)
        ).one()
        corroborated: set[int] = set()
        changes: list[tuple[Figure, dict[str, Any]]] = []
        for decision in decisions:
            figure = decision.figure
            if decision.kind == "known":
                matched = decision.matched
                assert matched is not None
                if matched.first_article_id != article_id:
                    corroborated.add(matched.development_id)
                continue
            previous = decision.previous
            changes.append(
                (
                    figure,
                    {
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
                    },
                )
            )
        developments: list[Development] = []
        if changes:
            # One round trip for all developments of the article, ids back in insertion order.
            ids = session.scalars(
                insert(DEVELOPMENTS).returning(DEVELOPMENTS.c.id, sort_by_parameter_order=True),
                [values for _, values in changes],
            ).all()
            session.execute(
                insert(KNOWN_VALUES),
                [
                    {
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
                    for (figure, _), development_id in zip(changes, ids, strict=True)
                ],
            )
            developments = [
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
        insert_ignoring_duplicates(
            session,
            CorroborationRow.__table__,  # type: ignore[arg-type]
            [
                {"development_id": dev_id, "article_id": article_id, "created_at": now}
                for dev_id in sorted(corroborated)
            ],
        )
        return developments

    @staticmethod
    def _development_from(
        row: DevelopmentRow,
        article_row: ArticleRow,
        source_key: str,
        *,
        also_reported_by: list[str],
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
        )

    def _load_developments(self, session: Session, statement: Any) -> list[Development]:
        rows = session.execute(
            statement.add_columns(ArticleRow, SourceModel.key)
            .join(ArticleRow, ArticleRow.id == DevelopmentRow.article_id)
            .join(SourceModel, SourceModel.id == DevelopmentRow.source_id)
        ).all()
        ids = [row[0].id for row in rows]
        corroborating: dict[int, list[str]] = {dev_id: [] for dev_id in ids}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            for development_id, title, url in session.execute(
                select(CorroborationRow.development_id, ArticleRow.title, ArticleRow.url)
                .join(ArticleRow, ArticleRow.id == CorroborationRow.article_id)
                .where(CorroborationRow.development_id.in_(chunk))
                .order_by(CorroborationRow.id)
            ):
                corroborating[development_id].append(title or url or "")
        return [
            self._development_from(
                development, article_row, source_key, also_reported_by=corroborating[development.id]
            )
            for development, article_row, source_key in rows
        ]

    def list_developments(
        self,
        *,
        since: datetime | None = None,
        subject: str | None = None,
        limit: int | None = None,
    ) -> list[Development]:
        """Developments in the order they were detected; with `limit`, the most recent ones."""
        statement = select(DevelopmentRow)
        if since is not None:
            statement = statement.where(DevelopmentRow.detected_at >= since)
        if subject is not None:
            statement = statement.where(DevelopmentRow.subject == subject)
        if limit is not None:
            if limit < 0:
                raise ValueError(f"limit must not be negative, got {limit}")
            statement = statement.order_by(DevelopmentRow.id.desc()).limit(limit)
        else:
            statement = statement.order_by(DevelopmentRow.id)
        with self._transaction(read_only=True) as session:
            developments = self._load_developments(session, statement)
        if limit is not None:
            developments.reverse()
        return developments

    def figure_history(
        self, *, subject: str | None = None, metric: str | None = None
    ) -> list[HistoryEntry]:
        """Every known value per (subject, metric, unit), oldest first within each key."""
        statement = (
            select(KnownValueRow, ArticleRow)
            .join(ArticleRow, ArticleRow.id == KnownValueRow.first_article_id)
            .order_by(
                KnownValueRow.subject, KnownValueRow.metric, KnownValueRow.unit, KnownValueRow.id
            )
        )
        if subject is not None:
            statement = statement.where(KnownValueRow.subject == subject)
        if metric is not None:
            statement = statement.where(KnownValueRow.metric == metric)
        with self._transaction(read_only=True) as session:
            return [
                HistoryEntry(
                    subject=known.subject,
                    metric=known.metric,
                    unit=known.unit,
                    value=known.value,
                    text=known.text,
                    approx=known.approx,
                    article_title=article_row.title,
                    article_url=article_row.url,
                    published=article_row.published,
                    first_seen=known.first_seen_at,
                )
                for known, article_row in session.execute(statement).tuples()
            ]

    # -- alert outbox ---------------------------------------------------------------------------

    def enqueue_alerts(self, routes: Mapping[int, Sequence[str]]) -> int:
        return self._write(lambda session: outbox.enqueue(session, routes, _now()))

    def claim_pending_alerts(
        self,
        *,
        claimant: str,
        max_attempts: int = 10,
        stale_after: timedelta = timedelta(minutes=30),
    ) -> list[OutboxItem]:
        def work(session: Session) -> list[OutboxItem]:
            ids = outbox.claim(
                session,
                claimant=claimant,
                max_attempts=max_attempts,
                stale_after=stale_after,
                now=_now(),
            )
            return self._outbox_items(session, ids)

        return self._write(work)

    def _outbox_items(self, session: Session, ids: Sequence[int] | None) -> list[OutboxItem]:
        statement = select(OutboxRow).order_by(OutboxRow.id)
        if ids is not None:
            if not ids:
                return []
            statement = statement.where(OutboxRow.id.in_(list(ids)))
        rows = list(session.scalars(statement))
        development_ids = sorted({row.development_id for row in rows})
        by_id = {
            development.id: development
            for development in self._load_developments(
                session, select(DevelopmentRow).where(DevelopmentRow.id.in_(development_ids))
            )
        }
        return [
            OutboxItem(
                id=row.id,
                target_key=row.target_key,
                attempts=row.attempts,
                last_error=row.last_error,
                development=by_id[row.development_id],
            )
            for row in rows
        ]

    def mark_alerts_sent(self, outbox_ids: Sequence[int]) -> None:
        self._write(lambda session: outbox.mark_sent(session, outbox_ids, _now()))

    def mark_alerts_failed(
        self, outbox_ids: Sequence[int], error: str, *, max_attempts: int | None = None
    ) -> None:
        """Back to pending with attempts + 1; secrets in `error` (URLs) are redacted. With
        `max_attempts`, rows that reached it become failed at once instead of at the next claim."""
        self._write(lambda session: outbox.mark_failed(session, outbox_ids, error, max_attempts))

    def alert_counts(self) -> dict[str, int]:
        with self._transaction(read_only=True) as session:
            return outbox.counts(session)

    def list_alerts(self, *, pending_only: bool = False) -> list[OutboxItem]:
        with self._transaction(read_only=True) as session:
            if not pending_only:
                return self._outbox_items(session, None)
            ids = list(
                session.scalars(
                    select(OutboxRow.id)
                    .where(OutboxRow.status.in_(("pending", "sending")))
                    .order_by(OutboxRow.id)
                )
            )
            return self._outbox_items(session, ids)

    # -- totals ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = {
            "sources": SourceModel,
            "articles": ArticleRow,
            "figures": FigureRow,
            "developments": DevelopmentRow,
        }
        with self._transaction(read_only=True) as session:
            return {
                name: int(session.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in tables.items()
            }


ARTICLES = cast(Table, ArticleRow.__table__)
FIGURES = cast(Table, FigureRow.__table__)
KNOWN_VALUES = cast(Table, KnownValueRow.__table__)
DEVELOPMENTS = cast(Table, DevelopmentRow.__table__)


def _figure_values(article_id: int, f: Figure) -> dict[str, Any]:
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


ARTICLE_SOURCES = cast(Table, ArticleSourceRow.__table__)
