"""The `laborwatch` commands as a person runs them: extract, history, developments, alerts,
test-notify, and `run --json` keeping stdout pure JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from laborwatch.cli import app
from laborwatch.storage.store import Store
from tests.support.config import write_config
from tests.support.seeds import SEEDS
from tests.support.servers import http_server

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_extract_json_follows_the_contract() -> None:
    result = runner.invoke(app, ["extract", str(SEEDS[0]), "--json"])
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item["path"] == str(SEEDS[0]) and item["labor_relevant"] is True
    deficit = [f for f in item["figures"] if f["metric"] == "deficit"]
    assert deficit and deficit[0]["value"] == 3.3e9 and deficit[0]["unit"] == "USD"
    assert set(deficit[0]) == {
        "text", "value", "unit", "metric", "approx", "subject", "sentence", "start", "end",
    }  # fmt: skip


def test_extract_reads_standard_input() -> None:
    text = "Acme Corp. said it will lay off 250 workers at its Dayton plant, about 10 percent."
    result = runner.invoke(app, ["extract", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)
    assert item["path"] == "-"
    assert any(f["value"] == 250 and f["metric"] == "layoffs" for f in item["figures"])


def test_extract_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), "--json"])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr


def test_history_and_developments(seeded: Path) -> None:
    url = f"sqlite:///{seeded}"
    history = json.loads(runner.invoke(app, ["history", "--db", url, "--json"]).stdout)
    concessions = [h["value"] for h in history if h["metric"] == "concessions"]
    assert 2e9 in concessions and 7e8 in concessions
    result = runner.invoke(app, ["developments", "--db", url, "--json"])
    devs = json.loads(result.stdout)
    change = [d for d in devs if d["metric"] == "deficit" and d["kind"] == "changed"]
    assert change and change[0]["old_value"] == 3.3e9 and change[0]["new_value"] == 3.6e9
    assert (
        json.loads(
            runner.invoke(
                app, ["developments", "--db", url, "--since", "2999-01-01", "--json"]
            ).stdout
        )
        == []
    )
    bad = runner.invoke(app, ["developments", "--db", url, "--since", "last tuesday"])
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_alerts_retry_delivers_the_pending_outbox_once(seeded: Path, tmp_path: Path) -> None:
    with http_server() as receiver:
        url = f"json://127.0.0.1:{receiver.port}/hook"
        config = write_config(tmp_path / "c.toml", db=seeded, urls=[url], sources=[])
        from laborwatch.alerts.targets import target_key

        store = Store.open(f"sqlite:///{seeded}")
        try:
            ids = [d.id for d in store.list_developments() if d.id is not None]
            store.enqueue_alerts({i: [target_key(url)] for i in ids})
        finally:
            store.close()
        pending = runner.invoke(app, ["alerts", "--config", str(config), "--pending"])
        assert pending.exit_code == 0 and f"webhook 127.0.0.1:{receiver.port}" in pending.stdout
        sent = runner.invoke(app, ["alerts", "--config", str(config), "--retry"])
        assert sent.exit_code == 0, sent.output
        assert len(receiver.posts()) == 1
        again = runner.invoke(app, ["alerts", "--config", str(config), "--retry"])
        assert again.exit_code == 0 and len(receiver.posts()) == 1


def test_test_notify_reaches_the_receiver_and_reports_failures() -> None:
    with http_server() as receiver:
        url = f"json://127.0.0.1:{receiver.port}/hook"
        ok = runner.invoke(app, ["test-notify", "--notify", url])
        assert ok.exit_code == 0, ok.output
        assert "laborwatch test alert" in json.loads(receiver.posts()[0].body)["message"]
        receiver.post_status = 500
        failed = runner.invoke(app, ["test-notify", "--notify", url])
        assert failed.exit_code == 1 and "failed" in failed.stdout


def test_a_bad_config_value_is_refused_with_its_name(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[alerts]\nmin_relative_change = -1\n", encoding="utf-8")
    result = runner.invoke(app, ["history", "--config", str(config)])
    assert result.exit_code == 2
    assert "alerts.min_relative_change" in result.stderr


def test_run_json_prints_only_json_on_stdout(tmp_path: Path) -> None:
    config = write_config(tmp_path / "r.toml", db=tmp_path / "r.db", urls=[], sources=[])
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run(
        [sys.executable, "-m", "laborwatch.cli", "run", "--config", str(config),
         "--source", str(SEEDS[0]), "--json"],
        capture_output=True, text=True, timeout=180, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert set(report) >= {"developments", "alerts", "errors"}
    assert {d["metric"] for d in report["developments"]} >= {"concessions", "deficit"}
    keys = set(report["developments"][0])
    assert keys >= {
        "kind", "subject", "metric", "unit", "old_value", "new_value", "approx", "text",
        "sentence", "article_title", "article_url", "published",
    }  # fmt: skip


def test_sources_shows_health(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from laborwatch.ingest.health import record_failure, record_success

    db = tmp_path / "h.db"
    store = Store.open(f"sqlite:///{db}")
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    try:
        state = None
        for _ in range(5):
            state = record_failure(state, now, kind="hard", message="HTTP 404", status=404)
        assert state is not None
        store.save_fetch_state("https://gone.example.org/feed", state, label="Gone feed")
        store.save_fetch_state(
            "https://ok.example.org/rss", record_success(None, now, status=200), label="Good feed"
        )
    finally:
        store.close()
    result = runner.invoke(app, ["sources", "--db", f"sqlite:///{db}"], terminal_width=200)
    assert result.exit_code == 0, result.output
    gone = next(line for line in result.stdout.splitlines() if "Gone feed" in line)
    assert "404" in gone and "5 (15.0)" in gone and "2026-11-02" in gone  # paused for a day
    assert "Good feed" in result.stdout
