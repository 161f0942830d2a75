"""Alerts a user can manage: readable target names, status and sent-time columns, alerts owed
to a removed target found, dropped or handed to another target, and plain words when there is
nothing to do."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from laborwatch.alerts.targets import target_key
from laborwatch.cli import app
from laborwatch.storage.outbox_admin import list_outbox
from laborwatch.storage.store import Store
from tests.support.config import write_config
from tests.support.seeds import seed_database
from tests.support.servers import http_server

runner = CliRunner()
GONE = "json://127.0.0.1:9/one-off"  # a --notify target of an earlier run, not configured now


def _owe(db: Path, url: str) -> int:
    store = Store.open(f"sqlite:///{db}")
    try:
        ids = [d.id for d in store.list_developments() if d.id is not None]
        store.enqueue_alerts({i: [target_key(url)] for i in ids})
        return len(ids)
    finally:
        store.close()


def test_alerts_owed_to_a_removed_target_are_named_and_can_be_reassigned(tmp_path: Path) -> None:
    db = seed_database(tmp_path / "lw.db")
    owed = _owe(db, GONE)
    with http_server() as receiver:
        url = f"json://127.0.0.1:{receiver.port}/hook"
        config = write_config(tmp_path / "c.toml", db=db, urls=[url], sources=[])
        listed = runner.invoke(app, ["alerts", "--config", str(config)], terminal_width=200)
        assert listed.exit_code == 0, listed.output
        gone = target_key(GONE)
        assert f"{gone} (no longer configured)" in listed.stdout
        assert "pending" in listed.stdout and "status" in listed.stdout and "sent" in listed.stdout
        assert f"--reassign {gone}=NAME" in " ".join(listed.stderr.split())

        # a run's delivery leaves them pending with that note, without counting an attempt
        retry = runner.invoke(app, ["alerts", "--config", str(config), "--retry"])
        assert "no longer configured" in retry.stderr and receiver.posts() == []

        moved = runner.invoke(
            app,
            ["alerts", "--config", str(config),
             "--reassign", f"{gone}=webhook 127.0.0.1:{receiver.port}", "--retry"],
        )  # fmt: skip
        assert moved.exit_code == 0, moved.output
        said = " ".join(moved.stderr.split())
        assert f"{owed} alert(s) owed to {gone} now go to webhook 127.0.0.1:{receiver.port}" in said
        assert f"{owed} alerts delivered in 1 message" in said
        assert len(receiver.posts()) == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        rows = list_outbox(store)
    finally:
        store.close()
    assert {row.status for row in rows} == {"sent"} and all(row.sent_at for row in rows)
    assert all(row.attempts == 0 for row in rows)


def test_drop_and_nothing_pending_are_said_plainly(tmp_path: Path) -> None:
    db = seed_database(tmp_path / "lw.db")
    owed = _owe(db, GONE)
    config = write_config(tmp_path / "c.toml", db=db, urls=["json://127.0.0.1:9/x"], sources=[])
    dropped = runner.invoke(app, ["alerts", "--config", str(config), "--drop", target_key(GONE)])
    assert dropped.exit_code == 0, dropped.output
    assert f"dropped {owed} undelivered alert(s) owed to {target_key(GONE)}" in dropped.stderr
    nothing = runner.invoke(app, ["alerts", "--config", str(config), "--retry", "--pending"])
    assert nothing.exit_code == 0
    assert "nothing pending: every alert has been delivered" in nothing.stderr
    assert "{" not in nothing.stderr  # no Python dict
    bad = runner.invoke(app, ["alerts", "--config", str(config), "--reassign", "x=nobody"])
    assert bad.exit_code == 2 and "no configured target named 'nobody'" in bad.stderr


def test_test_notify_without_targets_says_how_to_add_one(tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.toml", db=tmp_path / "x.db", urls=[], sources=[])
    result = runner.invoke(app, ["test-notify", "--config", str(config)])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert said == (
        "error: no alert target configured: add Apprise URLs to [alerts] urls in the config "
        "file, set LABORWATCH_NOTIFY_URLS, or pass --notify URL"
    )


def test_alerts_stored_with_no_target_are_shown_waiting_and_sent_once_one_is_configured(
    tmp_path: Path,
) -> None:
    db = tmp_path / "lw.db"
    feed = Path(__file__).resolve().parents[2] / "data" / "samples" / "labor-news.xml"
    bare = write_config(tmp_path / "none.toml", db=db, urls=[], sources=[str(feed)])
    ran = runner.invoke(app, ["run", "--config", str(bare)])
    assert ran.exit_code == 0, ran.output
    listed = runner.invoke(app, ["alerts", "--config", str(bare)], terminal_width=220)
    assert "(waiting for a target)" in listed.stdout and "no longer configured" not in listed.output
    said = " ".join(listed.stderr.split())
    assert "alert(s) wait for an alert target: add Apprise URLs" in said

    with http_server() as receiver:
        url = f"json://127.0.0.1:{receiver.port}/hook"
        config = write_config(tmp_path / "c.toml", db=db, urls=[url], sources=[])
        sent = runner.invoke(app, ["alerts", "--config", str(config), "--retry", "--pending"])
        assert sent.exit_code == 0, sent.output
        assert len(receiver.posts()) == 1
    store = Store.open(f"sqlite:///{db}")
    try:
        assert {row.status for row in list_outbox(store)} == {"sent"}
    finally:
        store.close()


def test_dropping_for_a_key_that_is_owed_nothing_is_an_error(tmp_path: Path) -> None:
    db = seed_database(tmp_path / "lw.db")
    _owe(db, GONE)
    config = write_config(tmp_path / "c.toml", db=db, urls=[], sources=[])
    typo = runner.invoke(app, ["alerts", "--config", str(config), "--drop", "json-nosuch"])
    assert typo.exit_code == 2
    said = " ".join(typo.stderr.split())
    assert f"no undelivered alerts owed to 'json-nosuch' (owed to: {target_key(GONE)})" in said
    store = Store.open(f"sqlite:///{db}")
    try:
        assert {row.status for row in list_outbox(store)} == {"pending"}  # nothing dropped
    finally:
        store.close()
