"""The deployment definitions in `deployments/prefect.yaml`, read once for every way of running
them: `prefect deploy` reads the file itself, `laborwatch serve` reads it through here, so the
schedule, default parameters and run environment are the same both ways."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from prefect.client.schemas.schedules import CronSchedule
from pydantic import ValidationError

PREFECT_YAML = Path(__file__).resolve().parent / "prefect.yaml"
REPO_ROOT = PREFECT_YAML.parent.parent


class DeploymentSpecError(ValueError):
    """prefect.yaml, or a value given instead of one of its values, is not usable."""


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    cron: str
    timezone: str
    active: bool = True

    def to_schedule(self) -> CronSchedule:
        """Validated: a bad cron string or an unknown timezone raises DeploymentSpecError."""
        return cron_schedule(self.cron, self.timezone)


@dataclass(frozen=True, slots=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # "path/relative/to/repo.py:flow_function"
    description: str | None
    tags: tuple[str, ...]
    parameters: dict[str, Any]
    schedules: tuple[ScheduleSpec, ...]
    enforce_parameter_schema: bool
    concurrency_limit: int | None
    work_pool: str | None
    env: dict[str, str] = field(default_factory=dict)


def cron_schedule(cron: str, timezone: str) -> CronSchedule:
    """A cron schedule in an explicit IANA timezone; both are checked here, not at the first
    scheduled run."""
    if not timezone:
        raise DeploymentSpecError(
            "a schedule needs an explicit timezone (IANA name such as America/New_York or UTC)"
        )
    try:
        return CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise DeploymentSpecError(f"schedule {cron!r} in {timezone!r}: {reasons}") from None


def _schedule(raw: Any, where: str) -> ScheduleSpec:
    if not isinstance(raw, dict) or "cron" not in raw:
        raise DeploymentSpecError(f"{where}: each schedule needs a `cron` and a `timezone`")
    spec = ScheduleSpec(
        cron=str(raw["cron"]),
        timezone=str(raw.get("timezone") or ""),
        active=bool(raw.get("active", True)),
    )
    spec.to_schedule()
    return spec


def _deployment(raw: dict[str, Any], where: str) -> DeploymentSpec:
    for key in ("name", "entrypoint"):
        if not raw.get(key):
            raise DeploymentSpecError(f"{where}: missing `{key}`")
    if ":" not in raw["entrypoint"]:
        raise DeploymentSpecError(f"{where}: entrypoint must be 'path/to/file.py:function'")
    where = f"{where} ({raw['name']})"
    work_pool = raw.get("work_pool") or {}
    job_variables = work_pool.get("job_variables") or {}
    limit = raw.get("concurrency_limit")
    if isinstance(limit, dict):
        limit = limit.get("limit")
    return DeploymentSpec(
        name=str(raw["name"]),
        entrypoint=str(raw["entrypoint"]),
        description=raw.get("description"),
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        parameters=dict(raw.get("parameters") or {}),
        schedules=tuple(
            _schedule(s, f"{where} schedule {i + 1}")
            for i, s in enumerate(raw.get("schedules") or ())
        ),
        enforce_parameter_schema=bool(raw.get("enforce_parameter_schema", True)),
        concurrency_limit=int(limit) if limit is not None else None,
        work_pool=work_pool.get("name"),
        env={str(k): str(v) for k, v in (job_variables.get("env") or {}).items()},
    )


def load_deployment_specs(path: Path = PREFECT_YAML) -> list[DeploymentSpec]:
    """Every deployment in a prefect.yaml, with its schedules validated."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DeploymentSpecError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("deployments"), list):
        raise DeploymentSpecError(f"{path}: no `deployments:` list")
    return [
        _deployment(raw, f"{path} deployment {i + 1}") for i, raw in enumerate(data["deployments"])
    ]


def load_deployment_spec(name: str | None = None, path: Path = PREFECT_YAML) -> DeploymentSpec:
    """The named deployment, or the file's first one when no name is given."""
    specs = load_deployment_specs(path)
    if not specs:
        raise DeploymentSpecError(f"{path}: no deployments defined")
    if name is None:
        return specs[0]
    for spec in specs:
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in specs)
    raise DeploymentSpecError(f"{path}: no deployment named {name!r} (known: {known})")
