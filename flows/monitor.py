"""The `monitor` flow: read sources → extract → store and diff → alert.

A thin Prefect layer over the plain-Python core: one task per source (fetching, parsing and
extraction of all its articles), one task that stores and diffs every article of the run in
publish order, one task that delivers the alert outbox. Everything a task does is in `parsers`,
`ingest`, `storage` and `alerts`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from pydantic import BaseModel, Field

from alerts.routing import Watch, is_alertable, matching_watches, route
from alerts.targets import Target, TargetError, load_targets
from flows.artifacts import publish_artifacts
from flows.report import AnalysedArticle, RunReport, SourceResult
from flows.steps import deliver_outbox, notify_operators, order_for_diff, read_and_analyse
from ingest.http import Fetcher
from laborwatch.domain import Development, SourceError
from laborwatch.settings import Settings, SourceConfig, load_settings, sources_from_locations
from storage.store import Store


class AllSourcesFailed(RuntimeError):
    """Every source of the run failed: the run is Failed, with each source's error listed."""


class MonitorOptions(BaseModel):
    """What a person can change for one run, from the CLI or the Prefect UI's run form."""

    sources: list[str] | None = Field(
        default=None,
        description="Feed URLs or files, article files or folders. Empty: the configured ones.",
    )
    skip_sources: list[str] = Field(
        default_factory=list, description="Configured sources to skip this run (name or location)."
    )
    watches: list[str] | None = Field(
        default=None, description="Only these watches (by name). Empty: all configured watches."
    )
    dry_run: bool = Field(
        default=False,
        description="Extract and diff, send nothing: alerts stay queued for the next normal run.",
    )
    alert_mode: Literal["digest", "each"] | None = Field(
        default=None, description="digest: one message per recipient; each: one per development."
    )
    min_relative_change: float | None = Field(
        default=None, ge=0.0, description="Ignore changes smaller than this (0.05 = 5%)."
    )
    config_path: str | None = Field(default=None, description="Configuration file to use.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL for this run.")


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


@task(name="read-source", cache_policy=NO_CACHE)
def read_source_task(
    source: SourceConfig, store: Store, fetcher: Fetcher, aliases: dict[str, list[str]]
) -> SourceResult:
    return read_and_analyse(source, store, fetcher, aliases)


@task(name="store and diff", cache_policy=NO_CACHE)
def store_and_diff_task(
    results: Sequence[SourceResult],
    store: Store,
    settings: Settings,
    targets: Sequence[Target],
) -> tuple[list[Development], list[Development], list[SourceError]]:
    """Store every new article in publish order and turn its figures into developments; queue
    the alertable ones for their targets. Returns (alertable, recorded only, errors)."""
    logger = get_run_logger()
    watches = core_watches(settings)
    alertable: list[Development] = []
    recorded: list[Development] = []
    errors: list[SourceError] = []
    routes: dict[int, list[str]] = {}
    for item in order_for_diff(results):
        try:
            outcome = store.add_article(item.article, item.analysis)
            if not outcome.is_new:
                continue
            found = store.record_figures(
                outcome.article_id,
                item.article,
                item.analysis,
                tolerance=settings.alerts.tolerance,
            )
        except Exception as exc:  # one bad article must not lose the rest of the run
            logger.exception("storing %r failed", item.article.title)
            errors.append(SourceError(item.article.source, f"store: {exc}", "store"))
            continue
        for dev in found:
            matched = matching_watches(
                watches, title=item.article.title, text=item.article.text, subject=dev.subject
            )
            dev.watches = [w.name for w in matched]
            wanted = is_alertable(
                dev,
                metrics=settings.alerts.metrics,
                min_relative_change=settings.alerts.min_relative_change,
            ) and (bool(matched) or not watches)
            if not wanted:
                recorded.append(dev)
                continue
            alertable.append(dev)
            chosen = route(dev, targets, watches_configured=bool(watches), watches=watches)
            if chosen and dev.id is not None:
                routes[dev.id] = [t.key for t in chosen]
    if routes:
        store.enqueue_alerts(routes)
    logger.info(
        "%d development(s) to alert, %d recorded only; %d queued for %d target(s)",
        len(alertable),
        len(recorded),
        len(routes),
        len(targets),
    )
    return alertable, recorded, errors


@task(name="deliver alerts", cache_policy=NO_CACHE)
def deliver_alerts_task(
    store: Store, targets: Sequence[Target], mode: Literal["digest", "each"], run_label: str
) -> tuple[dict[str, int], list[SourceError]]:
    return deliver_outbox(store, targets, mode=mode, run_label=run_label, claimant=run_label)


@flow(name="monitor", log_prints=False, validate_parameters=True)
def monitor(
    sources: Annotated[
        list[str] | None,
        Field(description="Feed URLs or files, article files or folders; empty: configured ones"),
    ] = None,
    skip_sources: Annotated[
        list[str] | None, Field(description="Configured sources to skip (name or location)")
    ] = None,
    watches: Annotated[
        list[str] | None, Field(description="Only these watches by name; empty: all")
    ] = None,
    dry_run: Annotated[
        bool, Field(description="Extract and diff, send nothing (alerts stay queued)")
    ] = False,
    alert_mode: Annotated[
        Literal["digest", "each"] | None,
        Field(description="digest: one message per recipient; each: one per development"),
    ] = None,
    min_relative_change: Annotated[
        float | None, Field(ge=0.0, description="Ignore changes smaller than this (0.05 = 5%)")
    ] = None,
    config_path: Annotated[str | None, Field(description="Configuration file to use")] = None,
    database_url: Annotated[str | None, Field(description="SQLAlchemy URL for this run")] = None,
) -> RunReport:
    """Watch the configured sources for labor and layoff developments and alert on them."""
    options = MonitorOptions(
        sources=sources or None,
        skip_sources=skip_sources or [],
        watches=watches or None,
        dry_run=dry_run,
        alert_mode=alert_mode,
        min_relative_change=min_relative_change,
        config_path=config_path,
        database_url=database_url,
    )
    logger = get_run_logger()
    settings = resolve_settings(options)
    try:
        targets = load_targets(settings.alerts.urls, settings.alerts.config)
        operators = load_targets(settings.alerts.operators_urls)
    except TargetError as exc:
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
    try:
        aliases = subject_aliases(settings)
        futures = [
            read_source_task.with_options(task_run_name=source_task_name(s)).submit(
                s, store, fetcher, aliases
            )
            for s in active
        ]
        for future in as_completed(futures):
            result = future.result()
            report.add_source(result)
            logger.info(
                "source %d/%d done: %s — %d article(s), %d figure(s)",
                report.sources_done,
                len(active),
                result.source,
                len(result.articles),
                sum(len(a.analysis.figures) for a in result.articles),
            )
        # diff in configured source order whatever order the fetches finished in
        results: list[SourceResult] = [f.result() for f in futures]
        if report.health_notices and not options.dry_run:
            report.errors.extend(notify_operators(operators, report.health_notices, run_label))
        for notice in report.health_notices:
            logger.warning("source health: %s", notice)
        if report.sources_failed == len(active):
            publish_artifacts(report, store)
            raise AllSourcesFailed(
                "every source failed: " + "; ".join(e.message for e in report.errors)
            )
        alertable, recorded, store_errors = store_and_diff_task(results, store, settings, targets)
        report.developments = alertable
        report.recorded_only = recorded
        report.errors.extend(store_errors)
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
        publish_artifacts(report, store)
        logger.info(report.summary_line())
        return report
    finally:
        fetcher.close()
        store.close()


__all__ = ["AnalysedArticle", "MonitorOptions", "monitor"]
