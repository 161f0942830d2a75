"""A figure's history as a picture: the chart itself, the sparkline, and the chart inline in
email (a real SMTP receiver) and as text in Slack (the request Apprise's plugin sends)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from laborwatch.alerts.charts import (
    ChartPoint,
    FigureChart,
    chart_of,
    figure_keys,
    render_chart,
    sparkline,
    text_chart,
)
from laborwatch.alerts.history_charts import MAX_CHARTS, cached, charts_for
from laborwatch.alerts.send import send_developments
from laborwatch.alerts.targets import load_targets
from tests.alerts.conftest import MakeDev
from tests.support.servers import LocalHTTPServer, SMTPInbox

SLACK_URL = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"


@dataclass
class Entry:
    """What `Store.figure_history` gives, by hand."""

    value: float
    approx: bool
    article_url: str | None
    published: datetime | None
    subject: str = "Connecticut state employees"
    metric: str = "layoff_notices"
    unit: str = "people"
    text: str = ""
    article_title: str = "a story"
    first_seen: datetime = datetime(2017, 6, 1, tzinfo=UTC)


HISTORY = [
    Entry(4000, True, "https://www.ctnewsjunkie.com/a", datetime(2017, 5, 1, tzinfo=UTC)),
    Entry(4200, False, "https://courant.com/b", datetime(2017, 5, 3, tzinfo=UTC)),
    Entry(5000, True, None, None),  # a local file, undated: placed when first seen
    Entry(9e8, False, None, None, metric="savings", unit="USD"),
]


def chart() -> FigureChart:
    return chart_of(HISTORY, "Connecticut state employees", "layoff_notices", "people")


def test_history_becomes_points_by_published_date_with_their_source() -> None:
    points = chart().points
    assert [(p.value, p.source, p.approx) for p in points] == [
        (4000, "ctnewsjunkie.com", True),
        (4200, "courant.com", False),
        (5000, "local files", True),
    ]
    assert points[-1].when == datetime(2017, 6, 1, tzinfo=UTC)
    assert figure_keys(HISTORY) == [
        ("Connecticut state employees", "layoff_notices", "people"),
        ("Connecticut state employees", "savings", "USD"),
    ]


def test_svg_and_png_are_real_images() -> None:
    svg = render_chart(chart(), "svg")
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    png = render_chart(chart(), "png", width=4.8, height=2.4)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (480, 240)
    with pytest.raises(ValueError, match="svg or png"):
        render_chart(chart(), "gif")  # type: ignore[arg-type]


def test_a_figure_without_history_still_draws() -> None:
    empty = FigureChart("Nobody", "layoffs", "people", ())
    assert render_chart(empty, "png").startswith(b"\x89PNG")
    assert text_chart(empty) == ""


def test_many_sources_share_the_last_colour_in_one_legend_entry() -> None:
    points = tuple(
        ChartPoint(datetime(2026, 1, day, tzinfo=UTC), day * 10.0, f"s{day}.org", day % 2 == 0, "")
        for day in range(1, 12)
    )
    svg = render_chart(FigureChart("Acme", "layoffs", "people", points), "svg")
    # matplotlib draws text as paths and keeps the string in a comment beside them
    assert svg.count(b"<!-- other sources -->") == 1
    assert b"<!-- s6.org -->" in svg and b"<!-- s7.org -->" not in svg
    assert svg.count(b"<!-- hedged value -->") == 1


def test_sparkline_and_text_form() -> None:
    assert sparkline([1, 2, 3, 8]) == "▁▂▃█"
    assert sparkline([5, 5]) == "▅▅"
    assert sparkline([]) == ""
    assert text_chart(chart()) == "▁▂█ 4,000 → 5,000 (3 values, 2017-05-01 – 2017-06-01)"


def test_only_figures_with_a_history_get_a_chart_and_a_few_per_message(make_dev: MakeDev) -> None:
    asked: list[tuple[str, str, str]] = []

    def lookup(subject: str, metric: str, unit: str) -> FigureChart | None:
        asked.append((subject, metric, unit))
        if metric == "layoffs":  # one value only
            return FigureChart(subject, metric, unit, chart().points[:1])
        return FigureChart(subject, metric, unit, chart().points)

    devs = [make_dev(subject=f"Union {n}") for n in range(MAX_CHARTS + 2)]
    devs.insert(0, make_dev(metric="layoffs"))
    devs.insert(1, make_dev())
    devs.insert(2, make_dev())  # the same figure twice: one chart
    once = cached(lookup)
    drawn = charts_for(devs, once)
    assert len(drawn) == MAX_CHARTS
    assert [c.subject for c in drawn][:2] == ["Connecticut state employees", "Union 0"]
    charts_for(devs, once)
    assert len(asked) == len(set(asked))


def test_email_carries_the_chart_inline(inbox: SMTPInbox, make_dev: MakeDev) -> None:
    [target] = load_targets([inbox.apprise_url()])
    outcome = send_developments(
        target, [make_dev()], charts=lambda s, m, u: chart_of(HISTORY, s, m, u)
    )
    assert outcome.ok, outcome.error
    [message] = inbox.wait_for(1)
    assert message.get_content_type() == "multipart/related"
    html_part = message.get_body(("html",))
    assert html_part is not None
    html_body = html_part.get_content()
    assert '<img src="cid:laborwatch-chart-1.png"' in html_body
    assert html_body.count("<img") == 1  # Apprise adds none of its own: ours is referenced
    [image] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"].strip("<>") == "laborwatch-chart-1.png"
    assert image.get_payload(decode=True).startswith(b"\x89PNG")


def test_email_without_history_has_no_picture(inbox: SMTPInbox, make_dev: MakeDev) -> None:
    [target] = load_targets([inbox.apprise_url()])
    assert send_developments(target, [make_dev()], charts=lambda s, m, u: None).ok
    [message] = inbox.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"


def test_slack_gets_the_text_form(slack_receiver: LocalHTTPServer, make_dev: MakeDev) -> None:
    [target] = load_targets([SLACK_URL + "?blocks=yes"])
    outcome = send_developments(
        target, [make_dev()], charts=lambda s, m, u: chart_of(HISTORY, s, m, u)
    )
    assert outcome.ok, outcome.error
    payload = json.loads(slack_receiver.posts()[0].body)
    text = payload["attachments"][0]["blocks"][1]["text"]["text"]
    assert "*History*" in text
    assert "• Layoff notices: Connecticut state employees: `▁▂█ 4,000 → 5,000" in text
    assert not any(b.get("type") == "image" for b in payload["attachments"][0]["blocks"])


def test_implausible_publish_dates_are_placed_when_first_seen() -> None:
    far = [
        Entry(400, False, "https://a.example/1", datetime(9999, 12, 31, tzinfo=UTC)),
        Entry(500, False, "https://a.example/2", datetime(1, 1, 1, tzinfo=UTC)),
    ]
    drawn = chart_of(far, "Connecticut state employees", "layoff_notices", "people")
    assert {p.when for p in drawn.points} == {datetime(2017, 6, 1, tzinfo=UTC)}
    assert render_chart(drawn, "png").startswith(b"\x89PNG")


def test_a_chart_that_cannot_be_drawn_does_not_hold_back_the_email(
    inbox: SMTPInbox, make_dev: MakeDev
) -> None:
    broken = FigureChart(
        "Connecticut state employees",
        "layoff_notices",
        "people",
        (ChartPoint(datetime(1, 1, 1, tzinfo=UTC), 400, "a.example", False, "400"),
         ChartPoint(datetime(9999, 12, 31, tzinfo=UTC), 500, "a.example", False, "500")),
    )  # fmt: skip
    [target] = load_targets([inbox.apprise_url()])
    outcome = send_developments(target, [make_dev()], charts=lambda s, m, u: broken)
    assert outcome.ok, outcome.error
    [message] = inbox.wait_for(1)
    assert not [part for part in message.walk() if part.get_content_type() == "image/png"]
