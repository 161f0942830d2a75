"""The `monitor` flow: read sources → fetch pages and extract → store and diff → alert.

A thin Prefect layer over the plain-Python core (`flows.steps`), in three phases:
1. "fetch 25 feeds (host …)": one task per group of sources reads their feeds or files;
2. "fetch and extract 500 articles (host …)": tasks over chunks of the run's articles, taken in
   diff order (publish time, source, position), fetch the pages and extract text and figures on
   a process pool — the CPU-bound part, spread over every core;
3. "store and diff": each chunk is stored and diffed as soon as it and the chunks before it are
   done, so storage overlaps extraction and only the chunks in flight are held in memory.
Then one task delivers the alert outbox. Task runs are grouped because each costs ~50 ms of
Prefect bookkeeping: one per source would dominate a run of hundreds of feeds.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import BaseModel, Field

from laborwatch.alerts.routing import Watch
from laborwatch.alerts.targets import Target, TargetError, load_targets
from laborwatch.flows.artifacts import publish_artifacts
from laborwatch.flows.report import AnalysedArticle, RunReport, SourceTally
from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls
from laborwatch.flows.steps import (
    JOBS_PER_CALL,
    AnalysedChunk,
    PendingArticle,
    SourceRead,
    StoredChunk,
    add_seconds,
    deliver_outbox,
    fetch_and_analyse,
    hosts_label,
    is_remote,
    notify_operators,
    pending_in_diff_order,
    read_seconds,
    read_sources,
    source_result,
    store_and_diff,
)
from laborwatch.ingest.http import Fetcher
from laborwatch.domain import Development, SourceError
from laborwatch.log_redaction import install_log_redaction
from laborwatch.settings import Settings, SourceConfig, load_settings, sources_from_locations
from laborwatch.storage.store import Store


class AllSourcesFailed(RuntimeError):
    """Every source of the run failed: the run is Failed, with each source's error listed."""


class MonitorOptions(BaseModel):
    """One run's options, validated; what each means is documented on `monitor`'s parameters,
    which is what the CLI and the Prefect UI's run form show."""

    sources: list[str] | None = None
    skip_sources: list[str] = Field(default_factory=list)
    watches: list[str] | None = None
    dry_run: bool = False
    alert_mode: Literal["digest", "each"] | None = None
    min_relative_change: float | None = Field(default=None, ge=0.0)
    config_path: str | None = None
    database_url: str | None = None


def resolve_settings(options: MonitorOptions) -> Settings:
    """Config file + environment, then this run's options on top."""
    settings = load_settings(options.config_path)
    if options.database_url:
        settings.database_url = options.database_url
    if options.sources:
        settings.sources = sources_from_locations(options.sources)
    if options.skip_sources:
        skip = set(options.skip_sources)
        settings.sources = [
            s for s in settings.sources if s.location not in skip and s.label not in skip
        ]
    if options.watches is not None:
        wanted = set(options.watches)
        unknown = wanted - {w.name for w in settings.watches}
        if unknown:
            raise ValueError(f"unknown watch(es): {', '.join(sorted(unknown))}")
        settings.watches = [w for w in settings.watches if w.name in wanted]
    if options.alert_mode:
        settings.alerts.mode = options.alert_mode
    if options.min_relative_change is not None:
        settings.alerts.min_relative_change = options.min_relative_change
    return settings


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


def source_task_name(source: SourceConfig) -> str:
    from urllib.parse import urlsplit

    if "://" in source.location:
        return f"fetch {urlsplit(source.location).hostname or source.location}"
    return f"read {source.name or source.location.rsplit('/', 1)[-1]}"


