"""The `laborwatch` command line: run the monitor, extract figures, read the history."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from laborwatch.serve_cli import serve
from laborwatch.settings import SettingsError, load_settings

# Before Prefect is imported anywhere: no telemetry from an offline machine, and our own modules'
# logs in the run's log view.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "laborwatch,parsers,storage,alerts,ingest")

app = typer.Typer(
    help="Watch news for labor and layoff developments; alert on new or changed figures.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="Config file (default: laborwatch.toml).")
]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL of the database.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only on stdout.")]


def _quiet_prefect_for_json() -> None:
    # stdout must hold only the JSON document; Prefect logs go to stderr, but keep them short.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _settings(config: Path | None, db: str | None) -> Any:
    try:
        settings = load_settings(config)
    except SettingsError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if db:
        settings.database_url = db
    return settings


def _open_store(url: str) -> Any:
    from laborwatch.storage.store import Store

    return Store.open(url)


@app.command()
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
) -> None:
    """Run the monitor flow once and print the developments it found."""
    if as_json:
        _quiet_prefect_for_json()
    if mode not in (None, "digest", "each"):
        err.print("[red]error:[/red] --mode must be 'digest' or 'each'")
        raise typer.Exit(2)
    if config:
        os.environ["LABORWATCH_CONFIG"] = str(config.resolve())
    if notify:
        os.environ["LABORWATCH_NOTIFY_URLS"] = " ".join(notify)
    _settings(config, db)  # fail fast, with a readable message, on a bad config

    from pydantic import ValidationError

    from laborwatch.flows.monitor import AllSourcesFailed, MonitorOptions, monitor

    try:
        options = MonitorOptions(
            sources=source or None,
            dry_run=dry_run,
            alert_mode=mode,  # type: ignore[arg-type]
            min_relative_change=min_change,
            config_path=str(config.resolve()) if config else None,
            database_url=db,
        )
    except ValidationError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    try:
        report = monitor(
            sources=options.sources or [],
            dry_run=options.dry_run,
            alert_mode=options.alert_mode or "as configured",
            min_relative_change=options.min_relative_change,
            config_path=options.config_path,
            database_url=options.database_url,
        )
    except AllSourcesFailed as exc:
        if as_json:
            print(json.dumps({"developments": [], "alerts": {}, "errors": [str(exc)]}))
        err.print(f"[red]run failed:[/red] {exc}")
        raise typer.Exit(1) from None
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_developments(report.developments)
    for error in report.errors:
        err.print(f"[yellow]warning:[/yellow] {error.source}: {error.message}")
    err.print(report.summary_line(), soft_wrap=True)


def _print_developments(developments: list[Any]) -> None:
    from laborwatch.alerts.render import group_same_article, headline

    if not developments:
        out.print("No new developments.")
        return
    out.print(f"[bold]{len(developments)} development(s)[/bold]\n")
    for dev in group_same_article(developments):
        out.print(f"[bold]• {headline(dev)}[/bold]", highlight=False)
        if dev.also_in_article:
            out.print(f"  also in this article: {', '.join(dev.also_in_article)}", highlight=False)
        out.print(f"  “{dev.sentence}”", highlight=False, soft_wrap=True)
        where = (
            dev.article_title
            + (" (updated story)" if dev.story_updated else "")
            + (f" <{dev.article_url}>" if dev.article_url else "")
        )
        out.print(f"  source: {where}", highlight=False, soft_wrap=True)
        if dev.also_reported_by:
            out.print(f"  also reported by: {', '.join(dev.also_reported_by)}", highlight=False)
        out.print()


def _figure_to_dict(figure: Any) -> dict[str, Any]:
    return {
        "text": figure.text,
        "value": figure.value,
        "unit": figure.unit,
        "metric": figure.metric,
        "approx": figure.approx,
        "subject": figure.subject,
        "sentence": figure.sentence,
        "start": figure.start,
        "end": figure.end,
    }


def _expand_inputs(paths: list[str]) -> list[str]:
    expanded: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            expanded += sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in {".txt", ".md", ".markdown", ".html", ".htm"}
            )
        else:
            expanded.append(raw)
    return expanded


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders; '-' for stdin.")],
    as_json: JsonOption = False,
) -> None:
    """Extract figures from articles (no database): what the monitor would see."""
    from laborwatch.parsers.analyze import analyze_article
    from laborwatch.parsers.article_files import read_article_file

    results: list[dict[str, Any]] = []
    failed = False
    for raw in _expand_inputs(paths):
        try:
            if raw == "-":
                text = sys.stdin.read()
                title, body = "", text
            else:
                article = read_article_file(Path(raw), source=raw)
                title, body = article.title, article.text
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            err.print(f"[red]error:[/red] {raw}: {exc}")
            failed = True
            continue
        analysis = analyze_article(title, body)
        results.append(
            {
                "path": raw,
                "labor_relevant": analysis.labor_relevant,
                "figures": [_figure_to_dict(f) for f in analysis.figures],
            }
        )
    if as_json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for result in results:
            table = Table(title=f"{result['path']} (labor relevant: {result['labor_relevant']})")
            for column in ("text", "value", "unit", "metric", "approx", "subject"):
                table.add_column(column)
            for f in result["figures"]:
                table.add_row(
                    f["text"],
                    f"{f['value']:g}",
                    f["unit"],
                    f["metric"],
                    str(f["approx"]),
                    f["subject"],
                )
            out.print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def history(
    config: ConfigOption = None,
    db: DbOption = None,
    subject: Annotated[str | None, typer.Option(help="Only this subject.")] = None,
    metric: Annotated[str | None, typer.Option(help="Only this metric.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the stored figure history, one row per known value."""
    from laborwatch.alerts.render import format_value

    settings = _settings(config, db)
    store = _open_store(settings.database_url)
    try:
        entries = store.figure_history(subject=subject, metric=metric)
    finally:
        store.close()
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "subject": e.subject,
                        "metric": e.metric,
                        "unit": e.unit,
                        "value": e.value,
                        "text": e.text,
                        "approx": e.approx,
                        "article_title": e.article_title,
                        "article_url": e.article_url,
                        "first_seen": e.first_seen.isoformat(),
                    }
                    for e in entries
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table(title="Figure history")
    for column in ("subject", "metric", "value", "as written", "first seen", "article"):
        table.add_column(column)
    for e in entries:
        table.add_row(
            e.subject,
            e.metric,
            format_value(e.value, e.unit),
            e.text,
            e.first_seen.strftime("%Y-%m-%d %H:%M"),
            e.article_title,
        )
    out.print(table)


