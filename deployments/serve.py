"""Serve the laborwatch deployment on one machine: no work pool, no worker. The served
deployment has the schedule, default parameters and run environment of `prefect.yaml`;
`serve_monitor` blocks until stopped (Ctrl-C / SIGTERM, both shut down the same clean way) and
pauses its schedule on the way out. It refuses to take over a deployment `prefect deploy` made
for a work pool, and warns when no alert target is configured."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.flows import Flow, load_flow_from_entrypoint
from prefect.runner import Runner

from laborwatch.deployments.spec import (
    PREFECT_YAML,
    REPO_ROOT,
    DeploymentSpec,
    DeploymentSpecError,
    ScheduleSpec,
    load_deployment_spec,
)
from laborwatch.log_redaction import EXTRA_LOGGERS

logger = logging.getLogger("laborwatch.serve")


def served_spec(
    *,
    name: str | None = None,
    cron: str | None = None,
    timezone: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    spec_path: Path = PREFECT_YAML,
) -> DeploymentSpec:
    """prefect.yaml's first deployment with this serve's overrides applied and validated.

    A cron without a timezone keeps the file's timezone (and the other way round), so a schedule
    is never left in the server's local time."""
    base = load_deployment_spec(path=spec_path)
    schedules = base.schedules
    if cron or timezone:
        first = schedules[0] if schedules else None
        chosen_cron = cron or (first.cron if first else None)
        if chosen_cron is None:
            raise DeploymentSpecError("--timezone needs a cron schedule: pass --cron as well")
        chosen = ScheduleSpec(
            cron=chosen_cron, timezone=timezone or (first.timezone if first else "")
        )
        chosen.to_schedule()
        schedules = (chosen,)
    merged = dict(base.parameters)
    if config_path is not None:
        # An absolute path: the runs do not depend on the directory serve was started from.
        merged["config_path"] = str(Path(config_path).expanduser().resolve())
    merged.update(parameters or {})
    return DeploymentSpec(
        name=name or base.name,
        entrypoint=base.entrypoint,
        description=base.description,
        tags=base.tags,
        parameters=merged,
        schedules=schedules,
        enforce_parameter_schema=base.enforce_parameter_schema,
        concurrency_limit=base.concurrency_limit,
        work_pool=None,
        env=dict(base.env),
    )


