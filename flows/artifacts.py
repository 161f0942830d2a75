"""The run's artifacts in the Prefect UI: a markdown summary, a developments table, and for each
changed figure a history table and a chart under stable keys, so they update in place from run
to run. The chart is a markdown artifact with the PNG as a data URI: the UI shows it as a
picture (an image artifact would also print its whole data URI under it), with the text
sparkline below for a quick read and for copying.

Article titles, quotes and URLs come from the web: in markdown they are escaped and only http(s)
URLs become links (`alerts.render`), so an article cannot inject markup into the UI."""

from __future__ import annotations

import base64
import hashlib
import math
import re
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from laborwatch.alerts.charts import chart_of, render_chart, text_chart
from laborwatch.alerts.render import (
    escape_markdown,
    format_value,
    headline,
    metric_label,
    safe_link,
)
from laborwatch.domain import Development
from laborwatch.log_redaction import redaction_secrets
from laborwatch.pipeline.report import RunReport
from laborwatch.redaction import redact
from laborwatch.storage.store import Store

SUMMARY_KEY = "laborwatch-run-summary"
DEVELOPMENTS_KEY = "laborwatch-developments"
QUOTE_LIMIT = 240  # table cells: enough to recognise the sentence, short enough to scan
# A run of thousands of articles makes tens of thousands of developments; Prefect refuses
# artifact events of several MB, and nobody reads that far in the UI anyway. The CLI lists them.
LISTED_DEVELOPMENTS = 200
LISTED_ERRORS = 200
HISTORY_ARTIFACTS = 20  # the changed figures with the largest relative change
CHART_ARTIFACTS = 10  # of those, the ones drawn (a chart is ~30 kB of PNG in the database)
MORE_HINT = "`laborwatch developments`"


def _cell(text: str | None) -> str:
    """Markdown table cell: escaped, on one line."""
    return escape_markdown(" ".join((text or "").split()))


def _private(text: str | None) -> str:
    """A cell naming a source or an error: a feed location may carry a password or a token,
    and the artifact lives in Prefect's database. Masked by the one redaction, with the
    secrets the run's logging knows (its Apprise URLs)."""
    return _cell(redact(text or "", redaction_secrets()))


