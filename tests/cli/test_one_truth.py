"""One truth per run: stdout, the JSON, the webhook and the email, the run's artifacts and
`laborwatch developments` all render the same run report, so every count they show is the
same number: developments, alerted, recorded only (with the reasons), messages sent,
recipients reached."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from laborwatch.cli import app
from laborwatch.flows.artifacts import developments_markdown, summary_markdown
from laborwatch.pipeline.options import RunOptions
from laborwatch.pipeline.report import RunReport
from laborwatch.pipeline.report_text import report_lines
from laborwatch.pipeline.run import run_pass
from laborwatch.pipeline.runner import LocalRunner
from laborwatch.settings import load_settings
from laborwatch.storage.store import Store
from tests.support.servers import http_server, smtp_inbox

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
PHRASE = re.compile(
    r"(\d+) developments?: (\d+) alerted, (\d+) recorded only(?: \((?P<reasons>[^)]*)\))?"
)


def _counts(text: str) -> tuple[int, int, int, str]:
    found = PHRASE.search(text)
    assert found, text[:500]
    total, alerted, recorded = (int(found.group(i)) for i in (1, 2, 3))
    return total, alerted, recorded, found.group("reasons") or ""


def test_every_output_of_a_run_shows_the_same_counts(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lw.db'}"
    artifacts: dict[str, str] = {}

    def publish(report: RunReport, _store: Store) -> None:
        artifacts["summary"] = summary_markdown(report)
        artifacts["developments"] = developments_markdown(report)

    with http_server() as hook, smtp_inbox() as inbox:
        settings = load_settings(None, sample=True)
        settings.database_url = db
        settings.alerts.urls = [f"json://127.0.0.1:{hook.port}/hook", inbox.apprise_url()]
        with LocalRunner() as local:
            report = run_pass(settings, RunOptions(), local, publish=publish)
        [post] = hook.posts()
        [mail] = inbox.wait_for(1)

    counts = report.counts()
    # Folding "also in this article" happens once, in the report: the sample folds some values.
    assert counts.folded > 0 and counts.alerted > 0 and counts.recorded_only > 0
    assert counts.developments == counts.alerted + counts.recorded_only
    assert set(counts.reasons) >= {"metric not alerted", "corroboration"}
    expected = (counts.developments, counts.alerted, counts.recorded_only)

    # stdout (the CLI prints these lines) and the summary line on stderr
    assert _counts(report_lines(report)[0])[:3] == expected
    assert _counts(report.summary_line())[:3] == expected
    assert "2 messages sent, 2 of 2 recipients reached" in report.summary_line()
    # the JSON
    data = report.to_dict()
    assert (data["counts"]["developments"], data["counts"]["alerted"]) == expected[:2]
    entries = [d for d in data["developments"] if d["folded_into"] is None]
    assert len(entries) == counts.alerted
    assert len(data["developments"]) - len(entries) <= counts.folded
    assert len(data["recorded_only"]) == counts.recorded_only
    assert all(item["reason"] for item in data["recorded_only"])
    assert (data["alerts"]["messages_sent"], data["alerts"]["recipients_reached"]) == (2, 2)
    # the alerts: one POST and one email, each counting the alerted developments
    assert f"{counts.alerted} labor developments" in json.loads(post.body)["message"]
    assert str(mail["Subject"]).startswith(f"{counts.alerted} labor developments; largest change")
    # the artifacts
    assert _counts(artifacts["developments"])[:3] == expected
    assert _counts(artifacts["summary"])[:3] == expected
    assert "2 messages sent, 2 of 2 recipients reached" in artifacts["summary"]
    # `laborwatch developments` over the same database, text and JSON
    listed = runner.invoke(app, ["developments", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert _counts(listed.stdout) == _counts(report_lines(report)[0])
    rows = json.loads(runner.invoke(app, ["developments", "--db", db, "--json"]).stdout)
    entries = [r for r in rows if r["outcome"] == "alerted" and r["folded_into"] is None]
    assert len(entries) == counts.alerted  # values folded into an entry are listed, not counted
    assert sum(1 for r in rows if r["outcome"] != "alerted") == counts.recorded_only
    # and every recorded-only line says why
    recorded_lines = [line for line in listed.stdout.splitlines() if line.startswith("◦")]
    assert len(recorded_lines) == counts.recorded_only
    assert all(re.search(r"— (metric not alerted|corroboration|below threshold|no watch)", line)
               for line in recorded_lines)  # fmt: skip


def test_cli_run_prints_the_report_and_its_summary(tmp_path: Path) -> None:
    # A subprocess: `run` sets up its stderr logging for the whole process.
    db = f"sqlite:///{tmp_path / 'lw.db'}"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", "run", "--sample", "--db", db],
        capture_output=True, text=True, timeout=300, env=env, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    shown = _counts(result.stdout)
    assert _counts(result.stderr) == shown
    bullets = [line for line in result.stdout.splitlines() if line.startswith("• ")]
    assert len(bullets) == shown[1], "one bullet per alerted development, as counted"
    assert "no alert target configured: nothing sent" in result.stderr


def test_a_source_with_an_error_for_every_article_counts_as_failed() -> None:
    from laborwatch.domain import SourceError
    from laborwatch.pipeline.report import SourceResult, SourceTally, source_failed

    offline = SourceResult(
        "Offline feed", "https://x.example/rss", [],
        [SourceError("https://x.example/rss", f"page {i}: connection refused", "fetch")
         for i in range(55)],
        tally=SourceTally(articles=55, figures=3),
    )  # fmt: skip
    report = RunReport(run_label="r", sources_total=1)
    report.add_source(offline)
    assert source_failed(offline) and report.sources_failed == 1
    assert report.per_source[0]["status"] == "failed"
    assert "1/1 sources (1 failed)" in report.summary_line()
    partly = SourceResult("Feed", "f", [], [SourceError("f", "page 1: HTTP 404", "fetch")],
                          tally=SourceTally(articles=5))  # fmt: skip
    assert not source_failed(partly)


def test_each_problem_of_a_run_is_one_line_on_stderr(tmp_path: Path) -> None:
    """A failing alert target and a missing source: the report's warning lines say each once,
    with no log record repeating them and the path not twice."""
    db = f"sqlite:///{tmp_path / 'lw.db'}"
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    missing = tmp_path / "gone.xml"
    feed = REPO / "data" / "samples" / "labor-news.xml"
    with http_server() as hook:
        hook.post_status = 500
        result = subprocess.run(
            [sys.executable, "-m", "laborwatch.cli", "run", "--sample", "--db", db,
             "--source", str(missing), "--source", str(feed),
             "--notify", f"json://127.0.0.1:{hook.port}/alerts"],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert [line for line in lines if str(missing) in line] == [
        f"warning: {missing}: no such file or folder"
    ], result.stderr
    delivery = [line for line in lines if "500" in line]
    assert len(delivery) == 1 and delivery[0].startswith("warning: alerts:"), result.stderr
    assert not [line for line in lines if line.startswith(("WARNING ", "ERROR "))], result.stderr


def test_a_source_backing_off_is_said_in_the_summary_and_its_row() -> None:
    from laborwatch.pipeline.report import SourceResult

    report = RunReport(run_label="r", sources_total=2)
    report.add_source(SourceResult("Feed", "f", [], []))
    report.add_source(SourceResult("Broken", "http://x", [], [], skipped="backing off until 06:19"))
    assert report.summary_line().startswith("2/2 sources (1 backing off), 0 articles")
    assert [row["status"] for row in report.per_source][1] == "skipped: backing off until 06:19"
