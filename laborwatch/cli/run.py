"""`laborwatch run` (one monitoring pass) and `laborwatch init` (a starter config)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    SampleOption,
    err,
    fail,
    load_cli_settings,
)
from laborwatch.cli.output import print_problems, print_report
from laborwatch.cli.prefect_api import prefect_api_configured
from laborwatch.pipeline.options import RunOptions
from laborwatch.pipeline.report import RunReport
from laborwatch.settings import CONFIG_NAME, Settings


def run(
    config: ConfigOption = None,
    db: DbOption = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Feed URL/path, article file or folder (repeatable)."),
    ] = None,
    notify: Annotated[
        list[str] | None,
        typer.Option("--notify", "-n", help="Apprise URL to alert (repeatable; replaces config)."),
    ] = None,
    as_json: JsonOption = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Detect, send nothing.")] = False,
    mode: Annotated[str | None, typer.Option("--mode", help="Alert mode: digest or each.")] = None,
    min_change: Annotated[
        float | None, typer.Option("--min-change", help="Minimum relative change, e.g. 0.05.")
    ] = None,
    sample: SampleOption = False,
    as_flow: Annotated[
        bool,
        typer.Option(
            "--flow", help="Run as a Prefect flow run (default when PREFECT_API_URL is set)."
        ),
    ] = False,
) -> None:
    """Run one monitoring pass and print the developments it found."""
    if mode not in (None, "digest", "each"):
        raise fail("--mode must be 'digest' or 'each'")
    settings = load_cli_settings(config, db, sample=sample)
    try:
        options = RunOptions(
            sources=source or None,
            dry_run=dry_run,
            alert_mode=mode,  # type: ignore[arg-type]
            min_relative_change=min_change,
        )
    except ValidationError as exc:
        raise fail("; ".join(e["msg"] for e in exc.errors())) from None
    use_flow = as_flow or prefect_api_configured(os.environ)
    if use_flow and notify:
        raise fail(
            "--notify applies to in-process runs; for a flow run put the URLs in the config "
            "or LABORWATCH_NOTIFY_URLS"
        )
    if notify:
        settings.alerts.urls = list(notify)
    _say_where(settings, as_flow=use_flow)
    report = _run_as_flow(settings, options) if use_flow else _run_here(settings, options)
    if report is None:
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    print_report(report)
    print_problems(report)


def _say_where(settings: Settings, *, as_flow: bool) -> None:
    from laborwatch.alerts.redact import redact

    how = "as a Prefect flow run" if as_flow else "in-process"
    err.print(
        f"config: {settings.config_path} · database: {redact(settings.database_url)} · {how}",
        highlight=False,
        soft_wrap=True,
    )


def _log_to_stderr() -> None:
    """Our warnings on stderr, secrets masked, when no Prefect run logger is there to take them."""
    from laborwatch.log_redaction import install_log_redaction

    logger = logging.getLogger("laborwatch")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    install_log_redaction(level=logging.WARNING)


def _run_here(settings: Settings, options: RunOptions) -> RunReport | None:
    from laborwatch.pipeline.run import AlertUrls, AllSourcesFailed, run_pass
    from laborwatch.pipeline.runner import LocalRunner

    _log_to_stderr()
    urls = AlertUrls(list(settings.alerts.urls))
    if settings.alerts.secret_block:
        from laborwatch.flows.monitor import alert_urls

        urls = alert_urls(settings)
    try:
        with LocalRunner() as runner:
            return run_pass(settings, options, runner, alert_urls=urls)
    except (AllSourcesFailed, ValueError) as exc:
        err.print(f"[red]run failed:[/red] {exc}", highlight=False, soft_wrap=True)
        return None


def _run_as_flow(settings: Settings, options: RunOptions) -> RunReport | None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from laborwatch.flows.monitor import monitor
    from laborwatch.pipeline.run import AllSourcesFailed

    try:
        return monitor(
            sources=options.sources or [],
            dry_run=options.dry_run,
            alert_mode=options.alert_mode or "as configured",
            min_relative_change=options.min_relative_change,
            config_path=str(settings.config_path or ""),
            database_url=settings.database_url or "",
        )
    except (AllSourcesFailed, ValueError) as exc:
        err.print(f"[red]run failed:[/red] {exc}", highlight=False, soft_wrap=True)
        return None


STARTER = """# laborwatch configuration (written by `laborwatch init`).
# Relative paths are relative to this file. Environment overrides: LABORWATCH_DB_URL,
# LABORWATCH_NOTIFY_URLS (space or comma separated Apprise URLs), LABORWATCH_APPRISE_CONFIG,
# LABORWATCH_OPERATORS_URLS.

[database]
# Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host:5432/laborwatch
url = "sqlite:///var/laborwatch.db"

# Sources: feed URLs or files, article files, or folders of articles (.txt, .md, .html).
# [[sources]]
# name = "Reuters business"
# location = "https://example.org/business/rss.xml"

[alerts]
# Apprise URLs, e.g. slack://TokenA/TokenB/TokenC/#channel or
# mailtos://user:password@example.org?to=desk@example.org
urls = []
# "digest": one message per recipient per run; "each": one per development
mode = "digest"
min_relative_change = 0.0   # e.g. 0.05 ignores changes smaller than 5%

# Watches: named topics. With none, every labor development alerts.
# [[watches]]
# name = "Auto plants"
# include = ["plant", "assembly", "UAW"]
# exclude = ["power plant"]
# tags = ["autos"]           # Apprise tags this watch alerts
"""


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.")] = Path(CONFIG_NAME),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter config (./laborwatch.toml)."""
    target = path.expanduser()
    if target.exists() and not force:
        raise fail(f"{target} exists already (use --force to overwrite)")
    try:
        target.write_text(STARTER, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    err.print(
        f"wrote {target.resolve()}: add [[sources]] and alert URLs, then `laborwatch run`",
        highlight=False,
        markup=False,  # "[[sources]]" is text, not Rich markup
        soft_wrap=True,
    )
