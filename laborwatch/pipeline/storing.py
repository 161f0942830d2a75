"""Phase three of a run: store a chunk of analysed articles, diff their figures, queue the
alerts and save the fetch state of the sources the chunk completes — in one transaction, so a
run killed at any point leaves nothing half-done: the next run finds either all of it or none
(and then reads those sources again)."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from laborwatch.alerts.routing import Watch, alert_outcome, matching_watches, route
from laborwatch.alerts.targets import Target
from laborwatch.domain import ALERTED, Article, Development, FetchState, SourceError
from laborwatch.pipeline.chunks import AnalysedChunk, PendingArticle
from laborwatch.pipeline.report import AnalysedArticle
from laborwatch.settings import Settings
from laborwatch.storage.errors import FATAL_ERRORS
from laborwatch.storage.models import UNROUTED
from laborwatch.storage.outcomes import corroborated_by, record_outcomes
from laborwatch.storage.store import AlertRoutes, Router, SourceStateUpdate, Store

logger = logging.getLogger("laborwatch.flow")


@dataclass(slots=True)
class StoredChunk:
    alertable: list[Development]
    recorded: list[Development]
    errors: list[SourceError]
    queued: int
    seconds: dict[str, float]
    # Sources (locations) with an article this chunk could not store.
    failed_sources: set[str] = dataclasses.field(default_factory=set)


def without_validators(state: FetchState) -> FetchState:
    """`state` minus what makes the next fetch "not modified": for a source with an article not
    stored, so the next run reads it again (its stored articles are skipped, the rest retried)."""
    return dataclasses.replace(state, etag=None, last_modified=None, content_hash=None)


def _alertable(
    dev: Development, article: Article, settings: Settings, watches: Sequence[Watch]
) -> tuple[bool, list[Watch]]:
    """Whether `dev` alerts, and the watches it matched; sets its watches and its outcome
    (ALERTED, or why it is only recorded)."""
    matched = matching_watches(watches, title=article.title, text=article.text, subject=dev.subject)
    dev.watches = [w.name for w in matched]
    dev.outcome = alert_outcome(
        dev,
        metrics=settings.alerts.metrics,
        min_relative_change=settings.alerts.min_relative_change,
        matched_watch=bool(matched),
        watches_configured=bool(watches),
    )
    return dev.outcome == ALERTED, matched


@dataclass
class StateLedger:
    """Which chunk completes each source with deferred state, and which sources lost an
    article on the way (their state is saved without validators: read again next run)."""

    deferred: dict[str, SourceStateUpdate]
    # chunk number -> the locations it completes; per chunk, articles per location
    due: dict[int, list[str]] = dataclasses.field(default_factory=dict)
    expected: list[Counter[str]] = dataclasses.field(default_factory=list)
    troubled: set[str] = dataclasses.field(default_factory=set)
    stored: int = 0  # chunks stored so far

    @classmethod
    def plan(
        cls, chunks: list[list[PendingArticle]], deferred: dict[str, SourceStateUpdate]
    ) -> StateLedger:
        ledger = cls(deferred)
        last: dict[str, int] = {}
        for number, chunk in enumerate(chunks):
            ledger.expected.append(Counter(item.location for item in chunk))
            for item in chunk:
                last[item.location] = number
        for location, number in last.items():
            if location in deferred:
                ledger.due.setdefault(number, []).append(location)
        return ledger

    def next_states(self, done: AnalysedChunk) -> list[SourceStateUpdate]:
        """The states the next chunk (`done`, chunks come in order) commits; a source with an
        article that did not come through analysis is marked troubled first."""
        number, self.stored = self.stored, self.stored + 1
        analysed = Counter(item.article.source for _, item in done.items)
        for location, count in self.expected[number].items():
            if analysed[location] < count:
                self.troubled.add(location)
        states = []
        for location in self.due.get(number, []):
            update = self.deferred[location]
            if location in self.troubled:
                update = dataclasses.replace(update, state=without_validators(update.state))
            states.append(update)
        return states


def router(settings: Settings, targets: Sequence[Target], watches: Sequence[Watch]) -> Router:
    """Where each development alerts, decided in the transaction that stores it. With no usable
    target the alert waits (UNROUTED) with its watches' tags, to be routed once one works."""

    def decide(article: Article, developments: list[Development]) -> AlertRoutes:
        routes = AlertRoutes({}, {})
        for dev in developments:
            wanted, matched = _alertable(dev, article, settings, watches)
            if not wanted or dev.id is None:
                continue
            if not targets:
                routes.targets[dev.id] = [UNROUTED]
                routes.tags[dev.id] = sorted({t.lower() for w in matched for t in w.tags})
                continue
            chosen = route(dev, targets, watches_configured=bool(watches), watches=list(watches))
            if chosen:
                routes.targets[dev.id] = [t.key for t in chosen]
        return routes

    return decide