def _clip(text: str | None, limit: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _link(text: str, url: str | None) -> str:
    shown = _cell(text) or "(untitled)"
    link = safe_link(url)
    return f"[{shown}]({link.replace('(', '%28').replace(')', '%29')})" if link else shown


def change_text(dev: Development) -> str:
    """'$2 billion → $700 million', or 'new: $3.3 billion'."""
    new = format_value(dev.new_value, dev.unit)
    if dev.old_value is None:
        return f"new: {new}"
    return f"{format_value(dev.old_value, dev.unit)} → {new}"


def outcome_line(report: RunReport) -> str:
    if report.sources_total and report.sources_failed == report.sources_total:
        return "**Failed:** every source failed; see Errors."
    parts = [f"{len(report.developments)} development(s)"]
    if report.sources_failed:
        parts.append(f"{report.sources_failed} of {report.sources_total} source(s) failed")
    if report.alerts.get("failed", 0):
        parts.append(f"{report.alerts['failed']} alert(s) failed")
    if report.alerts.get("pending", 0):
        parts.append(f"{report.alerts['pending']} alert(s) pending")
    return "; ".join(parts) + "."


def summary_markdown(report: RunReport) -> str:
    alerts = report.alerts
    lines = [
        f"# laborwatch run `{report.run_label}`",
        "",
        outcome_line(report),
        "",
        "| sources | failed | new articles | figures | developments "
        "| alerts sent | alerts failed | alerts pending | errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {report.sources_done}/{report.sources_total} | {report.sources_failed} | "
        f"{report.articles} | {report.figures} | {len(report.developments)} | "
        f"{alerts.get('sent', 0)} | {alerts.get('failed', 0)} | {alerts.get('pending', 0)} | "
        f"{len(report.errors)} |",
        "",
        "## Sources",
        "",
        "| source | status | articles | figures | errors |",
        "|---|---|---|---|---|",
    ]
    for row in report.per_source:
        lines.append(
            f"| {_private(str(row['source']))} | {row['status']} | {row['articles']} | "
            f"{row['figures']} | {row['errors']} |"
        )
    lines += ["", "## Developments", ""]
    if report.developments:
        lines += ["| development | article |", "|---|---|"]
        for dev in report.developments[:LISTED_DEVELOPMENTS]:
            lines.append(
                f"| {_cell(headline(dev))} | {_link(dev.article_title, dev.article_url)} |"
            )
        more = len(report.developments) - LISTED_DEVELOPMENTS
        if more > 0:
            lines += ["", f"… and {more} more: {MORE_HINT}"]
    else:
        lines.append("No new developments.")
    if report.errors:
        lines += ["", "## Errors", ""]
        lines += [
            f"- `{e.kind}` {_private(e.source)}: {_private(e.message)}"
            for e in report.errors[:LISTED_ERRORS]
        ]
        more = len(report.errors) - LISTED_ERRORS
        if more > 0:
            lines.append(f"- … and {more} more errors: `laborwatch run --json` lists them all")
    return "\n".join(lines)


def developments_table(
    developments: list[Development], limit: int = LISTED_DEVELOPMENTS
) -> list[dict[str, str]]:
    """One row per development, the first `limit` of them and then a row saying how many more;
    the columns a reader scans come first, the quote last."""
    rows = [
        {
            "subject": d.subject,
            "metric": metric_label(d.metric),
            "change": change_text(d),
            "kind": d.kind,
            "article": d.article_title,
            "link": d.article_url or "",
            "quote": _clip(d.sentence, QUOTE_LIMIT),
        }
        for d in developments[:limit]
    ]
    more = len(developments) - limit
    if more > 0:
        rows.append(
            {"subject": f"… and {more} more", "metric": "", "change": MORE_HINT, "kind": ""}
            | {"article": "", "link": "", "quote": ""}
        )
    return rows


def largest_changes(
    developments: list[Development], limit: int = HISTORY_ARTIFACTS
) -> list[tuple[str, str, str]]:
    """The (subject, metric, unit) keys of the `limit` changed figures that moved the most,
    relative to their previous value (a change from 0 counts as the largest)."""
    moved: dict[tuple[str, str, str], float] = {}
    for dev in developments:
        if dev.kind != "changed":
            continue
        relative = dev.relative_change
        size = math.inf if relative is None else abs(relative)
        key = (dev.subject, dev.metric, dev.unit)
        moved[key] = max(size, moved.get(key, 0.0))
    return sorted(moved, key=lambda key: (-moved[key], key))[:limit]


def history_key(subject: str, metric: str, unit: str) -> str:
    """Stable per (subject, metric, unit): each run that changes the figure adds a version of
    the same artifact instead of a new one. Keys allow lowercase letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{subject}-{metric}".lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(f"{subject}|{metric}|{unit}".encode()).hexdigest()[:8]
    return f"history-{slug}-{digest}"


def chart_key(subject: str, metric: str, unit: str) -> str:
    return "chart-" + history_key(subject, metric, unit).removeprefix("history-")


def chart_markdown(store: Store, subject: str, metric: str, unit: str) -> tuple[str, str]:
    """(markdown, description) of one figure's chart: the PNG inline, the sparkline below."""
    chart = chart_of(store.figure_history(subject=subject, metric=metric), subject, metric, unit)
    png = base64.b64encode(render_chart(chart, "png", width=6.4, height=3.2)).decode("ascii")
    spark = text_chart(chart)
    markdown = "\n".join(
        [
            f"## {escape_markdown(chart.title)} ({unit})",
            "",
            f"![history chart](data:image/png;base64,{png})",
            "",
            f"`{spark}`" if spark else "",
            "",
            "Filled: as reported; hollow: a hedged value (about, more than …); one colour per "
            "source. Table: the `history-…` artifact of the same figure.",
        ]
    )
    return markdown, f"{chart.title} ({unit}): {spark}"


def history_rows(store: Store, subject: str, metric: str, unit: str) -> list[dict[str, Any]]:
    return [
        {
            "value": format_value(e.value, e.unit),
            "as written": e.text,
            "first seen": e.first_seen.isoformat(timespec="minutes"),
            "article": e.article_title,
            "link": e.article_url or "",
        }
        for e in store.figure_history(subject=subject, metric=metric)
        if e.unit == unit
    ]


def publish_artifacts(report: RunReport, store: Store) -> None:
    create_markdown_artifact(
        key=SUMMARY_KEY,
        markdown=summary_markdown(report),
        description=report.summary_line(),
    )
    create_table_artifact(
        key=DEVELOPMENTS_KEY,
        table=developments_table(report.developments)
        or [{"subject": "", "metric": "", "change": "no new developments"}],
        description=f"{len(report.developments)} development(s) found in run {report.run_label}",
    )
    for subject, metric, unit in largest_changes(report.developments):
        create_table_artifact(
            key=history_key(subject, metric, unit),
            table=history_rows(store, subject, metric, unit),
            description=f"History of {metric_label(metric).lower()} for {subject} ({unit})",
        )
    for subject, metric, unit in largest_changes(report.developments, CHART_ARTIFACTS):
        markdown, description = chart_markdown(store, subject, metric, unit)
        create_markdown_artifact(
            key=chart_key(subject, metric, unit), markdown=markdown, description=description
        )
