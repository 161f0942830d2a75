"""The run's artifacts in the Prefect UI: a markdown summary, a developments table, and an
in-place-updating history table for each changed figure."""

from __future__ import annotations

import hashlib
import re

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from alerts.render import format_value, headline
from flows.report import RunReport
from laborwatch.domain import Development
from storage.store import Store


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def summary_markdown(report: RunReport) -> str:
    lines = [
        f"# laborwatch run `{report.run_label}`",
        "",
        "| sources | failed | new articles | figures | developments | alerts sent | failed | pending |",
        "|---|---|---|---|---|---|---|---|",
        f"| {report.sources_done}/{report.sources_total} | {report.sources_failed} | "
        f"{report.articles} | {report.figures} | {len(report.developments)} | "
        f"{report.alerts.get('sent', 0)} | {report.alerts.get('failed', 0)} | "
        f"{report.alerts.get('pending', 0)} |",
        "",
        "## Sources",
        "",
        "| source | status | articles | figures | errors |",
        "|---|---|---|---|---|",
    ]
    for row in report.per_source:
        lines.append(
            f"| {_cell(row['source'])} | {row['status']} | {row['articles']} | "
            f"{row['figures']} | {row['errors']} |"
        )
    lines += ["", "## Developments", ""]
    if report.developments:
        for dev in report.developments:
            link = f" — [{_cell(dev.article_title)}]({dev.article_url})" if dev.article_url else (
                f" — {_cell(dev.article_title)}"
            )
            lines.append(f"- **{_cell(headline(dev))}**{link}")
    else:
        lines.append("No new developments.")
    if report.errors:
        lines += ["", "## Errors", ""]
        lines += [f"- `{e.kind}` {_cell(e.source)}: {_cell(e.message)}" for e in report.errors]
    return "\n".join(lines)


def developments_table(developments: list[Development]) -> list[dict[str, str]]:
    return [
        {
            "subject": d.subject,
            "metric": d.metric,
            "change": (
                f"{format_value(d.old_value, d.unit)} → {format_value(d.new_value, d.unit)}"
                if d.old_value is not None
                else f"new: {format_value(d.new_value, d.unit)}"
            ),
            "kind": d.kind,
            "quote": d.sentence,
            "article": d.article_title,
            "link": d.article_url or "",
        }
        for d in developments
    ]


def history_key(subject: str, metric: str, unit: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{subject}-{metric}".lower()).strip("-")[:40]
    digest = hashlib.sha256(f"{subject}|{metric}|{unit}".encode()).hexdigest()[:8]
    return f"history-{slug}-{digest}"


def publish_artifacts(report: RunReport, store: Store) -> None:
    create_markdown_artifact(
        key="laborwatch-run-summary",
        markdown=summary_markdown(report),
        description="laborwatch run summary",
    )
    create_table_artifact(
        key="laborwatch-developments",
        table=developments_table(report.developments)
        or [{"subject": "", "metric": "", "change": "no new developments"}],
        description="Developments found in this run",
    )
    changed = {(d.subject, d.metric, d.unit) for d in report.developments if d.kind == "changed"}
    for subject, metric, unit in sorted(changed):
        entries = store.figure_history(subject=subject, metric=metric)
        rows = [
            {
                "value": format_value(e.value, e.unit),
                "as written": e.text,
                "first seen": e.first_seen.isoformat(timespec="minutes"),
                "article": e.article_title,
                "link": e.article_url or "",
            }
            for e in entries
            if e.unit == unit
        ]
        create_table_artifact(
            key=history_key(subject, metric, unit),
            table=rows,
            description=f"History of {metric} for {subject}",
        )
