"""deployments/prefect.yaml: every entrypoint imports, every schedule parses in its own timezone,
the default parameters fit the flow, and Prefect's own deploy-file model accepts the file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.cli.deploy._models import PrefectYamlModel
from prefect.flows import Flow, load_flow_from_entrypoint
from prefect.server.schemas.schedules import CronSchedule as ServerCronSchedule
from prefect.utilities.templating import find_placeholders

from laborwatch.deployments.spec import (
    PREFECT_YAML,
    REPO_ROOT,
    DeploymentSpecError,
    load_deployment_spec,
    load_deployment_specs,
)
from laborwatch.log_redaction import EXTRA_LOGGERS

RAW: dict[str, Any] = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
DEPLOYMENTS: list[dict[str, Any]] = RAW["deployments"]


@pytest.fixture()
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    # `prefect deploy` resolves entrypoints against the directory it runs in: the repo root.
    monkeypatch.chdir(REPO_ROOT)
    return REPO_ROOT


def test_prefects_own_deploy_model_accepts_the_file() -> None:
    model = PrefectYamlModel.model_validate(RAW)
    assert [d.name for d in model.deployments] == [d["name"] for d in DEPLOYMENTS]
    assert model.pull, "workers need a pull step that puts them in the repository"


@pytest.mark.parametrize("raw", DEPLOYMENTS, ids=lambda d: d["name"])
def test_entrypoint_imports_and_default_parameters_fit_the_flow(
    raw: dict[str, Any], in_repo: Path
) -> None:
    path, _, function = raw["entrypoint"].partition(":")
    assert (in_repo / path).is_file()
    flow = load_flow_from_entrypoint(raw["entrypoint"], use_placeholder_flow=False)
    assert isinstance(flow, Flow)
    assert flow.fn.__name__ == function
    defaults = raw.get("parameters") or {}
    unknown = set(defaults) - set(flow.parameters.properties)
    assert not unknown, f"parameters the flow does not take: {unknown}"
    flow.validate_parameters(defaults)  # raises on a default the flow would refuse


@pytest.mark.parametrize(
    "raw",
    # The shard deployment is started by the laborwatch-shards parent, never on a schedule.
    [d for d in DEPLOYMENTS if "shard" not in d.get("tags", [])],
    ids=lambda d: d["name"],
)
def test_schedules_parse_in_an_explicit_timezone(raw: dict[str, Any]) -> None:
    assert raw.get("schedules"), "the deployment is meant to be scheduled"
    for item in raw["schedules"]:
        assert item.get("timezone"), f"{item['cron']!r}: no timezone, runs would drift to UTC"
        schedule = ServerCronSchedule(cron=item["cron"], timezone=item["timezone"])
        # The server's scheduler computes these exact dates: they exist and are local times.
        start = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
        dates = asyncio.run(schedule.get_dates(n=5, start=start))
        assert len(dates) == 5
        assert all(str(d.tzinfo) == item["timezone"] for d in dates)


def test_schedule_keeps_local_time_across_daylight_saving() -> None:
    spec = load_deployment_spec()
    first = spec.schedules[0]
    assert (first.cron, first.timezone) == ("0 6-22 * * *", "America/New_York")
    schedule = ServerCronSchedule(cron=first.cron, timezone=first.timezone)
    # US clocks go forward on 2026-03-08: the first run stays at 06:00 local, moving in UTC.
    before = asyncio.run(schedule.get_dates(n=1, start=datetime(2026, 3, 7, 5, 0, tzinfo=UTC)))
    after = asyncio.run(schedule.get_dates(n=1, start=datetime(2026, 3, 9, 5, 0, tzinfo=UTC)))
    assert [(d.hour, d.astimezone(UTC).hour) for d in (*before, *after)] == [(6, 11), (6, 10)]


def test_pull_step_uses_only_values_the_build_steps_produce() -> None:
    build_ids = {
        step_inputs.get("id") for step in RAW.get("build") or [] for step_inputs in step.values()
    }
    for step in RAW["pull"]:
        for inputs in step.values():
            for placeholder in find_placeholders(inputs):
                assert placeholder.name.split(".")[0] in build_ids, placeholder.full_match


def test_work_pool_is_a_process_pool_with_our_loggers_in_the_run_log() -> None:
    spec = load_deployment_spec()
    assert spec.work_pool == "laborwatch"
    assert spec.enforce_parameter_schema is True
    names = spec.env["PREFECT_LOGGING_EXTRA_LOGGERS"].split(",")
    assert set(names) == set(EXTRA_LOGGERS)


def test_spec_loader_refuses_a_schedule_without_timezone(tmp_path: Path) -> None:
    bad = dict(RAW)
    bad["deployments"] = [{**DEPLOYMENTS[0], "schedules": [{"cron": "0 7 * * *"}]}]
    path = tmp_path / "prefect.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(DeploymentSpecError, match="explicit timezone"):
        load_deployment_specs(path)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ({"cron": "0 7 * * *", "timezone": "Mars/Olympus_Mons"}, "Invalid timezone"),
        ({"cron": "0 25 * * *", "timezone": "UTC"}, "Invalid cron"),
    ],
)
def test_spec_loader_names_the_bad_schedule(
    tmp_path: Path, schedule: dict[str, str], message: str
) -> None:
    bad = dict(RAW)
    bad["deployments"] = [{**DEPLOYMENTS[0], "schedules": [schedule]}]
    path = tmp_path / "prefect.yaml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(DeploymentSpecError, match=message) as caught:
        load_deployment_specs(path)
    assert schedule["cron"] in str(caught.value)


def test_unknown_deployment_name_lists_the_known_ones() -> None:
    with pytest.raises(DeploymentSpecError, match="known: laborwatch"):
        load_deployment_spec("nightly")
