"""Serve the laborwatch deployment on one machine: no work pool, no worker. The served
deployment has the schedule, default parameters and run environment of `prefect.yaml`;
`serve_monitor` blocks until stopped (Ctrl-C / SIGTERM) and pauses the schedule on the way out."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prefect.deployments.runner import RunnerDeployment
from prefect.flows import Flow, load_flow_from_entrypoint, serve

from laborwatch.deployments.spec import (
    PREFECT_YAML,
    REPO_ROOT,
    DeploymentSpec,
    DeploymentSpecError,
    ScheduleSpec,
    load_deployment_spec,
)
from laborwatch.log_redaction import EXTRA_LOGGERS


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


def serve_monitor(
    *,
    name: str | None = None,
    cron: str | None = None,
    timezone: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    limit: int | None = None,
) -> None:
    """Serve the monitor deployment with its cron schedule until stopped.

    `limit` caps concurrent runs of this process (the deployment's own concurrency limit from
    prefect.yaml applies on top)."""
    spec = served_spec(
        name=name, cron=cron, timezone=timezone, config_path=config_path, parameters=parameters
    )
    if config_path is not None:
        from laborwatch.settings import load_settings

        load_settings(spec.parameters["config_path"])  # a bad config fails now, not each run
    # Served runs execute in child processes that start here: the entrypoint and laborwatch's
    # relative paths resolve against the repository, as they do after the worker's pull step.
    os.chdir(REPO_ROOT)
    os.environ.update(run_environment(spec, os.environ))
    serve(build_deployment(spec), limit=limit)
