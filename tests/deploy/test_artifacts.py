"""The run artifacts' content: what a person reads in the Prefect UI."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from laborwatch.domain import Development, SourceError
from laborwatch.flows.artifacts import (
    change_text,
    developments_table,
    history_key,
    outcome_line,
    summary_markdown,
)
from laborwatch.pipeline.report import RunReport


def _dev(**overrides: object) -> Development:
    values: dict[str, object] = {
        "kind": "changed",
        "subject": "Connecticut state employees",
        "metric": "concessions",
        "unit": "USD",
        "new_value": 7e8,
        "old_value": 2e9,
        "approx": False,
        "text": "$700 million",
        "sentence": "He needs $700 million in labor savings.",
        "article_title": "Malloy budget",
        "article_url": "https://ctnewsjunkie.com/2017/05/malloy",
        "published": datetime(2017, 5, 12, tzinfo=UTC),
        "source": "https://ctnewsjunkie.com/feed",
    }
    values.update(overrides)
    return Development(**values)  # type: ignore[arg-type]


def test_developments_table_reads_old_to_new_with_the_source_link() -> None:
    rows = developments_table([_dev(), _dev(kind="new", old_value=None, metric="deficit")])
    assert [(r["metric"], r["change"], r["link"]) for r in rows] == [
        ("Concessions", "$2 billion → $700 million", "https://ctnewsjunkie.com/2017/05/malloy"),
        ("Deficit", "new: $700 million", "https://ctnewsjunkie.com/2017/05/malloy"),
    ]
    assert list(rows[0])[:4] == ["subject", "metric", "change", "kind"]


def test_long_quotes_are_clipped_in_the_table() -> None:
    row = developments_table([_dev(sentence="word " * 200)])[0]
    assert len(row["quote"]) <= 240 and row["quote"].endswith("…")


def test_summary_escapes_hostile_titles_and_links_only_web_urls() -> None:
    report = RunReport(run_label="run-x", sources_total=2, sources_done=2, sources_failed=1)
    report.developments = [
        _dev(article_title="Evil | title [click](javascript:alert(1))", article_url="javascript:x"),
        _dev(article_title="Good (one)", article_url="https://example.org/a(b)"),
    ]
    report.errors = [SourceError("https://down.example/feed", "HTTP 503", "fetch")]
    text = summary_markdown(report)
    assert not re.search(r"(?<!\\)\]\(javascript:", text), "an unescaped javascript: link"
    assert "Evil \\| title \\[click\\](javascript:alert(1))" in text
    assert "[Good (one)](https://example.org/a%28b%29)" in text
    assert "1 of 2 source(s) failed" in text
    assert "## Errors" in text and "HTTP 503" in text


def test_outcome_line_says_failed_when_every_source_failed() -> None:
    report = RunReport(run_label="r", sources_total=2, sources_done=2, sources_failed=2)
    assert outcome_line(report).startswith("**Failed:**")
    assert change_text(_dev(old_value=None)) == "new: $700 million"


def test_history_key_is_stable_per_figure_and_valid_for_prefect() -> None:
    key = history_key("Connecticut state employees", "concessions", "USD")
    assert key == history_key("Connecticut state employees", "concessions", "USD")
    assert key != history_key("Connecticut state employees", "concessions", "percent")
    assert key != history_key("Hartford city workers", "concessions", "USD")
    long_key = history_key("A" * 80 + " — ünïcode!", "layoff_notices", "people")
    for k in (key, long_key):
        assert all(c.islower() or c.isdigit() or c == "-" for c in k), k
        assert "--" not in k and not k.endswith("-")
