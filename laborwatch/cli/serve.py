"""`laborwatch serve`: run the scheduled monitor deployment on this machine until stopped."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from laborwatch.cli.common import fail, warn


def serve(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Config file every run uses (default: $LABORWATCH_CONFIG or laborwatch.toml).",
        ),
    ] = None,
    cron: Annotated[
        str | None,
        typer.Option("--cron", help="Cron schedule, e.g. '0 6-22 * * *' (default: prefect.yaml)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="IANA timezone of the schedule, e.g. Europe/Berlin or UTC."
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Deployment name: runs are 'monitor/<name>'."),
    ] = None,
) -> None:
    """Serve the monitor deployment with its schedule; start runs from the Prefect UI too."""
    from laborwatch.deployments.serve import serve_monitor
    from laborwatch.deployments.spec import DeploymentSpecError
    from laborwatch.settings import SettingsError

    try:
        serve_monitor(
            name=name,
            cron=cron,
            timezone=timezone,
            config_path=config,
            warn=warn,
        )
    except (DeploymentSpecError, SettingsError) as exc:
        raise fail(str(exc)) from None
