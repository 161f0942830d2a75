"""The run artifacts' content: what a person reads in the Prefect UI."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from laborwatch.domain import METRIC_NOT_ALERTED, Development, SourceError
from laborwatch.flows.artifacts import (
    change_text,
    developments_markdown,
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


def test_developments_read_old_to_new_with_hedges_quotes_and_clickable_links() -> None:
    report = RunReport(run_label="r", sources_total=1)
    report.developments = [
        _dev(),
        _dev(kind="new", old_value=None, metric="layoffs", unit="people", new_value=410,
             approx=True, text="about 410 workers"),
    ]  # fmt: skip
    report.recorded_only = [
        _dev(metric="other", outcome=METRIC_NOT_ALERTED, article_title="Side story")
    ]
    text = developments_markdown(report)
    assert text.startswith("# 3 developments: 2 alerted, 1 recorded only (1 metric not alerted)")
    assert "**1. Concessions — Connecticut state employees: $2 billion → $700 million" in text
    assert "Layoffs — Connecticut state employees: about 410 (new)" in text  # "about" kept
    assert "> He needs $700 million in labor savings." in text
    assert "[Malloy budget](https://ctnewsjunkie.com/2017/05/malloy) · 2017-05-12" in text
    assert "## Recorded only" in text and "| metric not alerted |" in text
    assert change_text(_dev(new_value=410, approx=True, text="about 410", unit="people",
                            old_value=None)) == "new: about 410"  # fmt: skip


def test_long_quotes_are_clipped() -> None:
    report = RunReport(run_label="r", sources_total=1)
    report.developments = [_dev(sentence="word " * 200)]
    quote = next(line for line in developments_markdown(report).splitlines() if line[:1] == ">")
    assert len(quote) <= 402 and quote.endswith("…")


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
    assert "| developments | 2 |" in text and "| messages sent | 0 |" in text
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


def test_history_artifact_rows_follow_publish_dates(tmp_path: object) -> None:
    from pathlib import Path

    from laborwatch.domain import Article, ArticleAnalysis, Figure
    from laborwatch.flows.artifacts import history_rows
    from laborwatch.storage.store import Store

    store = Store.open(f"sqlite:///{Path(str(tmp_path)) / 'h.db'}")
    try:
        # stored May first, then March: the table still reads March → May
        for name, day, value in (("may", datetime(2024, 5, 14, tzinfo=UTC), 420.0),
                                 ("march", datetime(2024, 3, 12, tzinfo=UTC), 350.0)):  # fmt: skip
            text = f"about {value:g} workers"
            figure = Figure(text, value, "people", "layoffs", True, text, 0, len(text), "Acme")
            article = Article(source="s", title=name, text=text, url=f"https://x.org/{name}",
                              published=day)  # fmt: skip
            analysis = ArticleAnalysis(True, [figure])
            stored = store.add_article(article, analysis)
            store.record_figures(stored.article_id, article, analysis)
        rows = history_rows(store, "Acme", "layoffs", "people")
    finally:
        store.close()
    assert [(r["published"], r["value"]) for r in rows] == [
        ("2024-03-12", "about 350"),
        ("2024-05-14", "about 420"),
    ]
