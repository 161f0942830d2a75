"""Commands that read the database: `history`, `developments`, `sources`. Subjects are looked
up ignoring case, with a "did you mean" when nothing matches; dates are publish dates."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from laborwatch.cli.charts import write_chart
from laborwatch.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    SampleOption,
    err,
    load_cli_settings,
    open_store,
    out,
)
from laborwatch.cli.errors import clean

SubjectOption = Annotated[
    str | None, typer.Option("--subject", help="Only this subject (any case).", show_default=False)
]
MetricOption = Annotated[
    str | None,
    typer.Option("--metric", help="Only this metric, e.g. layoffs.", show_default=False),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", help="Only published since this date, e.g. 2026-11-01.", show_default=False
    ),
]


def _fail(message: str) -> typer.Exit:
    err.print(f"error: {message}", highlight=False, markup=False, soft_wrap=True)
    return typer.Exit(2)


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(f"--since {value!r}: use a date like 2026-11-01") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_metric(metric: str | None) -> None:
    from laborwatch.domain import METRICS

    if metric is not None and metric not in METRICS:
        raise _fail(f"--metric {metric!r}: one of {', '.join(METRICS)}")


def subjects_matching(wanted: str | None, known: Iterable[str]) -> set[str] | None:
    """The stored subjects `--subject` means (None: no filter). Nothing matching is an error
    that names the closest subject."""
    from laborwatch.pipeline.timeline import match_subject

    if wanted is None:
        return None
    known = list(known)
    found = match_subject(wanted, known)
    if found.subjects:
        return set(found.subjects)
    hint = f"; did you mean {found.suggestion!r}?" if found.suggestion else ""
    if not known:
        hint = " (the database has no figures yet)"
    err.print(f"error: no subject {wanted!r} in the database{hint}", highlight=False, markup=False)
    raise typer.Exit(1)


def _history_dict(entry: Any) -> dict[str, Any]:
    from laborwatch.pipeline.timeline import history_when

    moment = history_when(entry)
    return {
        "subject": entry.subject,
        "metric": entry.metric,
        "unit": entry.unit,
        "value": entry.value,
        "text": entry.text,
        "approx": entry.approx,
        "article_title": entry.article_title,
        "article_url": entry.article_url,
        "published": entry.published.isoformat() if entry.published else None,
        "first_seen": entry.first_seen.isoformat(),
        "date": moment.at.isoformat() if moment else None,
        "date_is_published": bool(moment and moment.published),
    }


def history(
    config: ConfigOption = None,
    db: DbOption = None,
    sample: SampleOption = False,
    subject: SubjectOption = None,
    metric: MetricOption = None,
    since: SinceOption = None,
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
    """Show the stored figure history, one row per known value, in publish order."""
    from laborwatch.alerts.render import hedged_value
    from laborwatch.pipeline.timeline import history_when, in_history_order

    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise _fail(f"--chart {chart}: the file must end in .svg or .png")
    check_metric(metric)
    after = parse_since(since)
    settings = load_cli_settings(config, db, sample=sample)
    store = open_store(settings.database_url)
    try:
        entries = store.figure_history(metric=metric)
    finally:
        store.close()
    wanted = subjects_matching(subject, (e.subject for e in entries))
    entries = [
        e
        for e in in_history_order(entries)
        if (wanted is None or e.subject in wanted)
        and (after is None or ((w := history_when(e)) is not None and w.at >= after))
    ]
    if chart is not None:
        write_chart(entries, chart)
        return
    if as_json:
        print(json.dumps([_history_dict(e) for e in entries], indent=2, ensure_ascii=False))
        return
    table = Table(title="Figure history (by publish date)")
    for column in ("subject", "metric", "value", "as written"):
        table.add_column(column)
    table.add_column("published", no_wrap=True)
    table.add_column("article")
    for e in entries:
        moment = history_when(e)
        table.add_row(
            e.subject,
            e.metric,
            hedged_value(e.value, e.unit, e.text, e.approx),
            e.text,
            moment.text() if moment else "",
            e.article_title,
        )
    out.print(table)


def developments(
    config: ConfigOption = None,
    db: DbOption = None,
    sample: SampleOption = False,
    since: SinceOption = None,
    subject: SubjectOption = None,
    metric: MetricOption = None,
    watch: Annotated[
        str | None, typer.Option("--watch", help="Only this watch's.", show_default=False)
    ] = None,
    recorded: Annotated[
        bool, typer.Option("--recorded", help="List every recorded-only development.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List stored developments in publish order: the alerted ones, then those only recorded,
    with the reason."""
    from laborwatch.cli.output import print_report
    from laborwatch.pipeline.report import RunReport
    from laborwatch.pipeline.timeline import development_when, in_publish_order
    from laborwatch.storage.outcomes import corroborated_by

    check_metric(metric)
    after = parse_since(since)
    settings = load_cli_settings(config, db, sample=sample)
    store = open_store(settings.database_url)
    try:
        devs = store.list_developments() + corroborated_by(store, None)
    finally:
        store.close()
    wanted = subjects_matching(subject, (d.subject for d in devs))
    devs = [
        d
        for d in in_publish_order(devs)
        if (wanted is None or d.subject in wanted)
        and (metric is None or d.metric == metric)
        and (after is None or ((w := development_when(d)) is not None and w.at >= after))
    ]
    if watch:
        devs = _of_watch(settings, watch, devs)
    report = RunReport.of_stored("stored", devs)
    if as_json:
        # One list: the alerted entries, then the recorded-only ones, each with its outcome.
        body = report.to_dict()
        listed = body["developments"] + body["recorded_only"]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
    else:
        print_report(report, recorded_shown=None if recorded else 20)


def _of_watch(settings: Any, watch: str, devs: list[Any]) -> list[Any]:
    from laborwatch.alerts.routing import matching_watches
    from laborwatch.pipeline.run import core_watches

    watches = [w for w in core_watches(settings) if w.name.casefold() == watch.casefold()]
    if not watches:
        names = ", ".join(w.name for w in settings.watches) or "none configured"
        raise _fail(f"no watch named {watch!r} in the configuration (watches: {names})")
    return [
        d
        for d in devs
        if watch.casefold() in (name.casefold() for name in d.watches)
        or matching_watches(watches, title=d.article_title, text=d.sentence, subject=d.subject)
    ]


def sources(config: ConfigOption = None, db: DbOption = None, sample: SampleOption = False) -> None:
    """Show each source's fetch state and health (credentials in locations and errors masked)."""
    settings = load_cli_settings(config, db, sample=sample)
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
