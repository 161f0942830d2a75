"""The `monitor` flow: the monitoring pass (`laborwatch.pipeline.run`) as a Prefect flow run.

Prefect adds what a scheduled deployment needs around the plain-Python pass: each batch of work
is a task run (named for what it reads, visible in the UI), logs go to the run's log view with
secrets masked, and the run publishes its artifacts. Task runs are per batch, not per article:
each costs ~50 ms of Prefect bookkeeping. The CPU-heavy page parsing and figure extraction go to
a Dask cluster through prefect-dask's `DaskTaskRunner` (a local one per run, or a running one by
address: `[scale] dask_address`), as "parse and extract" task runs. With `shard` = "K/N" the run
takes the sources that hash to shard K of N (flows/fanout.py starts the N of them).
"""

from __future__ import annotations

import contextvars
import importlib
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cache, partial
from typing import Annotated, Any, Literal, TypeVar

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from prefect_dask.task_runners import DaskTaskRunner
from pydantic import Field, WithJsonSchema

from laborwatch.flows.artifacts import publish_artifacts
from laborwatch.flows.events import EventEmitter
from laborwatch.flows.fanout import publish_shard_tally
from laborwatch.flows.progress import ProgressArtifact, fan_out
from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls
from laborwatch.log_redaction import install_log_redaction
from laborwatch.pipeline.options import SHARD_PATTERN, RunOptions
from laborwatch.pipeline.progress import Progress
from laborwatch.pipeline.report import RunReport
from laborwatch.pipeline.run import AlertUrls, run_pass
from laborwatch.pipeline.runner import (
    BATCHES_AT_ONCE,
    JOBS_PER_CALL,
    AnalysisPool,
    Pending,
)
from laborwatch.settings import ScaleSettings, Settings, load_settings
from laborwatch.storage.store import Store

T = TypeVar("T")

# Prefect's thread pool is unbounded by default: 500 feeds would run every batch at once,
# hundreds of threads contending for the GIL and the database's connections, for no gain.
TASK_RUNNER: TaskRunner[Any] = ThreadPoolTaskRunner(max_workers=BATCHES_AT_ONCE)


@cache
def _stage_task(stage: str, fn: Callable[..., Any]) -> Task[..., Any]:
    batch: Task[..., Any] = task(name=stage, cache_policy=NO_CACHE)(fn)
    return batch


