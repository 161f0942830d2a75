"""`laborwatch run` (one monitoring pass) and `laborwatch init` (a starter config)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    SampleOption,
    err,
    fail,
    load_cli_settings,
)
from laborwatch.cli.errors import RUN_FAILED, clean, debug_enabled, known_secrets, one_line
from laborwatch.cli.output import print_problems, print_report
from laborwatch.cli.prefect_api import prefect_api_configured
from laborwatch.cli.progress import run_bar, wanted
from laborwatch.pipeline.options import RunOptions
from laborwatch.pipeline.report import RunReport, in_report
from laborwatch.redaction import credentials_of, redact_url
from laborwatch.settings import CONFIG_NAME, Settings

ShardOption = Annotated[
    str | None,
    typer.Option("--shard", help="Only shard K of N of the sources, e.g. 2/4.", metavar="K/N"),
]
FlowOption = Annotated[
    bool,
    typer.Option("--flow", help="Run as a Prefect flow run (default when PREFECT_API_URL is set)."),
]


def _run_options(
    source: list[str] | None,
    dry_run: bool,
    mode: str | None,
    min_change: float | None,
    shard: str | None,
) -> RunOptions:
    if mode not in (None, "digest", "each"):
        raise fail("--mode must be 'digest' or 'each'")
    try:
        return RunOptions(
            sources=source or None,
            dry_run=dry_run,
            alert_mode=mode,  # type: ignore[arg-type]
            min_relative_change=min_change,
            shard=shard,
        )
    except ValidationError as exc:
        raise fail("; ".join(_option_problem(e) for e in exc.errors())) from None


_OPTION_OF_FIELD = {
    "sources": "--source",
    "alert_mode": "--mode",
    "min_relative_change": "--min-change",
    "shard": "--shard",
}


def _option_problem(error: Any) -> str:
    """A validation error in the words of the command line: the option, what was given, why."""
    message = str(error["msg"]).removeprefix("Value error, ").replace("Input should", "should")
    field = str(error["loc"][0]) if error["loc"] else ""
    option = _OPTION_OF_FIELD.get(field)
    if option is None or option.lstrip("-") in message:
        return message
    return f"{option} {error['input']}: {message}"


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
    shard: ShardOption = None,
    as_flow: FlowOption = False,
) -> None:
    """Run one monitoring pass and print the developments it found."""
    options = _run_options(source, dry_run, mode, min_change, shard)
    settings = load_cli_settings(config, db, sample=sample)
    use_flow = as_flow or prefect_api_configured(os.environ)
    if use_flow:
        _check_flow_parameters(notify, db, source)
    if notify:
        settings.alerts.urls = list(notify)
    if not source and not any(s.enabled for s in settings.sources):
        raise fail("no sources configured: add [[sources]] to the config or pass --source")
    _say_where(settings, as_flow=use_flow)
    from laborwatch.pipeline.run import AllSourcesFailed

    try:
        if use_flow:
            report = _run_as_flow(settings, options)
        else:
            report = _run_here(settings, options, bar=wanted(as_json=as_json))
    except AllSourcesFailed as exc:
        _run_failed(exc)
        if as_json and exc.report is not None:  # stdout holds the report even then
            print(json.dumps(redacted_report(exc.report), indent=2, ensure_ascii=False))
        raise typer.Exit(RUN_FAILED) from None
    if as_json:
        print(json.dumps(redacted_report(report), indent=2, ensure_ascii=False))
        return
    print_report(report)
    print_problems(report)


def _check_flow_parameters(
    notify: list[str] | None, db: str | None, source: list[str] | None
) -> None:
    """A flow run's parameters are stored by Prefect and shown in its UI: no credential may
    travel in them. Those belong in the config or the environment, which the run reads."""
    if notify:
        raise fail(
            "--notify applies to in-process runs; for a flow run put the URLs in the config "
            "or LABORWATCH_NOTIFY_URLS"
        )
    if db and credentials_of(db):
        raise fail(
            "a flow run would store the password of --db with its parameters: put the URL in "
            "the config or LABORWATCH_DB_URL, or run without --flow"
        )
    if any(credentials_of(location) for location in source or ()):
        raise fail(
            "a flow run would store the credentials of --source with its parameters: put the "
            "source in the config, or run without --flow"
        )


def _flow_database_url(settings: Settings) -> str | None:
    """The database for the flow run's parameters: None when the URL holds credentials (they
    came from the config or the environment, which the flow reads again)."""
    return None if credentials_of(settings.database_url) else settings.database_url


def redacted_report(report: RunReport) -> dict[str, object]:
    """`run --json`: the report with the sources' names and errors redacted (a feed location
    may carry a password or a token); articles and developments are public text."""
    data = report.to_dict()
    for row in data["sources"]:
        row["source"] = clean(str(row["source"]))
    for error in data["errors"]:
        error["source"], error["message"] = clean(error["source"]), clean(error["message"])
    data["health"] = [clean(str(notice)) for notice in data["health"]]
    return data


def _say_where(settings: Settings, *, as_flow: bool) -> None:
    how = "as a Prefect flow run" if as_flow else "in-process"
    err.print(
        f"config: {settings.config_path or '(none)'} · "
        f"database: {redact_url(settings.database_url)} · {how}",
        highlight=False,
        soft_wrap=True,
    )


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes (a test runner swaps it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


_STDERR = _StderrHandler()
# Problems the report lists are printed with it, once (print_problems).
_STDERR.addFilter(lambda record: not in_report(record))
_STDERR.setLevel(logging.WARNING)  # an in-process run shows warnings, not progress
_STDERR.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))


def _log_to_stderr() -> None:
    """Our warnings on stderr, secrets masked, when no Prefect run logger is there to take them."""
    from laborwatch.log_redaction import hide_console_tracebacks, install_log_redaction

    logger = logging.getLogger("laborwatch")
    if _STDERR not in logger.handlers:
        logger.addHandler(_STDERR)
        logger.propagate = False
    install_log_redaction(known_secrets(), level=logging.WARNING)
    if not debug_enabled():
        hide_console_tracebacks()


def _run_here(settings: Settings, options: RunOptions, *, bar: bool = False) -> RunReport:
    from laborwatch.pipeline.run import AlertUrls, run_pass
    from laborwatch.pipeline.runner import LocalRunner

    _log_to_stderr()
    urls = AlertUrls(list(settings.alerts.urls))
    if settings.alerts.secret_block:
        from laborwatch.flows.monitor import alert_urls

        urls = alert_urls(settings)
    with LocalRunner() as runner, run_bar(bar) as progress:
        return run_pass(settings, options, runner, alert_urls=urls, progress=progress)


def _run_failed(exc: Exception) -> None:
    message = escape(clean(one_line(str(exc))))
    err.print(f"[red]run failed:[/red] {message}", highlight=False, soft_wrap=True)


def _run_as_flow(settings: Settings, options: RunOptions) -> RunReport:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect's 20 s for its temporary server is short on a busy machine; a timeout is still
    # one line (cli.errors), but a run that waits a little longer is better.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    from laborwatch.flows.monitor import monitor
    from laborwatch.log_redaction import hide_console_tracebacks, install_log_redaction

    install_log_redaction(known_secrets())
    if not debug_enabled():
        hide_console_tracebacks()  # Prefect logs a failed flow's traceback: one line is enough
    return monitor(
        sources=options.sources or [],
        dry_run=options.dry_run,
        alert_mode=options.alert_mode or "as configured",
        min_relative_change=options.min_relative_change,
        config_path=str(settings.config_path or ""),
        database_url=_flow_database_url(settings) or "",
        shard=options.shard,
    )


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
