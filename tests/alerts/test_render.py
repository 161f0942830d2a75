from __future__ import annotations

import pytest

from laborwatch.alerts.render import (
    format_value,
    headline,
    render_markdown,
    render_text,
)
from laborwatch.alerts.render_email import render_email
from laborwatch.alerts.render_slack import render_slack
from laborwatch.domain import Development
from tests.alerts.conftest import MakeDev

HOSTILE = "<script>alert('x')</script> & <!channel>"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (700_000_000, "USD", "$700 million"),
        (41_510_000_000, "USD", "$41.51 billion"),
        (2_000_000_000, "USD", "$2 billion"),
        (3_300_000_000, "USD", "$3.3 billion"),
        (999_999_999.9, "USD", "$1 billion"),
        (1_250, "USD", "$1,250"),
        (0.1, "USD", "$0.10"),
        (12.5, "USD", "$12.50"),
        (-5_000_000, "USD", "-$5 million"),
        (4_200, "people", "4,200"),
        (81, "count", "81"),
        (10, "percent", "10%"),
        (3.5, "percent", "3.5%"),
    ],
)
def test_format_value(value: float, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


def test_changed_headline_keeps_the_articles_hedges(make_dev: MakeDev) -> None:
    assert headline(make_dev()) == (
        "Layoff notices — Connecticut state employees: more than 4,000 → nearly 5,000 (+25%)"
    )


def test_new_headline(new_dev: Development) -> None:
    assert headline(new_dev) == "Layoffs — Acme Foods: 350 (new)"


@pytest.mark.parametrize(
    ("overrides", "tail"),
    [
        (
            {
                "metric": "concessions",
                "unit": "USD",
                "old_value": 7e8,
                "new_value": 8.69e8,
                "approx": False,
                "old_approx": False,
                "subject": "State of Connecticut",
            },
            "Concessions — State of Connecticut: $700 million → $869 million (+24%)",
        ),
        (
            {
                "metric": "wages",
                "unit": "percent",
                "old_value": 3.0,
                "new_value": 2.5,
                "approx": False,
                "old_approx": False,
                "subject": "Nurses",
            },
            "Wages — Nurses: 3% → 2.5% (-0.5 pts)",
        ),
        (
            {
                "metric": "layoffs",
                "old_value": 1000.0,
                "new_value": 1004.0,
                "approx": False,
                "old_approx": False,
                "subject": "X",
            },
            "Layoffs — X: 1,000 → 1,004 (+0.4%)",
        ),
        (
            {
                "metric": "layoffs",
                "old_value": 0.0,
                "new_value": 40.0,
                "approx": False,
                "old_approx": False,
                "subject": "X",
            },
            "Layoffs — X: 0 → 40 (+40)",
        ),
        (
            {"text": "4,000-plus workers", "old_approx": False, "subject": "X"},
            "Layoff notices — X: 4,000 → 5,000-plus (+25%)",
        ),
        (
            {"text": "5,000", "old_approx": False, "subject": "X"},
            "Layoff notices — X: 4,000 → about 5,000 (+25%)",
        ),
    ],
)
def test_headline_variants(make_dev: MakeDev, overrides: dict[str, object], tail: str) -> None:
    assert headline(make_dev(**overrides)) == tail


def _everything(make_dev: MakeDev) -> Development:
    return make_dev(
        also_reported_by=["https://other.example.com/story", "Hartford Courant"],
        watches=["ct-budget", "unions"],
    )


def test_text_names_every_part_of_the_alert(make_dev: MakeDev, new_dev: Development) -> None:
    title, body = render_text([_everything(make_dev), new_dev], run_label="run-42")
    assert title == f"2 labor developments; largest change: {headline(make_dev())}"
    for part in (
        "2 labor developments — run run-42",
        headline(make_dev()),
        "“The administration has now sent nearly 5,000 layoff notices to unions.”",
        "Source: Malloy sends more layoff notices (2017-05-06)",
        "https://news.example.org/ct/layoff-notices",
        "Also reported by: https://other.example.com/story; Hartford Courant",
        "Watches: ct-budget, unions",
        "Layoffs — Acme Foods: 350 (new)",
    ):
        assert part in body
    _, truncated = render_text([new_dev], omitted=7)
    assert truncated.endswith("… and 7 more developments not shown.")


def test_markdown_escapes_web_text_and_links_only_http(make_dev: MakeDev) -> None:
    dev = make_dev(article_title=HOSTILE, subject="A*B_C", article_url="javascript:alert(1)")
    _, body = render_markdown([dev])
    assert "<script>" not in body
    assert "\\<script\\>" in body
    assert "A\\*B\\_C" in body
    assert "javascript:" not in body
    _, linked = render_markdown([make_dev(article_url="https://x.org/a (b)")])
    assert "[Malloy sends more layoff notices](https://x.org/a%20%28b%29)" in linked


def test_slack_escapes_control_characters_and_builds_links(make_dev: MakeDev) -> None:
    dev = make_dev(article_title=HOSTILE, sentence="Pay rose > 3% & more <@U123>")
    title, body = render_slack([dev])
    assert "<script>" not in body and "<!channel>" not in body and "<@U123>" not in body
    assert "&lt;script&gt;" in body
    assert ">Pay rose &gt; 3% &amp; more &lt;@U123&gt;" in body
    assert "<https://news.example.org/ct/layoff-notices|&lt;script&gt;" in body
    assert title.startswith("Layoff notices")
    _, legacy = render_slack([dev], escaping="apprise-legacy")
    # Apprise's legacy path escapes &<> itself; angle brackets are replaced so nothing in
    # the article can become a mention after that
    assert "<" not in legacy and ">" not in legacy.replace("\n>", "\n")
    assert "https://news.example.org/ct/layoff-notices" in legacy


def test_email_html_escapes_and_has_one_block_per_development(
    make_dev: MakeDev, new_dev: Development
) -> None:
    hostile = make_dev(article_title=HOSTILE, subject="Acme <b>Corp</b>")
    subject, html_body, plain = render_email([new_dev, hostile], run_label="r1")
    # the subject names the count and the largest change, not the first development
    assert subject == f"2 labor developments; largest change: {headline(hostile)}"
    assert "<script>" not in html_body and "<b>Corp" not in html_body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;!channel&gt;" in html_body
    assert html_body.count("<blockquote") == 2 and "<td" not in html_body
    assert '<a href="https://news.example.org/acme">Acme Foods to close Hartford plant</a>' in (
        html_body
    )
    assert HOSTILE in plain  # plain text needs no escaping