# Sources per "fetch feeds" task, articles per "fetch and extract" task, and how many of those
# run at once: enough to keep every core and the network busy while a chunk is being stored.
SOURCES_PER_TASK = 25
ARTICLES_PER_CHUNK = 500
CHUNKS_IN_FLIGHT = 2
# Task runs at once. Prefect's thread pool is unbounded by default: 500 feeds would run all 20
# "fetch feeds" tasks, each with its own threads, at once — hundreds of threads contending for
# the GIL and the database's connections, for no gain: the fetcher caps network concurrency.
TASKS_AT_ONCE = 4
TASK_RUNNER: TaskRunner[Any] = ThreadPoolTaskRunner(max_workers=TASKS_AT_ONCE)
# Below this many articles, analysing in the flow's process beats starting worker processes.
POOL_MIN_ARTICLES = 64


def group_task_name(group: Sequence[tuple[int, SourceConfig]]) -> str:
    if len(group) == 1:
        return source_task_name(group[0][1])
    label = hosts_label(source.location for _, source in group)
    if all(is_remote(source.location) for _, source in group):
        return f"fetch {len(group)} feeds ({label})"
    return f"read {len(group)} sources ({label})"


@task(name="read sources", cache_policy=NO_CACHE)
def read_sources_task(
    sources: Sequence[tuple[int, SourceConfig]], store: Store, fetcher: Fetcher
) -> list[SourceRead]:
    return read_sources(sources, store, fetcher)


@task(name="fetch and extract", cache_policy=NO_CACHE)
def fetch_and_analyse_task(
    chunk: Sequence[PendingArticle],
    fetcher: Fetcher,
    aliases: dict[str, list[str]],
    pool: Executor | None,
) -> AnalysedChunk:
    return fetch_and_analyse(chunk, fetcher, aliases, pool)


@task(name="store and diff", cache_policy=NO_CACHE)
def store_and_diff_task(
    items: Sequence[AnalysedArticle],
    store: Store,
    settings: Settings,
    targets: Sequence[Target],
    watches: Sequence[Watch],
) -> StoredChunk:
    """Store articles (in diff order) and turn their figures into developments; queue the
    alertable ones for their targets."""
    stored = store_and_diff(items, store, settings, targets, watches)
    get_run_logger().info(
        "%d development(s) to alert, %d recorded only; %d queued for %d target(s)",
        len(stored.alertable),
        len(stored.recorded),
        stored.queued,
        len(targets),
    )
    return stored


def chunk_task_name(chunk: Sequence[PendingArticle]) -> str:
    pages = sum(1 for item in chunk if item.page is not None)
    label = hosts_label(item.page.url if item.page else item.location for item in chunk)
    if pages:
        return f"fetch and extract {len(chunk)} articles ({label})"
    return f"extract {len(chunk)} articles ({label})"


