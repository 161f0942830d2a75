"""Plain-Python steps the flow's tasks call: read and analyse one source, order a run's articles
for diffing, deliver the alert outbox. No Prefect here, so each step is testable on its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from laborwatch.domain import Article, FetchState, SourceError
from laborwatch.ingest.entries import page_fetch_error
from laborwatch.ingest.health import is_auto_paused, is_silent, should_fetch, usual_interval
from laborwatch.ingest.http import Fetcher
from laborwatch.ingest.sources import SourceBatch, read_source
from laborwatch.pipeline.analysis_worker import AnalysisJob, AnalysisOutcome, analyse_jobs
from laborwatch.pipeline.chunks import AnalysedChunk, PendingArticle
from laborwatch.pipeline.delivery import deliver_outbox, notify_operators
from laborwatch.pipeline.report import AnalysedArticle, SourceResult, SourceTally
from laborwatch.pipeline.runner import JOBS_PER_CALL, AnalysisPool, Pending
from laborwatch.pipeline.storing import StoredChunk, store_and_diff
from laborwatch.redaction import redact
from laborwatch.settings import SourceConfig
from laborwatch.storage.errors import FATAL_ERRORS
from laborwatch.storage.store import SourceStateUpdate, Store

# Re-exported: the CLI and tests take them from here.
__all__ = [
    "AnalysedChunk",
    "PendingArticle",
    "StoredChunk",
    "deliver_outbox",
    "notify_operators",
    "store_and_diff",
]

logger = logging.getLogger("laborwatch.flow")


def is_remote(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def health_notices(
    label: str,
    before: FetchState | None,
    after: FetchState | None,
    now: datetime,
    published: Sequence[datetime | None],
) -> list[str]:
    """What operators should hear about a source after this fetch: it was paused after repeated
    failures, or it went silent. Only on the transition, so a paused source does not page the
    operators every run."""
    notices: list[str] = []
    if after is None:
        return notices
    if is_auto_paused(after) and not is_auto_paused(before):
        until = after.paused_until.strftime("%Y-%m-%d %H:%M UTC") if after.paused_until else "?"
        notices.append(
            f"{label}: paused until {until} after {after.consecutive_failures} failures "
            f"in a row (last error: {after.last_error})"
        )
    interval = usual_interval(published)
    if interval is not None and is_silent(after, now, interval):
        was_silent = (
            before is not None
            and before.last_fetched_at is not None
            and is_silent(before, before.last_fetched_at, interval)
        )
        if not was_silent:
            notices.append(
                f"{label}: went silent — no new entry since "
                f"{after.last_new_entry_at:%Y-%m-%d %H:%M UTC} (usually every {interval})"
            )
    return notices


_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


# --- the run in three phases: read sources, fetch pages and analyse, store and diff ------------
#
# Phase one reads every feed (small, fast) so the diff order of all the run's articles is known
# before any page is fetched. Phase two fetches pages and analyses articles in chunks taken in
# that order, on a process pool (page parsing and extraction are CPU-bound and the GIL would hold
# them to one core); phase three stores and diffs each chunk as soon as it and every chunk before
# it are done. Storage overlaps analysis, and only the chunks in flight are held in memory.


def add_seconds(total: dict[str, float], more: Mapping[str, float]) -> None:
    for stage, seconds in more.items():
        total[stage] = total.get(stage, 0.0) + seconds


@dataclass(slots=True)
class SourceRead:
    """A source after phase one: its feed or files read, its pages not fetched yet."""

    index: int  # position among the run's sources: the diff order's tie-breaker
    source: SourceConfig
    batch: SourceBatch | None  # None when the source is backing off
    skipped: str | None = None
    notices: list[str] = field(default_factory=list)
    known: set[int] = field(default_factory=set)  # indices of articles stored by earlier runs
    # The fetch state, when articles are still to be stored: it is committed with the last of
    # them (a run killed before that reads the source again), never before.
    deferred: SourceStateUpdate | None = None
    failed: bool = field(init=False, default=False)  # errors and nothing else

    def __post_init__(self) -> None:
        batch = self.batch
        self.failed = (
            batch is not None
            and bool(batch.errors)
            and not batch.articles
            and not batch.not_modified
        )

    def release_articles(self) -> None:
        """Forget the feed's entries once they are handed on: a run of thousands of articles
        would otherwise hold every one of them until the end just to report on the source."""
        if self.batch is not None:
            self.batch.articles = []
            self.batch.pages = []
            self.known = set()


def read_one_source(index: int, source: SourceConfig, store: Store, fetcher: Fetcher) -> SourceRead:
    """Fetch or read one source without its pages. Its fetch state and health are saved now
    when it has no new article (not modified, failed, nothing new); else they wait in
    `deferred` for the transaction that stores its last article."""
    state = store.load_fetch_state(source.location)
    now = datetime.now(UTC)
    if is_remote(source.location) and not should_fetch(state, now):
        assert state is not None and state.paused_until is not None
        logger.info("%s: backing off until %s", source.label, state.paused_until.isoformat())
        skipped = f"backing off until {state.paused_until:%Y-%m-%d %H:%M UTC}" + (
            f" (last error: {state.last_error})" if state.last_error else ""
        )
        return SourceRead(index, source, None, skipped=skipped)
    batch = read_source(
        source.location, kind=source.kind, fetcher=fetcher, state=state, fetch_pages=False
    )
    known = known_entries(store, source.location, batch.articles) if batch.articles else set()
    deferred = None
    if batch.state is not None:
        update = SourceStateUpdate(source.location, batch.state, source.label)
        if len(known) < len(batch.articles):
            deferred = update
        else:
            store.save_fetch_state(update.key, update.state, label=update.label)
    # A local file does not "go silent": it is as new as whoever last wrote it.
    published = [a.published for a in batch.articles] if is_remote(source.location) else []
    notices = health_notices(source.label, state, batch.state, now, published)
    return SourceRead(index, source, batch, notices=notices, known=known, deferred=deferred)


def known_entries(store: Store, location: str, articles: Sequence[Article]) -> set[int]:
    """Indices of `articles` this source delivered, under the same link and unchanged, in an
    earlier run.

    Storing one again would change nothing (Store.add_article finds it and its figures were
    recorded when it was new), so its page is neither fetched nor analysed again: with a feed
    that lists 40 entries of which one is new, that is 39 page fetches and extractions saved.
    An entry whose fingerprint changed is a story updated in place: it goes through again."""
    links = [(article.url or "").strip() for article in articles]
    fingerprints = {
        link: article.fingerprint for link, article in zip(links, articles, strict=True) if link
    }
    unchanged = store.unchanged_links(location, fingerprints)
    return {i for i, link in enumerate(links) if link and link in unchanged}


def read_one_source_safely(
    index: int, source: SourceConfig, store: Store, fetcher: Fetcher
) -> SourceRead:
    """`read_one_source`, with anything unexpected (a database error, a bug) recorded as this
    source's error: one source must not fail its group's task, and with it the run."""
    try:
        return read_one_source(index, source, store, fetcher)
    except FATAL_ERRORS:
        raise  # the database, not this source: the run stops with one clear error
    except Exception as exc:
        logger.exception("%s: reading the source failed", source.label)
        message = redact(f"{type(exc).__name__}: {exc}", [source.location])
        error = SourceError(source.location, message, "store")
        return SourceRead(index, source, SourceBatch(source.location, [], [error], None))


def read_sources(
    sources: Sequence[tuple[int, SourceConfig]], store: Store, fetcher: Fetcher
) -> list[SourceRead]:
    """Phase one for a group of sources, concurrently (feeds are mostly waiting on the network)."""
    if len(sources) <= 1:
        return [read_one_source_safely(i, s, store, fetcher) for i, s in sources]
    with ThreadPoolExecutor(max_workers=min(len(sources), fetcher.concurrency)) as pool:
        return list(
            pool.map(lambda pair: read_one_source_safely(pair[0], pair[1], store, fetcher), sources)
        )


def pending_in_diff_order(reads: Sequence[SourceRead]) -> list[PendingArticle]:
    """Every article of the run in diff order — publish time, then source order, then position
    in the source; undated articles after the dated ones — so one run over several articles
    gives the same developments as one run per article. Each comes with its page request if
    its feed entry carried only a summary."""
    keyed = []
    for read in reads:
        if read.batch is None:
            continue
        pages = {request.index: request for request in read.batch.pages}
        for i, article in enumerate(read.batch.articles):
            if i in read.known:
                continue
            key = (article.published or _FAR_FUTURE, read.index, article.position)
            keyed.append(
                (key, PendingArticle(read.index, read.batch.source, article, pages.get(i)))
            )
    keyed.sort(key=lambda pair: pair[0])
    return [item for _, item in keyed]


def fetch_and_analyse(
    chunk: Sequence[PendingArticle],
    fetcher: Fetcher,
    aliases: dict[str, list[str]],
    pool: AnalysisPool | None,
) -> AnalysedChunk:
    """Phase two for a chunk: fetch the pages it needs (concurrently, politely per host) and
    extract page text and figures on `pool` (or here when None), starting on the first pages
    while later ones download. Results keep the chunk order."""
    seconds: dict[str, float] = {"fetch": 0.0}
    errors: list[tuple[int, SourceError]] = []
    outcomes: dict[int, AnalysisOutcome] = {}
    waiting: list[tuple[list[int], list[AnalysisJob], Pending[list[AnalysisOutcome]]]] = []
    ready: list[int] = [i for i, item in enumerate(chunk) if item.page is None]
    jobs: dict[int, AnalysisJob] = {}

    def analyse(indices: list[int]) -> None:
        part = [jobs.pop(i) for i in indices]
        if pool is None:
            outcomes.update(zip(indices, analyse_jobs(part, aliases), strict=True))
            return
        try:
            waiting.append((indices, part, pool.submit(analyse_jobs, part, aliases)))
        except (BrokenProcessPool, RuntimeError) as exc:  # e.g. no worker could be started
            logger.warning("analysis workers unavailable (%s); analysing in this process", exc)
            outcomes.update(zip(indices, analyse_jobs(part, aliases), strict=True))

    for i in ready:
        jobs[i] = AnalysisJob(chunk[i].location, chunk[i].article, None, None)
    wanted = [i for i, item in enumerate(chunk) if item.page is not None]
    requests: list[tuple[str, FetchState | None]] = [
        (chunk[i].page.url, None)  # type: ignore[union-attr]
        for i in wanted
    ]
    started = time.perf_counter()
    for position, result in fetcher.fetch_as_completed(requests, pages=True):
        i = wanted[position]
        item, page = chunk[i], chunk[i].page
        assert page is not None
        error = page_fetch_error(item.location, page.url, result)
        if error is not None:
            errors.append((item.source_index, error))
        body = result.body if error is None else None
        jobs[i] = AnalysisJob(item.location, item.article, page, body)
        ready.append(i)
        if len(ready) >= JOBS_PER_CALL:
            analyse(ready)
            ready = []
    if wanted:
        seconds["fetch"] = time.perf_counter() - started
    if ready:
        analyse(ready)
    for indices, part, future in waiting:
        try:
            done = future.result()
        except Exception as exc:  # a worker died, the cluster went away: redo it here
            logger.warning("an analysis worker failed (%s); analysing in this process", exc)
            done = analyse_jobs(part, aliases)
        outcomes.update(zip(indices, done, strict=True))
    return _chunk_result(chunk, outcomes, errors, seconds)


def _chunk_result(
    chunk: Sequence[PendingArticle],
    outcomes: dict[int, AnalysisOutcome],
    errors: list[tuple[int, SourceError]],
    seconds: dict[str, float],
) -> AnalysedChunk:
    """The analysed articles of `chunk` in chunk order, with every error and stage time."""
    items: list[tuple[int, AnalysedArticle]] = []
    for i, item in enumerate(chunk):
        outcome = outcomes[i]
        add_seconds(seconds, outcome.seconds)
        errors.extend((item.source_index, error) for error in outcome.errors)
        if outcome.analysis is not None:
            items.append((item.source_index, AnalysedArticle(outcome.article, outcome.analysis)))
    return AnalysedChunk(items, errors, seconds)


def hosts_label(locations: Iterable[str]) -> str:
    """ "127.0.0.1:8001 …" for task names: the first host, and an ellipsis when there are more."""
    hosts: dict[str, None] = {}
    for location in locations:
        if "://" in location:
            try:
                host = urlsplit(location).netloc.rsplit("@", 1)[-1] or location  # no credentials
            except ValueError:  # "http://[::1": the fetch reports it; a name needs no host
                host = location.split("://", 1)[0] + "://…"
        else:
            host = location.rstrip("/").rsplit("/", 1)[-1]
        hosts.setdefault(host, None)
    names = list(hosts)
    if not names:
        return ""
    return names[0] + (" …" if len(names) > 1 else "")


def source_result(
    read: SourceRead, tally: SourceTally | None, errors: list[SourceError]
) -> SourceResult:
    """What the run reports for one source once all its articles went through: `tally` counts
    its articles, which are stored and no longer held."""
    batch = read.batch
    if batch is None:
        return SourceResult(
            source=read.source.label,
            location=read.source.location,
            articles=[],
            errors=[],
            skipped=read.skipped,
        )
    return SourceResult(
        source=read.source.label,
        location=read.source.location,
        articles=[],
        errors=list(batch.errors) + errors,
        not_modified=batch.not_modified,
        failed=read.failed,
        health_notices=read.notices,
        tally=tally,
    )


def read_seconds(reads: Iterable[SourceRead]) -> dict[str, Any]:
    seconds = {"fetch": 0.0, "parse": 0.0}
    for read in reads:
        if read.batch is not None:
            seconds["fetch"] += read.batch.fetch_seconds
            seconds["parse"] += read.batch.parse_seconds
    return seconds
