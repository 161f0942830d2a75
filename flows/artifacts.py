"""The run's artifacts in the Prefect UI, all rendered from the run report: a markdown summary
(the counts of `RunCounts`), the developments as markdown (headline with its hedges, quote,
clickable source link; recorded-only ones with their reason), and for each changed figure a
history table and a chart under stable keys, so they update in place from run to run. The chart
is a markdown artifact with the PNG as a data URI: the UI shows it as a picture (an image
artifact would also print its whole data URI under it), with the text sparkline below.

Markdown, not table artifacts, for the developments: the UI renders markdown links as links and
wraps long quotes within the page, where a table cell shows a URL as text and runs off-screen.
Article titles, quotes and URLs come from the web: they are escaped and only http(s) URLs become
links (`alerts.render`), so an article cannot inject markup into the UI."""

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
    headline,
    hedged_value,
    metric_label,
    safe_link,
)
from laborwatch.domain import Development
from laborwatch.log_redaction import redaction_secrets
from laborwatch.pipeline.report import RunReport
from laborwatch.pipeline.report_text import (
    delivery_phrase,
    developments_phrase,
    recorded_headline,
)
from laborwatch.pipeline.timeline import development_when, history_when, in_history_order
from laborwatch.redaction import redact
from laborwatch.storage.store import Store

SUMMARY_KEY = "laborwatch-run-summary"
DEVELOPMENTS_KEY = "laborwatch-developments"
QUOTE_LIMIT = 400  # enough to read the sentence; the article is a click away
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
    """'$2 billion → about $700 million', or 'new: about 410' (hedges kept)."""
    new = hedged_value(dev.new_value, dev.unit, dev.text, dev.approx)
    if dev.old_value is None:
        return f"new: {new}"
    return f"{hedged_value(dev.old_value, dev.unit, dev.old_text, dev.old_approx)} → {new}"


def outcome_line(report: RunReport) -> str:
    if report.sources_total and report.sources_failed == report.sources_total:
        return "**Failed:** every source failed; see Errors."
    counts = report.counts()
    parts = [developments_phrase(counts), delivery_phrase(report)]
    if counts.sources_failed:
        parts.append(f"{counts.sources_failed} of {counts.sources} source(s) failed")
    return "; ".join(parts) + "."


def _counts_table(report: RunReport) -> list[str]:
    """The run's counts, one per row: narrow enough for the UI's artifact column."""
    c = report.counts()
    rows = [
        ("sources", f"{report.sources_done}/{c.sources} ({c.sources_failed} failed)"),
        ("new articles", f"{c.articles}"),
        ("figures", f"{c.figures}"),
        ("developments", f"{c.developments}"),
        ("alerted", f"{c.alerted}"),
        ("recorded only", f"{c.recorded_only}"),
        ("messages sent", f"{c.messages_sent}"),
        ("recipients reached", f"{c.recipients_reached} of {c.alert_targets}"),
        ("alerts pending", f"{c.alerts_pending}"),
        ("errors", f"{c.errors}"),
    ]
    return ["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]


def summary_markdown(report: RunReport) -> str:
    lines = [f"# laborwatch run `{report.run_label}`", "", outcome_line(report), ""]
    lines += _counts_table(report)
    lines += ["", "## Sources", "", "| source | status | articles | figures | errors |"]
    lines.append("|---|---|---|---|---|")
    for row in report.per_source:
        lines.append(
            f"| {_private(str(row['source']))} | {row['status']} | {row['articles']} | "
            f"{row['figures']} | {row['errors']} |"
        )
    lines += ["", "## Developments", ""]
    alerted = report.alerted_entries()
    if alerted:
        lines += ["| development | article |", "|---|---|"]
        for dev in alerted[:LISTED_DEVELOPMENTS]:
            lines.append(
                f"| {_cell(headline(dev))} | {_link(dev.article_title, dev.article_url)} |"
            )
        more = len(alerted) - LISTED_DEVELOPMENTS
        if more > 0:
            lines += ["", f"… and {more} more: {MORE_HINT}"]
    else:
        lines.append("No new developments to alert.")
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


def _development_block(number: int, dev: Development) -> list[str]:
    lines = [f"**{number}. {escape_markdown(headline(dev))}**", ""]
    if dev.also_in_article:
        lines += [f"Also in this article: {escape_markdown(', '.join(dev.also_in_article))}", ""]
    lines += [f"> {escape_markdown(_clip(dev.sentence, QUOTE_LIMIT))}", ""]
    source = _link(_clip(dev.article_title, 160), dev.article_url)
    moment = development_when(dev)
    if moment:
        source += f" · {escape_markdown(moment.text())}"
    if dev.watches:
        source += f" · watches: {escape_markdown(', '.join(dev.watches))}"
    return [*lines, source, ""]


def developments_markdown(report: RunReport, limit: int = LISTED_DEVELOPMENTS) -> str:
    """The alerted developments in full, then the recorded-only ones with their reason."""
    alerted, recorded = report.alerted_entries(), report.recorded_entries()
    lines = [f"# {escape_markdown(developments_phrase(report.counts()))}", ""]
    for number, dev in enumerate(alerted[:limit], start=1):
        lines += _development_block(number, dev)
    if len(alerted) > limit:
        lines += [f"… and {len(alerted) - limit} more: {MORE_HINT}", ""]
    if recorded:
        lines += ["## Recorded only (kept in the history, not alerted)", ""]
        lines += ["| development | why not alerted | article |", "|---|---|---|"]
        for dev in recorded[:limit]:
            lines.append(
                f"| {_cell(recorded_headline(dev))} | {_cell(dev.outcome)} | "
                f"{_link(_clip(dev.article_title, 80), dev.article_url)} |"
            )
        if len(recorded) > limit:
            lines += ["", f"… and {len(recorded) - limit} more: {MORE_HINT} --recorded"]
    return "\n".join(lines)


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
    """The figure's values in publish order (stored time, marked, when an article has none)."""
    rows = []
    for e in in_history_order(store.figure_history(subject=subject, metric=metric)):
        if e.unit != unit:
            continue
        moment = history_when(e)
        rows.append(
            {
                "published": moment.text() if moment else "",
                "value": hedged_value(e.value, e.unit, e.text, e.approx),
                "as written": e.text,
                "article": e.article_title,
                "link": e.article_url or "",
            }
        )
    return rows


def publish_artifacts(report: RunReport, store: Store) -> None:
    create_markdown_artifact(
        key=SUMMARY_KEY, markdown=summary_markdown(report), description=report.summary_line()
    )
    create_markdown_artifact(
        key=DEVELOPMENTS_KEY,
        markdown=developments_markdown(report),
        description=f"{developments_phrase(report.counts())} (run {report.run_label})",
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