def analysis_pool(articles: int) -> ProcessPoolExecutor | None:
    """Worker processes for page parsing and figure extraction, one per core; None for a small
    run. "spawn": forking a process that runs Prefect's threads could copy a held lock."""
    if articles < POOL_MIN_ARTICLES:
        return None
    workers = min(os.cpu_count() or 1, -(-articles // JOBS_PER_CALL))
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


@task(name="deliver alerts", task_run_name="deliver alerts", cache_policy=NO_CACHE)
def deliver_alerts_task(
    store: Store, targets: Sequence[Target], mode: Literal["digest", "each"], run_label: str
) -> tuple[dict[str, int], list[SourceError]]:
    return deliver_outbox(store, targets, mode=mode, run_label=run_label, claimant=run_label)


@flow(
    name="monitor",
    log_prints=False,
    validate_parameters=True,
    task_runner=TASK_RUNNER,
)
def monitor(
    sources: Annotated[
        list[str],
        Field(description="Feed URLs or files, article files or folders; empty: configured ones"),
    ] = [],  # noqa: B006 - a plain list renders as a clear list input in the UI's run form
    skip_sources: Annotated[
        list[str], Field(description="Configured sources to skip (name or location)")
    ] = [],  # noqa: B006
    watches: Annotated[list[str], Field(description="Only these watches by name; empty: all")] = [],  # noqa: B006
    dry_run: Annotated[
        bool, Field(description="Extract and diff, send nothing (alerts stay queued)")
    ] = False,
    alert_mode: Annotated[
        Literal["as configured", "digest", "each"],
        Field(description="digest: one message per recipient; each: one per development"),
    ] = "as configured",
    min_relative_change: Annotated[
        float | None, Field(ge=0.0, description="Ignore changes smaller than this (0.05 = 5%)")
    ] = None,
    config_path: Annotated[str | None, Field(description="Configuration file to use")] = None,
    database_url: Annotated[str | None, Field(description="SQLAlchemy URL for this run")] = None,
) -> RunReport:
    """Watch the configured sources for labor and layoff developments and alert on them.

    Args:
        sources: Feed URLs or files, article files or folders to read this run instead of the
            configured sources. Empty: the sources in the configuration file.
        skip_sources: Configured sources to skip this run, by name or location.
        watches: Only these watches (by name). Empty: every configured watch.
        dry_run: Extract and diff, send nothing: alerts stay queued for the next normal run.
        alert_mode: "digest" (one message per recipient per run) or "each" (one message per
            development); "as configured": the configuration file's mode.
        min_relative_change: Ignore changes smaller than this (0.05 = 5%). Empty: from the
            configuration file.
        config_path: Configuration file for this run. Empty: laborwatch.toml or
            $LABORWATCH_CONFIG.
        database_url: SQLAlchemy URL of the database for this run. Empty: from the configuration.
    """
    options = MonitorOptions(
        sources=sources or None,
        skip_sources=skip_sources or [],
        watches=watches or None,
        dry_run=dry_run,
        alert_mode=None if alert_mode == "as configured" else alert_mode,
        min_relative_change=min_relative_change,
        config_path=config_path,
        database_url=database_url,
    )
    logger = get_run_logger()
    settings = resolve_settings(options)
    install_log_redaction([*settings.alerts.urls, *settings.alerts.operators_urls])
    try:
        urls = configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block)
        install_log_redaction(urls)
        targets = load_targets(urls, settings.alerts.config)
        operators = load_targets(settings.alerts.operators_urls)
    except (TargetError, SecretBlockError) as exc:
        # A bad notification URL must not stop detection: the developments are stored and the
        # alerts wait in the outbox until the configuration is fixed.
        logger.error("notification targets: %s", exc)
        targets, operators = [], []
        target_error: SourceError | None = SourceError("alerts", str(exc), "config")
    else:
        target_error = None
    active = [s for s in settings.sources if s.enabled]
    if not active:
        raise ValueError("no sources configured: add [[sources]] to the config or pass --source")

    run_label = f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    report = RunReport(run_label=run_label, sources_total=len(active))
    if target_error:
        report.errors.append(target_error)
    store = Store.open(settings.database_url)
    fetch = settings.fetch
    fetcher = Fetcher(
        user_agent=fetch.user_agent,
        connect_timeout=fetch.connect_timeout,
        total_timeout=fetch.total_timeout,
        max_bytes=fetch.max_bytes,
        max_redirects=fetch.max_redirects,
        per_host_concurrency=fetch.per_host_concurrency,
        concurrency=fetch.concurrency,
        allow_private_addresses=fetch.allow_private_addresses,
    )
    pool: ProcessPoolExecutor | None = None
    try:
        aliases = subject_aliases(settings)
        watches_in_use = core_watches(settings)
        stage_seconds = report.stage_seconds
        indexed = list(enumerate(active))
        groups = [
            indexed[start : start + SOURCES_PER_TASK]
            for start in range(0, len(indexed), SOURCES_PER_TASK)
        ]
        read_futures = [
            read_sources_task.with_options(task_run_name=group_task_name(group)).submit(
                quote(group), store, fetcher
            )
            for group in groups
        ]
        reads: list[SourceRead] = [read for f in read_futures for read in f.result()]
        add_seconds(stage_seconds, read_seconds(reads))
        notices = [notice for read in reads for notice in read.notices]
        if notices and not options.dry_run:
            report.errors.extend(notify_operators(operators, notices, run_label))
        for notice in notices:
            logger.warning("source health: %s", notice)
        if all(read.failed for read in reads):
            for read in reads:
                report.add_source(source_result(read, None, []))
            publish_artifacts(report, store)
            raise AllSourcesFailed(
                "every source failed: " + "; ".join(e.message for e in report.errors)
            )

        pending = pending_in_diff_order(reads)
        for read in reads:
            read.release_articles()
        logger.info(
            "%d source(s) read: %d article(s), %d page(s) to fetch",
            len(reads),
            len(pending),
            sum(1 for item in pending if item.page is not None),
        )
        pool = analysis_pool(len(pending))
        chunks = [
            pending[start : start + ARTICLES_PER_CHUNK]
            for start in range(0, len(pending), ARTICLES_PER_CHUNK)
        ]
        del pending
        in_flight: deque[PrefectFuture[AnalysedChunk]] = deque()
        per_source: dict[int, SourceTally] = defaultdict(SourceTally)
        per_source_errors: dict[int, list[SourceError]] = defaultdict(list)
        alertable: list[Development] = []
        recorded: list[Development] = []
        submitted = 0

        def keep_chunks_in_flight() -> None:
            nonlocal submitted
            while submitted < len(chunks) and len(in_flight) < CHUNKS_IN_FLIGHT:
                chunk, chunks[submitted] = chunks[submitted], []  # its task holds it now
                submitted += 1
                task_name = chunk_task_name(chunk)
                # quote(): Prefect would otherwise walk every article looking for futures.
                in_flight.append(
                    fetch_and_analyse_task.with_options(task_run_name=task_name).submit(
                        quote(chunk),  # type: ignore[call-overload]
                        fetcher,
                        aliases,
                        quote(pool),
                    )
                )

        keep_chunks_in_flight()
        while in_flight:
            done = in_flight.popleft().result()
            keep_chunks_in_flight()  # the next chunks fetch and extract while this one is stored
            add_seconds(stage_seconds, done.seconds)
            for source_index, error in done.errors:
                per_source_errors[source_index].append(error)
            stored = store_and_diff_task.with_options(
                task_run_name=f"store and diff {len(done.items)} articles"
            )(quote([item for _, item in done.items]), store, settings, targets, watches_in_use)
            add_seconds(stage_seconds, stored.seconds)
            alertable.extend(stored.alertable)
            recorded.extend(stored.recorded)
            report.errors.extend(stored.errors)
            for source_index, item in done.items:
                # The article is in the database now; the report only counts it.
                tally = per_source[source_index]
                tally.articles += 1
                tally.figures += len(item.analysis.figures)
            del done, stored

        for read in reads:
            result = source_result(
                read, per_source.pop(read.index, None), per_source_errors.pop(read.index, [])
            )
            report.add_source(result)
            logger.info(
                "source %d/%d done: %s — %d article(s), %d figure(s)%s",
                report.sources_done,
                len(active),
                result.source,
                result.article_count,
                result.figure_count,
                " (not modified)" if result.not_modified else "",
            )
        report.developments = alertable
        report.recorded_only = recorded
        started = time.perf_counter()
        if options.dry_run:
            logger.info("dry run: alerts stay queued, nothing sent")
            report.alerts = store.alert_counts()
        elif targets:
            counts, send_errors = deliver_alerts_task(
                store, targets, settings.alerts.mode, run_label
            )
            report.alerts = counts
            report.errors.extend(send_errors)
            for error in send_errors:
                logger.warning("alert delivery: %s", error.message)
        else:
            report.alerts = store.alert_counts()
        stage_seconds["alert"] = stage_seconds.get("alert", 0.0) + time.perf_counter() - started
        publish_artifacts(report, store)
        logger.info(report.summary_line())
        return report
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        fetcher.close()
        store.close()


__all__ = ["AnalysedArticle", "MonitorOptions", "monitor"]