def store_and_diff(
    items: Iterable[AnalysedArticle],
    store: Store,
    settings: Settings,
    targets: Sequence[Target],
    watches: Sequence[Watch],
    source_states: Sequence[SourceStateUpdate] = (),
) -> StoredChunk:
    """Store articles (already in diff order), turn their figures into developments, queue the
    alertable ones and save `source_states`, all in one transaction. If that fails, the articles
    are stored one at a time (each with its alerts), so one bad article costs only itself, and a
    source that lost an article is saved without validators (read again next run)."""
    items = list(items)
    result = StoredChunk([], [], [], 0, {"store": 0.0, "diff": 0.0})
    tolerance = settings.alerts.tolerance
    decide = router(settings, targets, watches)
    started = time.perf_counter()
    found: list[tuple[AnalysedArticle, list[Development]]] = []
    stored_ids: list[int] = []  # articles whose corroborations the report lists
    try:
        stored = store.store_articles(
            [(item.article, item.analysis) for item in items],
            tolerance=tolerance,
            route=decide,
            source_states=source_states,
        )
        found = [(item, s.developments) for item, s in zip(items, stored, strict=True)]
        stored_ids = [s.outcome.article_id for s in stored if s.outcome.needs_figures]
    except FATAL_ERRORS:
        raise  # storing article by article would only fail the same way, once per article
    except Exception as exc:
        logger.warning(
            "storing %d article(s) in one transaction failed (%s: %s); storing them one by one",
            len(items),
            type(exc).__name__,
            exc,
        )
        found = _one_by_one(items, store, tolerance, decide, result)
        _save_states(store, source_states, result)
    result.seconds["store"] += time.perf_counter() - started
    for item, developments in found:
        for dev in developments:
            wanted, _ = _alertable(dev, item.article, settings, watches)
            (result.alertable if wanted else result.recorded).append(dev)
            result.queued += int(wanted)
    record_outcomes(
        store, {d.id: d.outcome for d in result.alertable + result.recorded if d.id and d.outcome}
    )
    result.recorded.extend(corroborated_by(store, stored_ids))
    return result


def _one_by_one(
    items: list[AnalysedArticle],
    store: Store,
    tolerance: float,
    decide: Router,
    result: StoredChunk,
) -> list[tuple[AnalysedArticle, list[Development]]]:
    found = []
    for item in items:
        try:
            [stored] = store.store_articles(
                [(item.article, item.analysis)], tolerance=tolerance, route=decide
            )
        except FATAL_ERRORS:
            raise
        except Exception as exc:  # one bad article must not lose the rest of the run
            logger.exception("storing %r failed", item.article.title)
            result.errors.append(SourceError(item.article.source, f"store: {exc}", "store"))
            result.failed_sources.add(item.article.source)
            continue
        found.append((item, stored.developments))
    return found


def _save_states(
    store: Store, source_states: Sequence[SourceStateUpdate], result: StoredChunk
) -> None:
    for update in source_states:
        if update.key in result.failed_sources:
            update = dataclasses.replace(update, state=without_validators(update.state))
        try:
            store.save_fetch_state(update.key, update.state, label=update.label)
        except Exception as exc:  # the next run reads the source again: nothing is lost
            logger.warning("saving the fetch state of %s failed: %s", update.key, exc)
