"""Commands that read: `extract` (no database), `history`, `developments`, `sources`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    err,
    load_cli_settings,
    open_store,
    out,
    print_developments,
)
from laborwatch.cli.errors import clean


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


def _history_to_dict(e: Any) -> dict[str, Any]:
    return {
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


def history(
    config: ConfigOption = None,
    db: DbOption = None,
    subject: Annotated[str | None, typer.Option(help="Only this subject.")] = None,
    metric: Annotated[str | None, typer.Option(help="Only this metric.")] = None,
    as_json: JsonOption = False,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            help="Draw the figure's history to FILE.svg or FILE.png (one subject and metric).",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Show the stored figure history, one row per known value."""
    from laborwatch.alerts.render import format_value

    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        err.print(f"[red]error:[/red] --chart {chart}: the file must end in .svg or .png")
        raise typer.Exit(2)
    settings = load_cli_settings(config, db)
    store = open_store(settings.database_url)
    try:
        entries = store.figure_history(subject=subject, metric=metric)
    finally:
        store.close()
    if chart is not None:
        _write_chart(entries, chart)
        return
    if as_json:
        print(json.dumps([_history_to_dict(e) for e in entries], indent=2, ensure_ascii=False))
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


def _write_chart(entries: list[Any], path: Path) -> None:
    """One figure's history drawn to `path`; several matching figures are listed instead."""
    from laborwatch.alerts.charts import chart_of, figure_keys, render_chart, text_chart

    keys = figure_keys(entries)
    if len(keys) != 1:
        shown = "\n".join(f"  --subject {s!r} --metric {m}  ({u})" for s, m, u in keys[:10])
        more = f"\n  … and {len(keys) - 10} more" if len(keys) > 10 else ""
        why = "no stored figure matches" if not keys else f"{len(keys)} figures match"
        err.print(
            f"[red]error:[/red] --chart draws one figure and {why}; narrow it down"
            + (f" with:\n{shown}{more}" if keys else " (see `laborwatch history`)"),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    figure = chart_of(entries, *keys[0])
    data = render_chart(figure, "png" if path.suffix.lower() == ".png" else "svg")
    try:
        path.write_bytes(data)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write {path}: {exc.strerror or exc}")
        raise typer.Exit(1) from None
    err.print(f"{figure.title} — {text_chart(figure)}", highlight=False, soft_wrap=True)
    err.print(f"wrote {path}", highlight=False, soft_wrap=True)


def _parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error:[/red] --since {value!r}: use a date like 2026-11-01")
        raise typer.Exit(2) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def developments(
    config: ConfigOption = None,
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Only since this date (ISO).")] = None,
    watch: Annotated[str | None, typer.Option(help="Only developments of this watch.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List stored developments, newest last."""
    from laborwatch.alerts.routing import matching_watches
    from laborwatch.pipeline.report import development_to_dict
    from laborwatch.pipeline.run import core_watches

    settings = load_cli_settings(config, db)
    store = open_store(settings.database_url)
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
        print_developments(devs)


def sources(config: ConfigOption = None, db: DbOption = None) -> None:
    """Show each source's fetch state and health (credentials in locations and errors masked)."""
    settings = load_cli_settings(config, db)
    store = open_store(settings.database_url)
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
            clean(row.label or row.key),
            s.last_fetched_at.strftime("%Y-%m-%d %H:%M") if s.last_fetched_at else "never",
            str(s.last_status or ""),
            f"{s.consecutive_failures} ({s.failure_score:.1f})",
            s.paused_until.strftime("%Y-%m-%d %H:%M") if s.paused_until else "",
            clean(s.last_error or ""),
        )
    out.print(table)
