"""The run report as text for people: the development listing the CLI prints. The count
phrases and the summary line live with the report (`pipeline.report`) and are re-exported here;
everything is read from the report and its `RunCounts`, so no output can disagree."""

from __future__ import annotations

from collections.abc import Iterator

from laborwatch.alerts.render import headline, hedged_value, metric_label
from laborwatch.domain import CORROBORATION, Development
from laborwatch.pipeline.report import (
    RunReport,
    delivery_phrase,
    developments_phrase,
    plural,
    reasons_text,
    summary_line,
)

__all__ = [
    "delivery_phrase",
    "developments_phrase",
    "plural",
    "reasons_text",
    "report_lines",
    "summary_line",
]

RECORDED_SHOWN = 20  # recorded-only lines printed after a run; `developments` lists them all


def source_line(dev: Development) -> str:
    """'Title (published 2024-05-14) <url>', the date marked when it is only the ingestion's."""
    where = dev.article_title or "(untitled article)"
    if dev.story_updated:
        where += " (updated story)"
    when = timeline_date(dev)
    if when:
        where += f" ({when})"
    if dev.article_url:
        where += f" <{dev.article_url}>"
    return where


def timeline_date(dev: Development) -> str:
    if dev.published is not None:
        return f"published {dev.published:%Y-%m-%d}"
    if dev.detected_at is not None:
        return f"no publish date; stored {dev.detected_at:%Y-%m-%d}"
    return ""


def development_lines(dev: Development) -> Iterator[str]:
    """One development as printed: headline, folded values, quote, source, corroboration."""
    yield f"• {headline(dev)}"
    if dev.also_in_article:
        yield f"  also in this article: {', '.join(dev.also_in_article)}"
    yield f"  “{dev.sentence}”"
    yield f"  source: {source_line(dev)}"
    if dev.also_reported_by:
        yield f"  also reported by: {', '.join(dev.also_reported_by)}"


def _clipped(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def recorded_headline(dev: Development) -> str:
    """The headline of a recorded-only entry; a corroboration shows the known value as such."""
    if dev.outcome != CORROBORATION:
        return headline(dev)
    value = hedged_value(dev.new_value, dev.unit, dev.text, dev.approx)
    return f"{metric_label(dev.metric)} — {dev.subject}: {value} (known value)"


def recorded_line(dev: Development) -> str:
    """'◦ Other figure — Harlow Axle: 2 → about 40 (+1,900%) — metric not alerted'; a
    corroboration names the article that repeats the value and the one that first had it."""
    line = f"◦ {recorded_headline(dev)} — {dev.outcome or 'recorded only'}"
    if dev.outcome == CORROBORATION:
        first = dev.also_reported_by[0] if dev.also_reported_by else "an earlier article"
        line += f": again in “{_clipped(dev.article_title)}”, first in “{_clipped(first)}”"
    return line


def report_lines(report: RunReport, *, recorded_shown: int | None = RECORDED_SHOWN) -> list[str]:
    """The whole listing: a count line from `RunCounts`, the alerted developments in full, then
    the recorded-only ones, one line each with the reason."""
    counts = report.counts()
    if not counts.developments:
        return ["No new developments."]
    lines = [developments_phrase(counts), ""]
    for dev in report.alerted_entries():
        lines += [*development_lines(dev), ""]
    recorded = report.recorded_entries()
    if recorded:
        lines.append("Recorded only (kept in the history, not alerted):")
        shown = recorded if recorded_shown is None else recorded[:recorded_shown]
        lines += [recorded_line(dev) for dev in shown]
        if len(recorded) > len(shown):
            lines.append(
                f"… and {len(recorded) - len(shown)} more: laborwatch developments --recorded"
            )
    return lines
