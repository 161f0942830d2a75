"""The reading commands as a reporter uses them: publish dates as the timeline (stored time
only when an article has none, and marked), case-insensitive subjects with a "did you mean",
filters on `history` and `developments`, feed files in `extract`, `--version`, flags shown
without type tags, and errors said once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from laborwatch.cli import app
from laborwatch.domain import ArticleAnalysis, Figure
from laborwatch.storage.store import Store

REPO = Path(__file__).resolve().parents[2]
FEED = REPO / "data" / "samples" / "labor-news.xml"
runner = CliRunner()


def _figure(value: float, text: str, metric: str = "layoffs") -> Figure:
    sentence = f"Harlow Axle will lay off {text} workers."
    start = sentence.index(text)
    return Figure(text, value, "people", metric, False, sentence, start, start + len(text),
                  "Harlow Axle")  # fmt: skip


@pytest.fixture()
def timeline_db(tmp_path: Path) -> str:
    """The May story is stored before the March one (a feed read late, say); a third has no
    publish date."""
    from laborwatch.domain import Article

    url = f"sqlite:///{tmp_path / 't.db'}"
    store = Store.open(url)
    stories = [
        ("may", datetime(2024, 5, 14, tzinfo=UTC), _figure(420, "420")),
        ("march", datetime(2024, 3, 12, tzinfo=UTC), _figure(350, "350")),
        ("undated", None, _figure(500, "500")),
    ]
    try:
        for name, published, fig in stories:
            article = Article(
                source="feed",
                title=f"Harlow {name}",
                text=fig.sentence,
                url=f"https://news.example.org/{name}",
                published=published,
            )
            analysis = ArticleAnalysis(True, [fig])
            outcome = store.add_article(article, analysis)
            store.record_figures(outcome.article_id, article, analysis)
    finally:
        store.close()
    return url


def test_history_is_in_publish_order_and_marks_stored_times(timeline_db: str) -> None:
    rows = json.loads(runner.invoke(app, ["history", "--db", timeline_db, "--json"]).stdout)
    assert [r["value"] for r in rows] == [350, 420, 500]
    assert [r["date_is_published"] for r in rows] == [True, True, False]
    assert rows[0]["date"].startswith("2024-03-12") and rows[1]["date"].startswith("2024-05-14")
    table = runner.invoke(app, ["history", "--db", timeline_db], terminal_width=200).stdout
    assert "2024-03-12" in table and "(stored; no publish date)" in table
    assert table.index("2024-03-12") < table.index("2024-05-14")


def test_developments_are_in_publish_order_with_dates(timeline_db: str) -> None:
    rows = json.loads(runner.invoke(app, ["developments", "--db", timeline_db, "--json"]).stdout)
    assert [r["new_value"] for r in rows] == [350, 420, 500]
    text = runner.invoke(app, ["developments", "--db", timeline_db]).stdout
    assert "(published 2024-03-12)" in text and "(no publish date; stored " in text


def test_subjects_ignore_case_and_suggest_the_closest(timeline_db: str) -> None:
    lower = runner.invoke(app, ["history", "--db", timeline_db, "--subject", "harlow axle",
                                "--json"])  # fmt: skip
    assert lower.exit_code == 0 and len(json.loads(lower.stdout)) == 3
    typo = runner.invoke(app, ["history", "--db", timeline_db, "--subject", "Harlow Axel"])
    assert typo.exit_code == 1
    assert "no subject 'Harlow Axel' in the database; did you mean 'Harlow Axle'?" in typo.stderr
    devs = runner.invoke(app, ["developments", "--db", timeline_db, "--subject", "HARLOW AXLE",
                               "--json"])  # fmt: skip
    assert devs.exit_code == 0 and len(json.loads(devs.stdout)) == 3


def test_metric_and_since_filters(timeline_db: str) -> None:
    def values(command: str, *args: str) -> list[float]:
        done = runner.invoke(app, [command, "--db", timeline_db, "--json", *args])
        assert done.exit_code == 0, done.output
        return [r.get("value", r.get("new_value")) for r in json.loads(done.stdout)]

    assert values("history", "--since", "2024-04-01") == [420, 500]  # undated: stored today
    assert values("developments", "--since", "2024-04-01") == [420, 500]
    assert values("developments", "--metric", "layoffs") == [350, 420, 500]
    assert values("history", "--metric", "wages") == []
    bad = runner.invoke(app, ["developments", "--db", timeline_db, "--metric", "layof"])
    assert bad.exit_code == 2 and "--metric 'layof': one of" in bad.stderr


def test_extract_previews_a_feed_file() -> None:
    result = runner.invoke(app, ["extract", str(FEED), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) >= 2 and all(item["path"].startswith(f"{FEED} #") for item in items)
    assert any(f["metric"] == "layoffs" for item in items for f in item["figures"])


def test_extract_names_a_missing_file_once(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {missing}: no such file"


def test_version_and_flags_without_type_tags() -> None:
    from laborwatch.cli.app import laborwatch_version

    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.strip() == f"laborwatch {laborwatch_version()}"
    for command in (["--help"], ["run", "--help"], ["developments", "--help"]):
        shown = runner.invoke(app, command, terminal_width=120).stdout
        assert "<bool>" not in shown, shown
    assert "<str>" in runner.invoke(app, ["history", "--help"], terminal_width=120).stdout