def dask_task_runner(scale: ScaleSettings, articles: int) -> DaskTaskRunner:
    """The running cluster at `scale.dask_address`, else a local cluster of worker processes
    (one per core, or `dask_workers`) that lives as long as the pass's analysis."""
    if scale.dask_address:
        return DaskTaskRunner(address=scale.dask_address)
    workers = scale.dask_workers or min(os.cpu_count() or 1, -(-articles // JOBS_PER_CALL))
    cluster = {
        "n_workers": workers,
        "threads_per_worker": 1,  # the work holds the GIL: processes, not threads
        "processes": True,
        "dashboard_address": ":0",  # several runs on one machine: no port to fight over
    }
    return DaskTaskRunner(cluster_kwargs=cluster)


class DaskAnalysisPool:
    """The pass's analysis calls as "parse and extract" task runs on a DaskTaskRunner.

    Made in the flow's thread, and submitting in a copy of that thread's context: the task runs
    are the flow run's children, not the batch's that asks for them (Prefect would otherwise
    ship that batch's context — its fetcher and this pool — to the Dask workers)."""

    def __init__(self, task_runner: DaskTaskRunner) -> None:
        self._task_runner = task_runner
        self._context = contextvars.copy_context()
        # A deployment loads flows/monitor.py as a script module named "monitor", which a Dask
        # worker cannot import: the flow run's context shipped to it names the flow by its
        # package path instead.
        flow_run = FlowRunContext.get()
        portable = importlib.import_module("laborwatch.flows.monitor").monitor
        self._flow_run = flow_run.model_copy(update={"flow": portable}) if flow_run else None

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Pending[T]:
        jobs = len(args[0]) if args and isinstance(args[0], list) else 0
        batch = _stage_task("parse and extract", fn).with_options(
            task_run_name=f"parse and extract {jobs} article(s)"
        )
        bound = inspect.signature(fn).bind(*args).arguments
        # Not quote()d as the batches are: Dask's graph walk would hand the worker a bare tuple.
        # A call is 16 articles (JOBS_PER_CALL), cheap to walk.
        parameters = dict(bound)
        future: Pending[T] = self._context.copy().run(self._submit, batch, parameters)
        return future

    def _submit(self, batch: Task[..., Any], parameters: dict[str, Any]) -> Pending[Any]:
        if self._flow_run is None:
            return self._task_runner.submit(batch, parameters)
        with self._flow_run.model_copy():
            return self._task_runner.submit(batch, parameters)


class PrefectRunner:
    """Each batch of the pass as a Prefect task run; the analysis on Dask."""

    def __init__(self, scale: ScaleSettings | None = None) -> None:
        self.scale = scale or ScaleSettings()

    def submit(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> Pending[T]:
        # quote(): Prefect would otherwise walk every article of a batch looking for futures.
        batch = _stage_task(stage, fn).with_options(task_run_name=name)
        future: Pending[T] = batch.submit(*(quote(arg) for arg in args))
        return future

    def call(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> T:
        return self.submit(stage, name, fn, *args).result()

    def analysis(self, articles: int) -> AbstractContextManager[AnalysisPool | None]:
        return self._dask_pool(articles)

    @contextmanager
    def _dask_pool(self, articles: int) -> Iterator[AnalysisPool | None]:
        # A small pass is analysed in its batches' threads: a cluster costs seconds to start.
        if not articles or articles < self.scale.analysis_min_articles:
            yield None
            return
        with dask_task_runner(self.scale, articles) as task_runner:
            yield DaskAnalysisPool(task_runner)


def alert_urls(settings: Settings) -> AlertUrls:
    """The configured Apprise URLs plus a Prefect Secret block's; all of them masked in logs."""
    install_log_redaction([*settings.alerts.urls, *settings.alerts.operators_urls])
    try:
        urls = configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block)
    except SecretBlockError as exc:
        return AlertUrls(list(settings.alerts.urls), str(exc))
    install_log_redaction(urls)
    return AlertUrls(urls)


SHARD_HELP = "K/N: only the sources of shard K of N (by a hash of their location)"


@flow(name="monitor", log_prints=False, validate_parameters=True, task_runner=TASK_RUNNER)
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
        float | None,
        WithJsonSchema({"type": "number", "minimum": 0.0}),
        Field(ge=0.0, description="Ignore changes smaller than this (0.05 = 5%)"),
    ] = None,
    config_path: Annotated[str, Field(description="Configuration file to use")] = "",
    database_url: Annotated[str, Field(description="SQLAlchemy URL for this run")] = "",
    shard: Annotated[str | None, Field(pattern=SHARD_PATTERN, description=SHARD_HELP)] = None,
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
        min_relative_change: Ignore changes smaller than this (0.05 = 5%). Empty: as configured.
        config_path: Configuration file for this run. Empty: $LABORWATCH_CONFIG, else
            laborwatch.toml in the worker's directory.
        database_url: SQLAlchemy URL of the database for this run. Empty: from the configuration.
        shard: "K/N": only the sources of shard K of N; the N shards are every source once.
    """
    options = RunOptions(
        sources=sources or None,
        skip_sources=skip_sources,
        watches=watches or None,
        dry_run=dry_run,
        alert_mode=None if alert_mode == "as configured" else alert_mode,
        min_relative_change=min_relative_change,
        database_url=database_url or None,
        shard=shard,
    )
    settings = load_settings(config_path or None)
    return run_pass(
        settings,
        options,
        PrefectRunner(settings.scale),
        alert_urls=(urls := alert_urls(settings)),
        publish=partial(_publish, options.shard),
        progress=_watchers(settings, urls),
    )


def _watchers(settings: Settings, urls: AlertUrls) -> Progress:
    """The run's progress artifact and its events; no alert URL may reach an event."""
    secrets = [*urls.urls, *settings.alerts.urls, *settings.alerts.operators_urls]
    return fan_out(ProgressArtifact(), EventEmitter(secrets))


def _publish(shard: str | None, report: RunReport, store: Store) -> None:
    publish_artifacts(report, store)
    if shard:
        publish_shard_tally(shard, report)


# min_relative_change is a plain number input in the run form (WithJsonSchema: no "None"
# switch); it starts empty, meaning "as configured": a `null` default would be offered as a
# value the number schema then refuses.
monitor.parameters.properties["min_relative_change"].pop("default", None)

__all__ = ["monitor"]
