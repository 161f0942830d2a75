"""`laborwatch serve` options on top of prefect.yaml: what is served, and what is refused
before anything starts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from laborwatch.cli.serve import serve
from laborwatch.deployments.serve import run_environment, served_spec
from laborwatch.deployments.spec import DeploymentSpecError, load_deployment_spec
from laborwatch.log_redaction import EXTRA_LOGGERS


def test_without_options_the_file_is_served_as_written() -> None:
    # Served deployments have no work pool: the serving process runs them itself.
    assert served_spec() == replace(load_deployment_spec(), work_pool=None)


def test_a_cron_alone_keeps_the_files_timezone_and_the_other_way_round() -> None:
    by_cron = served_spec(cron="30 7 * * 1-5")
    assert [(s.cron, s.timezone) for s in by_cron.schedules] == [
        ("30 7 * * 1-5", "America/New_York")
    ]
    by_zone = served_spec(timezone="Europe/Berlin")
    assert [(s.cron, s.timezone) for s in by_zone.schedules] == [("0 6-22 * * *", "Europe/Berlin")]


def test_name_and_config_become_the_deployment_name_and_an_absolute_config_parameter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = served_spec(name="nightly", config_path="site.toml")
    assert spec.name == "nightly"
    assert spec.parameters["config_path"] == str(tmp_path / "site.toml")
    assert spec.parameters["dry_run"] is False  # the file's defaults stay


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cron": "61 * * * *"}, "Invalid cron"),
        ({"timezone": "Atlantis/Capital"}, "Invalid timezone"),
    ],
)
def test_bad_schedule_options_are_refused(options: dict[str, str], message: str) -> None:
    with pytest.raises(DeploymentSpecError, match=message):
        served_spec(**options)


def test_run_environment_adds_our_loggers_and_keeps_the_users_settings() -> None:
    spec = served_spec()
    fresh = run_environment(spec, {})
    assert fresh["PREFECT_LOGGING_EXTRA_LOGGERS"].split(",") == list(EXTRA_LOGGERS)
    mine = run_environment(spec, {"PREFECT_LOGGING_EXTRA_LOGGERS": "sqlalchemy.engine"})
    assert mine["PREFECT_LOGGING_EXTRA_LOGGERS"].split(",") == ["sqlalchemy.engine", *EXTRA_LOGGERS]


def _cli() -> typer.Typer:
    # The same registration the lead adds to laborwatch/cli.py.
    app = typer.Typer()
    app.command()(serve)
    app.command(name="noop", hidden=True)(lambda: None)  # two commands: `serve` is a subcommand
    return app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Atlantis/Capital"], "Invalid timezone"),
        (["--cron", "every day"], "Invalid cron"),
        (["--config", "/nonexistent/laborwatch.toml"], "does not exist"),
    ],
)
def test_serve_command_refuses_bad_options_with_a_readable_message(
    args: list[str], message: str
) -> None:
    result = CliRunner().invoke(_cli(), ["serve", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
