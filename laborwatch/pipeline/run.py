"""One monitoring pass: read sources → fetch pages and extract → store and diff → alert.

In three phases over batches handed to a `Runner`:
1. "read sources": one batch per group of sources reads their feeds or files;
2. "fetch and extract": batches over chunks of the run's articles, taken in diff order (publish
   time, source, position), fetch the pages and extract text and figures on a process pool —
   the CPU-bound part, spread over every core;
3. "store and diff": each chunk is stored and diffed as soon as it and the chunks before it are
   done, so storage overlaps extraction and only the chunks in flight are held in memory.
Then one batch delivers the alert outbox.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from laborwatch.alerts.routing import Watch
from laborwatch.alerts.targets import Target, TargetError, load_targets
from laborwatch.domain import Development, SourceError
from laborwatch.ingest.http import Fetcher
from laborwatch.pipeline.chunks import plan_chunks
from laborwatch.pipeline.delivery import NO_TARGET_WARNING, OPERATORS_TAG, undelivered
from laborwatch.pipeline.fetcher import open_fetcher
from laborwatch.pipeline.naming import chunk_batch_name, group_batch_name
from laborwatch.pipeline.options import RunOptions, apply_options
from laborwatch.pipeline.progress import Progress, ProgressEvent, StoreProgress, read_all, tell
from laborwatch.pipeline.report import IN_REPORT, Delivery, RunReport, SourceTally
from laborwatch.pipeline.runner import AnalysisPool, Pending, Runner
from laborwatch.pipeline.steps import (
    AnalysedChunk,
    PendingArticle,
    SourceRead,
    add_seconds,
    deliver_outbox,
    fetch_and_analyse,
    notify_operators,
    pending_in_diff_order,
    read_seconds,
    read_sources,
    source_result,
    store_and_diff,
)
from laborwatch.pipeline.storing import StateLedger, StoredChunk
from laborwatch.settings import Settings, SourceConfig
from laborwatch.storage.store import SourceStateUpdate, Store

logger = logging.getLogger("laborwatch.pipeline")

# Sources per "read sources" batch, articles per "fetch and extract" batch, and how many of
# those are in flight: enough to keep every core and the network busy while a chunk is stored.
SOURCES_PER_BATCH = 25
CHUNKS_IN_FLIGHT = 2


class AllSourcesFailed(RuntimeError):
    """Every source of the run failed: the run is Failed, with each source's error listed (and
    the run's report, for those who print it whole)."""

    def __init__(self, message: str, report: RunReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(slots=True)
class AlertUrls:
    """The Apprise URLs of the run, resolved at the edge (config, environment, a Prefect Secret
    block), and why some could not be read, if so."""

    urls: list[str] = field(default_factory=list)
    problem: str | None = None


def core_watches(settings: Settings) -> list[Watch]:
    return [
        Watch(
            name=w.name,
            include=tuple(w.include),
            exclude=tuple(w.exclude),
            tags=tuple(w.tags),
            aliases={k: tuple(v) for k, v in w.aliases.items()},
        )
        for w in settings.watches
    ]


def subject_aliases(settings: Settings) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for watch in settings.watches:
        for canonical, names in watch.aliases.items():
            aliases.setdefault(canonical, []).extend(names)
    return aliases


@dataclass
class _Pass:
    """What the phases of one pass share."""

    settings: Settings
    options: RunOptions
    runner: Runner
    store: Store
    fetcher: Fetcher
    targets: list[Target]
    operators: list[Target]
    report: RunReport
    publish: Callable[[RunReport, Store], None]
    progress: Progress | None = None
    stored_progress: StoreProgress | None = None  # articles stored so far, for `progress`


def load_alert_targets(
    settings: Settings, alert_urls: AlertUrls, report: RunReport
) -> tuple[list[Target], list[Target]]:
    """The run's targets and the operators'. A bad URL must not stop detection: the
    developments are stored and the alerts wait until the configuration is fixed."""
    problem = alert_urls.problem
    try:
        targets = load_targets(alert_urls.urls, settings.alerts.config)
        operators = load_targets(settings.alerts.operators_urls)
        # Targets tagged "operators" in the Apprise config hear about problems, not news.
        operators += [t for t in targets if OPERATORS_TAG in {tag.lower() for tag in t.tags}]
        targets = [t for t in targets if t not in operators]
    except TargetError as exc:
        problem = str(exc)
        targets, operators = [], []
    if problem:
        logger.error("notification targets: %s", problem, extra=IN_REPORT)
        report.errors.append(SourceError("alerts", problem, "config"))
    return targets, operators


def run_pass(
    settings: Settings,
    options: RunOptions,
    runner: Runner,
    *,
    alert_urls: AlertUrls | None = None,
    publish: Callable[[RunReport, Store], None] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """One monitoring pass over the configured (or the options') sources. `publish` is called
    with the finished report (also when every source failed, before AllSourcesFailed)."""
    settings = apply_options(settings, options)
    active = [s for s in settings.sources if s.enabled]
    if not active and not options.shard:
        raise ValueError("no sources configured: add [[sources]] to the config or pass --source")
    run_label = f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    report = RunReport(run_label=run_label, sources_total=len(active))
    urls = alert_urls or AlertUrls(list(settings.alerts.urls))
    targets, operators = load_alert_targets(settings, urls, report)
    store = Store.open(settings.database_url)
    fetcher = open_fetcher(settings)
    state = _Pass(
        settings,
        options,
        runner,
        store,
        fetcher,
        targets,
        operators,
        report,
        publish or (lambda _report, _store: None),
        progress,
    )
    try:
        if active:
            _extract_and_store_phase(state, _read_phase(state, active))
        else:  # a shard that no source hashes to: it only delivers what is owed
            logger.info("shard %s has no source", options.shard)
        _deliver_phase(state)
        state.publish(report, store)
        tell(progress, ProgressEvent("done", 1, 1))
        logger.info(report.summary_line())
        return report
    finally:
        fetcher.close()
        store.close()


def _read_phase(state: _Pass, active: Sequence[SourceConfig]) -> list[SourceRead]:
    indexed = list(enumerate(active))
    groups = [
        indexed[start : start + SOURCES_PER_BATCH]
        for start in range(0, len(indexed), SOURCES_PER_BATCH)
    ]
    futures = [
        state.runner.submit(
            "read sources", group_batch_name(group), read_sources, group, state.store, state.fetcher
        )
        for group in groups
    ]
    reads: list[SourceRead] = read_all(futures, state.progress, len(active))
    report = state.report
    add_seconds(report.stage_seconds, read_seconds(reads))
    notices = [notice for read in reads for notice in read.notices]
    if notices and not state.options.dry_run:
        report.errors.extend(notify_operators(state.operators, notices, report.run_label))
    for notice in notices:
        logger.warning("source health: %s", notice)
    if all(read.failed for read in reads):
        for read in reads:
            report.add_source(source_result(read, None, []))
        state.publish(report, state.store)
        raise AllSourcesFailed(
            "every source failed: " + "; ".join(e.message for e in report.errors), report
        )
    return reads


def _extract_and_store_phase(state: _Pass, reads: list[SourceRead]) -> None:
    pending = pending_in_diff_order(reads)
    for read in reads:
        read.release_articles()
    logger.info(
        "%d source(s) read: %d article(s), %d page(s) to fetch",
        len(reads),
        len(pending),
        sum(1 for item in pending if item.page is not None),
    )
    deferred = {read.batch.source: read.deferred for read in reads if read.deferred and read.batch}
    # The runner's pool for the CPU-heavy part: worker processes, or a Dask cluster in a flow.
    with state.runner.analysis(len(pending)) as pool:
        per_source, per_source_errors = _analyse_and_store(state, pending, pool, deferred)
    report = state.report
    for read in reads:
        result = source_result(
            read, per_source.pop(read.index, None), per_source_errors.pop(read.index, [])
        )
        report.add_source(result)
        logger.info(
            "source %d/%d done: %s — %d article(s), %d figure(s)%s",
            report.sources_done,
            report.sources_total,
            result.source,
            result.article_count,
            result.figure_count,
            " (not modified)" if result.not_modified else "",
        )


@dataclass
class _Tallies:
    """What the stored chunks add up to, for the report."""

    per_source: dict[int, SourceTally] = field(default_factory=lambda: defaultdict(SourceTally))
    errors: dict[int, list[SourceError]] = field(default_factory=lambda: defaultdict(list))
    alertable: list[Development] = field(default_factory=list)
    recorded: list[Development] = field(default_factory=list)

    def add(self, done: AnalysedChunk, stored: StoredChunk, state: _Pass) -> None:
        logger.info(
            "%d development(s) to alert, %d recorded only; %d queued for %d target(s)",
            len(stored.alertable),
            len(stored.recorded),
            stored.queued,
            len(state.targets),
        )
        report = state.report
        add_seconds(report.stage_seconds, done.seconds)
        add_seconds(report.stage_seconds, stored.seconds)
        for source_index, error in done.errors:
            self.errors[source_index].append(error)
        self.alertable.extend(stored.alertable)
        self.recorded.extend(stored.recorded)
        report.errors.extend(stored.errors)
        if state.stored_progress is not None:
            state.stored_progress.stored(stored.alertable, stored.recorded)
        for source_index, item in done.items:
            # The article is in the database now; the report only counts it.
            tally = self.per_source[source_index]
            tally.articles += 1
            tally.figures += len(item.analysis.figures)


def _analyse_and_store(
    state: _Pass,
    pending: list[PendingArticle],
    pool: AnalysisPool | None,
    deferred: dict[str, SourceStateUpdate],
) -> tuple[dict[int, SourceTally], dict[int, list[SourceError]]]:
    """Phases two and three: chunks fetched and analysed ahead, stored in order, each with the
    fetch state of the sources whose last article it holds."""
    settings, report = state.settings, state.report
    aliases = subject_aliases(settings)
    watches = core_watches(settings)
    chunks = plan_chunks(pending)
    state.stored_progress = StoreProgress(state.progress, chunks)
    pending.clear()
    ledger = StateLedger.plan(chunks, deferred)
    tallies = _Tallies()
    in_flight: deque[Pending[AnalysedChunk]] = deque()
    submitted = 0

    def keep_chunks_in_flight() -> None:
        nonlocal submitted
        while submitted < len(chunks) and len(in_flight) < CHUNKS_IN_FLIGHT:
            chunk, chunks[submitted] = chunks[submitted], []  # its batch holds it now
            submitted += 1
            in_flight.append(
                state.runner.submit(
                    "fetch and extract",
                    chunk_batch_name(chunk),
                    fetch_and_analyse,
                    chunk,
                    state.fetcher,
                    aliases,
                    pool,
                )
            )

    keep_chunks_in_flight()
    while in_flight:
        done = in_flight.popleft().result()
        keep_chunks_in_flight()  # the next chunks fetch and extract while this one is stored
        stored = state.runner.call(
            "store and diff",
            f"store and diff {len(done.items)} articles",
            store_and_diff,
            [item for _, item in done.items],
            state.store,
            settings,
            state.targets,
            watches,
            ledger.next_states(done),
        )
        ledger.troubled |= stored.failed_sources
        tallies.add(done, stored, state)
        del done, stored
    report.developments = tallies.alertable
    report.recorded_only = tallies.recorded
    return tallies.per_source, tallies.errors


def _deliver_phase(state: _Pass) -> None:
    report, store = state.report, state.store
    started = time.perf_counter()
    if state.options.dry_run or not state.targets:
        report.delivery = undelivered(store, state.targets, dry_run=state.options.dry_run)
        if not state.options.dry_run and report.developments:  # (a dry run sends nothing)
            logger.warning(NO_TARGET_WARNING, len(report.alerted_entries()))
    else:
        report.delivery, send_errors = state.runner.call(
            "deliver alerts",
            "deliver alerts",
            _deliver,
            store,
            state.targets,
            state.settings.alerts.mode,
            report.run_label,
            state.operators,
        )
        report.errors.extend(send_errors)
        for error in send_errors:
            logger.warning("alert delivery: %s", error.message, extra=IN_REPORT)
    seconds = report.stage_seconds
    seconds["alert"] = seconds.get("alert", 0.0) + time.perf_counter() - started


def _deliver(
    store: Store,
    targets: Sequence[Target],
    mode: str,
    run_label: str,
    operators: Sequence[Target],
) -> tuple[Delivery, list[SourceError]]:
    return deliver_outbox(
        store,
        targets,
        mode="each" if mode == "each" else "digest",
        run_label=run_label,
        claimant=run_label,
        operators=operators,
    )
