"""A figure's history in an alert: a small chart inline in email (an image attachment the HTML
body shows by its Content-ID), the text sparkline in Slack.

Only figures with a history (two values or more) get one, and at most `MAX_CHARTS` per message:
a digest of forty developments does not need forty pictures.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from laborwatch.alerts.charts import FigureChart, render_chart, text_chart
from laborwatch.domain import Development

# (subject, metric, unit) → that figure's history, or None when it cannot be read.
ChartLookup = Callable[[str, str, str], FigureChart | None]
MAX_CHARTS = 4
EMAIL_SIZE = (4.8, 2.4)  # inches at 100 dpi: 480 × 240 px, small enough for a phone


@dataclass(frozen=True, slots=True)
class InlineImage:
    name: str  # the attachment's file name, also its cid
    png: bytes


def charts_for(devs: Sequence[Development], lookup: ChartLookup | None) -> list[FigureChart]:
    """The histories worth drawing for `devs`: one per figure, two values or more, in order."""
    if lookup is None:
        return []
    charts: list[FigureChart] = []
    seen: set[tuple[str, str, str]] = set()
    for dev in devs:
        key = (dev.subject, dev.metric, dev.unit)
        if key in seen:
            continue
        seen.add(key)
        chart = lookup(*key)
        if chart is not None and len(chart.points) >= 2:
            charts.append(chart)
        if len(charts) >= MAX_CHARTS:
            break
    return charts


def _image_name(number: int) -> str:
    return f"laborwatch-chart-{number}.png"


def email_section(charts: Sequence[FigureChart]) -> str:
    """The HTML that shows each chart by its cid (the images come from `email_images`)."""
    if not charts:
        return ""
    width, height = EMAIL_SIZE
    parts = ["<h3>History</h3>"]
    for number, chart in enumerate(charts, start=1):
        alt = html.escape(f"{chart.title}: {text_chart(chart)}", quote=True)
        parts.append(
            f'<p><img src="cid:{_image_name(number)}" alt="{alt}" width="{int(width * 100)}" '
            f'height="{int(height * 100)}"></p>'
        )
    return "\n".join(parts)


def email_images(charts: Sequence[FigureChart]) -> list[InlineImage]:
    """The PNGs `email_section` refers to, drawn only for the messages actually sent."""
    width, height = EMAIL_SIZE
    return [
        InlineImage(_image_name(number), render_chart(chart, "png", width=width, height=height))
        for number, chart in enumerate(charts, start=1)
    ]


def cached(lookup: ChartLookup) -> ChartLookup:
    """`lookup`, asked once per figure: a digest renders each message several times."""
    known: dict[tuple[str, str, str], FigureChart | None] = {}

    def each(subject: str, metric: str, unit: str) -> FigureChart | None:
        key = (subject, metric, unit)
        if key not in known:
            known[key] = lookup(*key)
        return known[key]

    return each


def with_section(html_body: str, section: str) -> str:
    """`section` placed inside the message's closing wrapper, else at its end."""
    if not section:
        return html_body
    head, found, tail = html_body.rpartition("</div>")
    return f"{head}{section}\n</div>{tail}" if found else f"{html_body}\n{section}"


def slack_history(charts: Sequence[FigureChart], escape: Callable[[str], str]) -> str:
    """'*History*' and one line per figure: its title and the sparkline."""
    if not charts:
        return ""
    lines = ["*History*"]
    lines += [f"• {escape(chart.title)}: `{escape(text_chart(chart))}`" for chart in charts]
    return "\n".join(lines)