def run_environment(spec: DeploymentSpec, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables served runs need, merged into `environ` without dropping the user's own:
    the file's job env, and our loggers added to any extra loggers already configured."""
    updates = {k: v for k, v in spec.env.items() if k not in environ}
    current = environ.get(
        "PREFECT_LOGGING_EXTRA_LOGGERS", spec.env.get("PREFECT_LOGGING_EXTRA_LOGGERS", "")
    )
    names = [n.strip() for n in current.split(",") if n.strip()]
    names += [n for n in EXTRA_LOGGERS if n not in names]
    updates["PREFECT_LOGGING_EXTRA_LOGGERS"] = ",".join(names)
    return updates


def build_deployment(spec: DeploymentSpec) -> RunnerDeployment:
    """The runner deployment for `spec`; its entrypoint is resolved against the repository root,
    which must be the working directory (serve_monitor makes it so)."""
    flow: Flow[..., Any] = load_flow_from_entrypoint(spec.entrypoint, use_placeholder_flow=False)
    return RunnerDeployment.from_flow(
        flow,
        name=spec.name,
        schedules=[s.to_schedule() for s in spec.schedules],
        parameters=spec.parameters,
        description=spec.description,
        tags=list(spec.tags),
        enforce_parameter_schema=spec.enforce_parameter_schema,
        concurrency_limit=spec.concurrency_limit,
    )


class _Runner(Runner):
    """Prefect's runner with SIGTERM handled as Ctrl-C: Prefect's own handler calls the async
    `stop` from inside the running loop ("coroutine 'Runner.astop' was never awaited") and
    exits mid-flight; turned into SIGINT, asyncio cancels the runner's task and it shuts down
    the way Ctrl-C does (runs cancelled, its own deployment's schedule paused)."""

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        self._logger.info("SIGTERM received, shutting down as for Ctrl-C…")
        signal.raise_signal(signal.SIGINT)


def refuse_foreign_deployment(name: str) -> None:
    """Serving takes over the deployment of that name (and pauses it on the way out): refuse
    when it is one `prefect deploy` made for a work pool, so serving never touches it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            existing = client.read_deployment_by_name(f"monitor/{name}")
        except ObjectNotFound:
            return
    if existing.work_pool_name:
        raise DeploymentSpecError(
            f"deployment monitor/{name} was made with `prefect deploy` for work pool "
            f"{existing.work_pool_name!r}; serving it here would take it over. Serve under "
            f"another name, e.g. `laborwatch serve --name {name}-local`"
        )


def alert_target_warning(config_path: str | None) -> str | None:
    """A warning when served runs would alert nobody (no URL, Apprise config or Secret block),
    or None. A config that cannot be read is left to the run to report."""
    from laborwatch.settings import SettingsError, load_settings

    try:
        alerts = load_settings(config_path).alerts
    except SettingsError:
        return None
    if alerts.urls or alerts.config or alerts.secret_block:
        return None
    return (
        "no alert target configured: served runs will record developments but send nothing. "
        "Add Apprise URLs to [alerts] urls in the config file or set LABORWATCH_NOTIFY_URLS."
    )


def serve_monitor(
    *,
    name: str | None = None,
    cron: str | None = None,
    timezone: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    limit: int | None = None,
    warn: Callable[[str], None] = lambda message: logger.warning(message),
) -> None:
    """Serve the monitor deployment with its cron schedule until stopped (Ctrl-C or SIGTERM).

    `limit` caps concurrent runs of this process (the deployment's own concurrency limit from
    prefect.yaml applies on top)."""
    spec = served_spec(
        name=name, cron=cron, timezone=timezone, config_path=config_path, parameters=parameters
    )
    if config_path is not None:
        from laborwatch.settings import load_settings

        load_settings(spec.parameters["config_path"])  # a bad config fails now, not each run
    problem = alert_target_warning(spec.parameters.get("config_path"))
    if problem:
        warn(problem)
    refuse_foreign_deployment(spec.name)
    # Served runs execute in child processes that start here: the entrypoint and laborwatch's
    # relative paths resolve against the repository, as they do after the worker's pull step.
    os.chdir(REPO_ROOT)
    os.environ.update(run_environment(spec, os.environ))
    # Until the runner takes over SIGTERM (in start()), it stops us the way Ctrl-C does too.
    signal.signal(signal.SIGTERM, _sigterm_as_sigint)
    deployment_id = None
    try:
        # Its own schedule is paused below, after the loop: inside the cancelled runner the
        # pause would be cancelled too.
        runner = _Runner(pause_on_shutdown=False, limit=limit)
        deployment_id = runner.add_deployment(build_deployment(spec))
        print(
            f"serving monitor/{spec.name}: start runs from the Prefect UI or with `prefect "
            f"deployment run monitor/{spec.name}`; Ctrl-C (or SIGTERM) stops it",
            file=sys.stderr,
            flush=True,
        )
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        logger.info("laborwatch serve stopped")
    finally:
        if deployment_id is not None:
            _pause(deployment_id, spec.name)


def _pause(deployment_id: Any, name: str) -> None:
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.pause_deployment(deployment_id)
    except Exception as exc:  # the API may be gone too; say so and end
        print(f"warning: could not pause monitor/{name}: {exc}", file=sys.stderr, flush=True)
    else:
        print(f"stopped; monitor/{name} is paused until served again", file=sys.stderr)


def _sigterm_as_sigint(*_args: Any) -> None:
    signal.raise_signal(signal.SIGINT)
