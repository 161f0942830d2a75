"""A figure's history as a picture: value over time (the article's published date), one point per
report coloured by its source, hedged values ("about", "more than") as hollow markers, joined by
a grey line in time order. SVG or PNG bytes from matplotlib (Agg, no display), or a one-line
text sparkline for places that show no image (Slack, terminals).

Pure rendering: no database, no Prefect. Callers turn stored history into `ChartPoint`s.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from laborwatch.alerts.render import format_value, metric_label
from laborwatch.domain import HistoryEntry, plausible_published

ChartFormat = Literal["svg", "png"]
SPARKS = "▁▂▃▄▅▆▇█"
# Marker colours per source (colour-blind safe, Okabe-Ito), in order of first appearance.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LEGEND_SOURCES = 6  # more sources than this share the last colour, as "other sources"


@dataclass(frozen=True, slots=True)
class ChartPoint:
    when: datetime  # the article's published date, else when the value was first seen
    value: float
    source: str  # who reported it: the article's host, else "local files"
    approx: bool
    text: str  # as written


@dataclass(frozen=True, slots=True)
class FigureChart:
    subject: str
    metric: str
    unit: str
    points: tuple[ChartPoint, ...]

    @property
    def title(self) -> str:
        return f"{metric_label(self.metric)}: {self.subject}"


def source_of(url: str | None) -> str:
    if not url or "://" not in url:
        return "local files"
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def chart_of(entries: Iterable[HistoryEntry], subject: str, metric: str, unit: str) -> FigureChart:
    """The chart of one (subject, metric, unit) key from history entries (others are ignored)."""
    points = [
        ChartPoint(
            when=plausible_published(e.published) or e.first_seen,
            value=e.value,
            source=source_of(e.article_url),
            approx=e.approx,
            text=e.text,
        )
        for e in entries
        if (e.subject, e.metric, e.unit) == (subject, metric, unit)
    ]
    points.sort(key=lambda p: p.when)
    return FigureChart(subject, metric, unit, tuple(points))


def figure_keys(entries: Iterable[HistoryEntry]) -> list[tuple[str, str, str]]:
    """The distinct (subject, metric, unit) keys in `entries`, in order."""
    return list(dict.fromkeys((e.subject, e.metric, e.unit) for e in entries))


def sparkline(values: Sequence[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[len(SPARKS) // 2] * len(values)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((v - low) * scale)] for v in values)


def text_chart(chart: FigureChart, limit: int = 24) -> str:
    """'▁▃█ 1,000 → 4,200 (3 values, 2026-10-01 – 2026-11-20)': the last `limit` values."""
    points = chart.points[-limit:]
    if not points:
        return ""
    first, last = points[0], points[-1]
    span = f"{first.when:%Y-%m-%d}" + (
        f" – {last.when:%Y-%m-%d}" if last.when.date() != first.when.date() else ""
    )
    values = f"{format_value(first.value, chart.unit)} → {format_value(last.value, chart.unit)}"
    if len(points) == 1:
        values = format_value(first.value, chart.unit)
    count = f"{len(chart.points)} value{'s' if len(chart.points) != 1 else ''}"
    return f"{sparkline([p.value for p in points])} {values} ({count}, {span})"


def render_chart(
    chart: FigureChart,
    fmt: ChartFormat = "svg",
    *,
    width: float = 8.0,
    height: float = 4.0,
    dpi: int = 100,
) -> bytes:
    """The chart as SVG or PNG bytes, `width` × `height` inches at `dpi`."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"chart format must be svg or png, not {fmt!r}")
    from matplotlib.figure import Figure  # no pyplot: no global figure state, no display

    figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    axes = figure.add_subplot()
    _draw(axes, chart, small=width < 6)
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # matplotlib's date numbers: days since this


def _days(when: datetime) -> float:
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return (aware - _EPOCH).total_seconds() / 86400


def _draw(axes: Any, chart: FigureChart, *, small: bool) -> None:
    points = chart.points
    size = 8 if small else 10
    axes.set_title(chart.title, fontsize=size + 1, loc="left")
    if not points:
        axes.text(0.5, 0.5, "no history yet", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return
    days = [_days(p.when) for p in points]
    axes.plot(days, [p.value for p in points], color="#999999", lw=1.2)
    if max(days) - min(days) < 1:  # all on one day: a few days around it, not seconds
        axes.set_xlim(min(days) - 3, max(days) + 3)
    _draw_sources(axes, points, small=small)
    _style(axes, chart.unit, size, small=small)


def _draw_sources(axes: Any, points: Sequence[ChartPoint], *, small: bool) -> None:
    """One colour per source (filled: as reported, hollow: hedged), one legend entry each."""
    sources = list(dict.fromkeys(p.source for p in points))
    for number, source in enumerate(sources):
        colour = PALETTE[min(number, LEGEND_SOURCES)]
        label = source if number < LEGEND_SOURCES else "other sources"
        labelled = number > LEGEND_SOURCES  # one legend entry for all the "other sources"
        for approx in (False, True):
            shown = [p for p in points if p.source == source and p.approx == approx]
            if not shown:
                continue
            axes.scatter(
                [_days(p.when) for p in shown],
                [p.value for p in shown],
                s=36 if small else 48,
                facecolors="white" if approx else colour,
                edgecolors=colour,
                linewidths=1.6,
                zorder=2,
                label=None if labelled else label,
            )
            labelled = True
    if any(p.approx for p in points):
        axes.scatter([], [], s=36, facecolors="white", edgecolors="#555555", label="hedged value")


def _style(axes: Any, unit: str, size: int, *, small: bool) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import FuncFormatter

    locator = AutoDateLocator(minticks=3, maxticks=7 if small else 10)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_value(v, unit)))
    axes.tick_params(labelsize=size - 1)
    axes.grid(True, color="#eeeeee")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=size - 2, frameon=False, loc="best")