def _parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error:[/red] --since {value!r}: use a date like 2026-11-01")
        raise typer.Exit(2) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def developments(
    config: ConfigOption = None,
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Only since this date (ISO).")] = None,
    watch: Annotated[str | None, typer.Option(help="Only developments of this watch.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored developments, newest last."""
    from laborwatch.alerts.routing import matching_watches
    from laborwatch.flows.monitor import core_watches
    from laborwatch.flows.report import development_to_dict

    settings = _settings(config, db)
    store = _open_store(settings.database_url)
    try:
        devs = store.list_developments(since=_parse_since(since))
    finally:
        store.close()
    if watch:
        watches = [w for w in core_watches(settings) if w.name == watch]
        if not watches:
            err.print(f"[red]error:[/red] no watch named {watch!r} in the configuration")
            raise typer.Exit(2)
        devs = [
            d
            for d in devs
            if matching_watches(watches, title=d.article_title, text=d.sentence, subject=d.subject)
        ]
    if as_json:
        print(json.dumps([development_to_dict(d) for d in devs], indent=2, ensure_ascii=False))
    else:
        _print_developments(devs)


@app.command()
def alerts(
    config: ConfigOption = None,
    db: DbOption = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only alerts not yet sent.")] = False,
    retry: Annotated[bool, typer.Option("--retry", help="Send pending alerts now.")] = False,
) -> None:
    """Show the alert outbox; --retry sends what is pending."""
    from laborwatch.alerts.render import headline
    from laborwatch.alerts.targets import TargetError, load_targets
    from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls
    from laborwatch.flows.steps import deliver_outbox

    settings = _settings(config, db)
    store = _open_store(settings.database_url)
    try:
        if retry:
            try:
                urls = configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block)
                targets = load_targets(urls, settings.alerts.config)
            except (TargetError, SecretBlockError) as exc:
                err.print(f"[red]error:[/red] {exc}")
                raise typer.Exit(2) from None
            label = f"retry-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            counts, errors = deliver_outbox(
                store, targets, mode=settings.alerts.mode, run_label=label, claimant=label
            )
            for error in errors:
                err.print(f"[yellow]warning:[/yellow] {error.message}")
            err.print(f"alerts: {counts}")
        items = store.list_alerts(pending_only=pending)
        table = Table(title="Alert outbox")
        for column in ("id", "target", "attempts", "headline", "last error"):
            table.add_column(column)
        for item in items:
            table.add_row(
                str(item.id),
                item.target_key,
                str(item.attempts),
                headline(item.development),
                item.last_error or "",
            )
        out.print(table)
    finally:
        store.close()


@app.command("test-notify")
def test_notify(
    config: ConfigOption = None,
    notify: Annotated[
        list[str] | None, typer.Option("--notify", "-n", help="Apprise URL (repeatable).")
    ] = None,
) -> None:
    """Send a sample alert to the configured URLs to check the set-up."""
    from laborwatch.alerts.send import send_developments
    from laborwatch.alerts.targets import TargetError, load_targets
    from laborwatch.flows.secrets import SecretBlockError, configured_apprise_urls
    from laborwatch.domain import Development

    settings = _settings(config, None)
    try:
        targets = (
            load_targets(notify)
            if notify
            else load_targets(
                configured_apprise_urls(settings.alerts.urls, settings.alerts.secret_block),
                settings.alerts.config,
            )
        )
    except (TargetError, SecretBlockError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if not targets:
        err.print("[red]error:[/red] no Apprise URL configured ([alerts] urls or --notify)")
        raise typer.Exit(2)
    sample = Development(
        kind="changed",
        subject="Example County employees",
        metric="layoff_notices",
        unit="people",
        new_value=5000,
        approx=True,
        text="nearly 5,000 layoff notices",
        sentence="This is a laborwatch test alert: the county sent nearly 5,000 layoff notices.",
        article_title="laborwatch test alert",
        article_url="https://example.org/laborwatch-test",
        published=datetime.now(UTC),
        source="test-notify",
        old_value=4000,
        old_text="more than 4,000",
        old_approx=True,
    )
    failed = 0
    for target in targets:
        outcome = send_developments(target, [sample], run_label="laborwatch test alert")
        if outcome.ok:
            out.print(f"[green]sent[/green] {target.label}")
        else:
            failed += 1
            out.print(f"[red]failed[/red] {target.label}: {outcome.error}")
    if failed:
        raise typer.Exit(1)


@app.command()
def sources(config: ConfigOption = None, db: DbOption = None) -> None:
    """Show each source's fetch state and health."""
    settings = _settings(config, db)
    store = _open_store(settings.database_url)
    try:
        rows = store.list_sources()
    finally:
        store.close()
    table = Table(title="Sources")
    for column in ("source", "last fetched", "status", "failures", "paused until", "last error"):
        table.add_column(column)
    for row in rows:
        s = row.state
        table.add_row(
            row.label or row.key,
            s.last_fetched_at.strftime("%Y-%m-%d %H:%M") if s.last_fetched_at else "never",
            str(s.last_status or ""),
            f"{s.consecutive_failures} ({s.failure_score:.1f})",
            s.paused_until.strftime("%Y-%m-%d %H:%M") if s.paused_until else "",
            s.last_error or "",
        )
    out.print(table)


@app.command()
def reextract(
    config: ConfigOption = None,
    db: DbOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Store the new figures (default: only report).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Extract the stored articles again from their stored raw text (no fetching). The figure
    history and past alerts are not rewritten."""
    from laborwatch.flows.monitor import subject_aliases
    from laborwatch.reextract import reextract_articles

    settings = _settings(config, db)
    store = _open_store(settings.database_url)
    try:
        seen, changes = reextract_articles(store, aliases=subject_aliases(settings), apply=apply)
    finally:
        store.close()
    if as_json:
        print(
            json.dumps(
                {
                    "articles": seen,
                    "changed": [
                        {
                            "article_id": c.article_id,
                            "title": c.title,
                            "before": c.before,
                            "after": c.after,
                            "added": [list(f) for f in c.added],
                            "removed": [list(f) for f in c.removed],
                        }
                        for c in changes
                    ],
                    "applied": apply,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for change in changes:
        out.print(
            f"{change.title[:90]}: {change.before} → {change.after} figures "
            f"(+{len(change.added)} −{len(change.removed)})",
            highlight=False,
        )
    verb = "updated" if apply else "would change (use --apply to store)"
    out.print(f"{seen} article(s) read; {len(changes)} {verb}")


app.command()(serve)

if __name__ == "__main__":
    app()
