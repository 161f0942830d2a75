"""Store: the one object the pipeline and the CLI use to keep articles, figures, developments,
sources and the alert outbox. Every public method is one transaction; writes are idempotent.

The rooms behind it: storage.articles, storage.figures (and storage.history, the diff),
storage.developments, storage.sources, storage.outbox and storage.target_health."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from laborwatch.domain import Article, ArticleAnalysis, Development, FetchState, HistoryEntry
from laborwatch.storage import (
    articles,
    developments,
    figures,
    history,
    outbox,
    sources,
    target_health,
)
from laborwatch.storage.clean import clean_analysis, clean_article
from laborwatch.storage.db import make_engine, sqlite_busy_timeout_ms, upgrade_database
from laborwatch.storage.errors import StorageError, database_label, storage_error
from laborwatch.storage.models import row_counts
from laborwatch.storage.records import (
    AlertRoutes,
    ArticleOutcome,
    OutboxItem,
    SourceRow,
    SourceStateUpdate,
    StoredArticle,
    TargetRun,
)

__all__ = [
    "AlertRoutes",
    "ArticleOutcome",
    "HistoryEntry",
    "OutboxItem",
    "SourceRow",
    "SourceStateUpdate",
    "Store",
    "StoredArticle",
    "TargetRun",
]

T = TypeVar("T")
# Concurrent writers can collide on a unique key (both saw "absent", both inserted); the loser
# retries once the winner committed and then finds the row.
WRITE_RETRIES = 5
MAX_ATTEMPTS = 10
# Decides, inside the transaction that stores an article, where its developments alert.
Router = Callable[[Article, list[Development]], AlertRoutes]


class Store:
    def __init__(self, url: str) -> None:
        """Connect only; use `Store.open` to also bring the schema up to date."""
        self._url = url  # may carry a password: never shown
        self.engine = make_engine(url)
        self._where = database_label(url)
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
        """Connect and bring the schema up to date. Raises StorageError (one readable line)
        when the database cannot be used."""
        store = cls(url)
        try:
            upgrade_database(url, engine=store.engine)
        except DBAPIError as exc:
            store.close()
            raise store._translated(exc) from None
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

    def _translated(self, exc: DBAPIError) -> Exception:
        wait = f"{sqlite_busy_timeout_ms(self._url) / 1000:g} s"
        return storage_error(exc, self._where, wait=wait) or exc

    @contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        session = self._read_sessions() if read_only else self._sessions()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            translated = self._translated(exc)
            if translated is exc:
                raise
            raise translated from None
        finally:
            session.close()

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._transaction(read_only=True) as session:
            return work(session)

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a transaction, retrying when a concurrent writer won a unique-key race
        or PostgreSQL chose it as a deadlock / serialization victim."""
        for attempt in range(WRITE_RETRIES):
            last = attempt == WRITE_RETRIES - 1
            try:
                with self._write_lock, self._transaction() as session:
                    return work(session)
            except IntegrityError:
                if last:
                    raise
            except OperationalError as exc:
                code = getattr(exc.orig, "sqlstate", None)
                if code not in ("40001", "40P01") or last:
                    raise
            time.sleep(0.01 * (attempt + 1) * (1 + attempt))
        raise AssertionError("unreachable")

    # -- sources --------------------------------------------------------------------------------

    def load_fetch_state(self, source: str) -> FetchState | None:
        return self._read(lambda session: sources.load_state(session, source))

    def save_fetch_state(self, source: str, state: FetchState, *, label: str | None = None) -> None:
        update_ = SourceStateUpdate(source, state, label)
        self._write(lambda session: sources.save_state(session, update_))

    def list_sources(self) -> list[SourceRow]:
        return self._read(sources.list_all)

    # -- articles, figures and developments -----------------------------------------------------

    def add_article(self, article: Article, analysis: ArticleAnalysis) -> ArticleOutcome:
        """Store a new article, or note that a known one was seen again through this source."""
        article, analysis = clean_article(article), clean_analysis(analysis)
        return self._write(lambda session: articles.add_article(session, article, analysis, {}))

    def record_figures(
        self,
        article_id: int,
        article: Article,
        analysis: ArticleAnalysis,
        *,
        tolerance: float = 0.005,
    ) -> list[Development]:
        """Store the article's figures and return the developments they make."""
        history.check_tolerance(tolerance)
        article, analysis = clean_article(article), clean_analysis(analysis)
        for figure in analysis.figures:
            articles.check_figure(figure)
        return self._write(
            lambda session: figures.record_figures(
                session, article_id, article, analysis, tolerance, {}
            )
        )

    def store_articles(
        self,
        items: Sequence[tuple[Article, ArticleAnalysis]],
        *,
        tolerance: float = 0.005,
        route: Router | None = None,
        source_states: Sequence[SourceStateUpdate] = (),
    ) -> list[StoredArticle]:
        """add_article, then record_figures when the article is new or revised, for each item
        in order, the alerts `route` decides queued, and `source_states` saved: all in ONE
        transaction. All or nothing: when it raises, nothing is stored (the sources' states
        included, so a rerun reads them again), and the caller can go one by one."""
        history.check_tolerance(tolerance)
        cleaned = [(clean_article(a), clean_analysis(b)) for a, b in items]
        for _, analysis in cleaned:
            for figure in analysis.figures:
                articles.check_figure(figure)

        def work(session: Session) -> list[StoredArticle]:
            source_ids: dict[str, int] = {}
            history.lock_keys(
                session,
                {history.figure_key(f) for _, analysis in cleaned for f in analysis.figures},
            )
            stored: list[StoredArticle] = []
            for article, analysis in cleaned:
                outcome = articles.add_article(session, article, analysis, source_ids)
                found: list[Development] = []
                if outcome.needs_figures:
                    found = figures.record_figures(
                        session, outcome.article_id, article, analysis, tolerance, source_ids
                    )
                if found and route is not None:
                    routes = route(article, found)
                    outbox.enqueue(session, routes.targets, sources.now(), routes.tags)
                stored.append(StoredArticle(outcome, found))
            for update_ in source_states:
                sources.save_state(session, update_)
            return stored

        return self._write(work)

    def unchanged_links(self, source: str, fingerprints: Mapping[str, str | None]) -> set[str]:
        """Those links (keys of `fingerprints`) through which `source` already delivered an
        article, with the same entry fingerprint as now: a rerun skips fetching and analysing
        them. A link whose entry changed (the story was updated in place) is not among them.
        Rows stored before fingerprints were kept take the current one and count as unchanged."""
        keys = articles.link_keys(fingerprints)
        if not keys:
            return set()
        stored = self._read(lambda session: articles.delivered_links(session, source, list(keys)))
        result, backfill = articles.unchanged(keys, stored, fingerprints)
        if backfill:
            self._write(lambda session: articles.backfill_fingerprints(session, source, backfill))
        return result

    def iter_articles_for_reextract(self) -> Iterator[tuple[int, Article]]:
        """Every stored article with its text and raw body, oldest first, read in batches."""
        last_id = 0
        while True:
            batch = self._read(partial(articles.read_batch, after_id=last_id, limit=200))
            if not batch:
                return
            last_id = batch[-1][0]
            yield from batch

    def replace_figures(self, article_id: int, analysis: ArticleAnalysis) -> tuple[int, int]:
        """Swap an article's stored figures for a fresh extraction (`laborwatch reextract`).

        The figure history, developments and alerts stay as they are: what was reported stays
        reported, and a value found only now is not news about the past. Returns (removed,
        added)."""
        analysis = clean_analysis(analysis)
        for figure in analysis.figures:
            articles.check_figure(figure)
        return self._write(lambda session: articles.replace_figures(session, article_id, analysis))

    def article_figures(self, article_id: int) -> list[tuple[str, str, str, float]]:
        """(subject, metric, unit, value) of an article's stored figures, in text order."""
        return self._read(lambda session: articles.article_figures(session, article_id))

    def list_developments(
        self,
        *,
        since: datetime | None = None,
        subject: str | None = None,
        limit: int | None = None,
    ) -> list[Development]:
        """Developments in the order they were detected; with `limit`, the most recent ones."""
        statement = developments.listing(since, subject, limit)
        found = self._read(lambda session: developments.load(session, statement))
        if limit is not None:
            found.reverse()
        return found

    def figure_history(
        self, *, subject: str | None = None, metric: str | None = None
    ) -> list[HistoryEntry]:
        """Every known value per (subject, metric, unit), oldest first within each key."""
        return self._read(lambda session: figures.figure_history(session, subject, metric))

    # -- alert outbox ---------------------------------------------------------------------------

    def enqueue_alerts(
        self,
        routes: Mapping[int, Sequence[str]],
        *,
        route_tags: Mapping[int, Sequence[str]] | None = None,
    ) -> int:
        return self._write(
            lambda session: outbox.enqueue(session, routes, sources.now(), route_tags)
        )

    def route_waiting_alerts(self, router: Callable[[frozenset[str]], Sequence[str]]) -> int:
        """Route the alerts that waited for a usable target (see storage.outbox)."""
        return self._write(lambda session: outbox.route_waiting(session, router, sources.now()))

    def claim_pending_alerts(
        self,
        *,
        claimant: str,
        max_attempts: int = MAX_ATTEMPTS,
        stale_after: timedelta = timedelta(minutes=30),
        retry_failed: bool = False,
    ) -> list[OutboxItem]:
        def work(session: Session) -> list[OutboxItem]:
            ids = outbox.claim(
                session,
                claimant=claimant,
                max_attempts=max_attempts,
                stale_after=stale_after,
                now=sources.now(),
                retry_failed=retry_failed,
            )
            return self._outbox_items(session, ids)

        return self._write(work)

    def _outbox_items(self, session: Session, ids: Sequence[int] | None) -> list[OutboxItem]:
        rows = outbox.rows(session, ids)
        by_id = developments.by_ids(session, [row.development_id for row in rows])
        return [
            OutboxItem(
                id=row.id,
                target_key=row.target_key,
                attempts=row.attempts,
                last_error=row.last_error,
                development=by_id[row.development_id],
                status=row.status,
                next_attempt_at=row.next_attempt_at,
            )
            for row in rows
        ]

    def mark_alerts_sent(self, outbox_ids: Sequence[int]) -> None:
        self._write(lambda session: outbox.mark_sent(session, outbox_ids, sources.now()))

    def mark_alerts_failed(
        self, outbox_ids: Sequence[int], error: str, *, max_attempts: int | None = None
    ) -> None:
        """Back to pending with attempts + 1; secrets in `error` (URLs) are redacted. With
        `max_attempts`, rows that reached it become failed at once (backing off before the next
        try) instead of at the next claim."""
        self._write(
            lambda session: outbox.mark_failed(
                session, outbox_ids, error, max_attempts, sources.now()
            )
        )

    def release_alerts(self, outbox_ids: Sequence[int]) -> None:
        """Hand claimed rows back untried: no attempt counted."""
        self._write(lambda session: outbox.release(session, outbox_ids))

    def record_target_run(
        self, target_key: str, *, ok: bool, error: str | None = None, threshold: int = 3
    ) -> TargetRun:
        return self._write(
            lambda session: target_health.record_run(
                session, target_key, ok=ok, error=error, threshold=threshold, now=sources.now()
            )
        )

    def alert_counts(self) -> dict[str, int]:
        return self._read(outbox.counts)

    def list_alerts(self, *, pending_only: bool = False) -> list[OutboxItem]:
        """The outbox; `pending_only`: every alert still owed (pending, being sent, failed and
        backing off, or waiting for a target)."""

        def work(session: Session) -> list[OutboxItem]:
            ids = outbox.owed_ids(session) if pending_only else None
            return self._outbox_items(session, ids)

        return self._read(work)

    # -- totals ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows of sources, articles, figures and developments."""
        return self._read(row_counts)


__all__ += ["MAX_ATTEMPTS", "Router", "StorageError"]
