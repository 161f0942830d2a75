"""SIGKILL of a real `laborwatch run` in each phase, and database faults mid-run: the next run
finishes the work. Nothing stored is lost, no development goes without its alert, and no alert
is delivered twice.

Before issue #13 a source's fetch state was saved while its feed was read, before any of its
articles were stored (a rerun found it "not modified" and never stored the rest), alerts were
queued in a second transaction after the articles, and rows a killed run left 'sending' waited
30 minutes before anyone sent them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from laborwatch.storage import Store
from tests.reliability.conftest import (
    Gate,
    Hook,
    Wire,
    company,
    config_file,
    kill,
    run_cli,
    scalar,
    start_cli,
    wait_for,
)
from tests.support.servers import LocalHTTPServer, ReceivedRequest, Response


def _check_everything_once(db_url: str, hook: Hook, count: int, bulk: int = 0) -> None:
    """`count` stories (and `bulk` figure-less ones) stored, each with its one development,
    each delivered exactly once."""
    with Store.open(db_url) as store:
        assert store.counts()["articles"] == count + bulk
        developments = store.list_developments()
        assert sorted((d.subject, d.new_value) for d in developments) == sorted(
            (company(i), float(100 + i)) for i in range(count)
        )
        assert store.alert_counts() == {"sent": count, "pending": 0, "failed": 0}
    delivered = hook.times_delivered(developments)
    assert sorted(set(delivered.values())) == [1], {k: v for k, v in delivered.items() if v != 1}


def _setup(tmp_path: Path, site: Wire, hook_server: LocalHTTPServer) -> tuple[str, Path, Hook]:
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    hook = Hook(hook_server)
    config = config_file(
        tmp_path / "laborwatch.toml", db_url=db_url, sources=[site.feed_url], urls=[hook.url]
    )
    return db_url, config, hook


def test_killed_while_reading_the_feed_the_next_run_does_everything(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    site = wire(40)
    site.feed_gate = Gate()
    db_url, config, hook = _setup(tmp_path, site, hook_server)
    run = start_cli("run", "--config", str(config), cwd=tmp_path)
    wait_for(site.feed_gate.waiting.is_set, what="the feed request")
    kill(run)
    site.feed_gate.open()
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 40)


def test_killed_between_chunks_the_next_run_stores_the_rest(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    # 520 stories: the first chunk (500, of which 480 without figures: quick to store) is
    # stored while the second waits on the page of its last story, which hangs. The kill lands
    # after the first chunk's commit.
    site = wire(40, page_only={39}, bulk=480)
    site.page_gate = Gate()
    db_url, config, hook = _setup(tmp_path, site, hook_server)
    run = start_cli("run", "--config", str(config), cwd=tmp_path)
    wait_for(
        lambda: (
            site.page_gate is not None
            and site.page_gate.waiting.is_set()
            and scalar(db_url, "SELECT count(*) FROM articles") >= 500
        ),
        what="the first chunk stored and the second one hanging",
    )
    kill(run)
    assert scalar(db_url, "SELECT count(*) FROM articles") == 500
    # Every development stored so far has its alert queued (same transaction).
    assert scalar(db_url, "SELECT count(*) FROM developments") == 20
    assert scalar(db_url, "SELECT count(DISTINCT development_id) FROM alert_outbox") == 20
    site.page_gate.open()
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 40, bulk=480)


def test_killed_while_delivering_the_next_run_delivers_at_once_and_once(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    site = wire(40)
    db_url, config, hook = _setup(tmp_path, site, hook_server)
    hook.gate = Gate()
    run = start_cli("run", "--config", str(config), cwd=tmp_path)
    wait_for(hook.gate.waiting.is_set, what="the webhook call")
    kill(run)
    assert scalar(db_url, "SELECT count(*) FROM alert_outbox WHERE status = 'sending'") == 40
    hook.gate.open()
    # No 30-minute wait: the claimant is a dead process on this host, so its rows are free.
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 40)


def test_killed_between_messages_the_accepted_ones_are_not_sent_again(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    # One message per development: each is marked sent as soon as the receiver accepts it, so a
    # run killed while the fourth hangs leaves three sent and three to send.
    site = wire(6)
    db_url = f"sqlite:///{tmp_path / 'lw.db'}"
    hook = Hook(hook_server)
    config = config_file(
        tmp_path / "laborwatch.toml",
        db_url=db_url,
        sources=[site.feed_url],
        urls=[hook.url],
        extra='mode = "each"',
    )
    gate = Gate()

    def accept_three(request: ReceivedRequest) -> Response:
        if len(hook.accepted) >= 3 and not gate.opened.is_set():
            gate.hold()
            return Response(503, b"gave up")
        return hook.handle(request)

    hook_server.routes[hook.path] = accept_three
    run = start_cli("run", "--config", str(config), cwd=tmp_path)
    wait_for(gate.waiting.is_set, what="the fourth message")
    kill(run)
    assert scalar(db_url, "SELECT count(*) FROM alert_outbox WHERE status = 'sent'") == 3
    gate.open()
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 6)


def _trigger(db_url: str, sql: str) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def test_queueing_alerts_fails_then_the_next_run_stores_and_alerts_everything(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    """The crash between "articles committed" and "alerts queued": impossible now, since both
    are one transaction. Injected as a database that refuses outbox rows in the first run."""
    site = wire(30)
    db_url, config, hook = _setup(tmp_path, site, hook_server)
    Store.open(db_url).close()  # the schema, so the trigger has a table
    _trigger(
        db_url,
        "CREATE TRIGGER refuse_outbox BEFORE INSERT ON alert_outbox "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END",
    )
    run_cli("run", "--config", str(config), cwd=tmp_path)
    # Nothing half-done: no development without its alert.
    assert scalar(db_url, "SELECT count(*) FROM developments") == 0
    _trigger(db_url, "DROP TRIGGER refuse_outbox")
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 30)


def test_disk_full_mid_chunk_then_the_next_run_stores_the_rest(
    tmp_path: Path, wire: Callable[..., Wire], hook_server: LocalHTTPServer
) -> None:
    site = wire(63)
    db_url, config, hook = _setup(tmp_path, site, hook_server)
    Store.open(db_url).close()
    _trigger(
        db_url,
        "CREATE TRIGGER disk_full BEFORE INSERT ON articles "
        "WHEN (SELECT count(*) FROM articles) >= 20 "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )
    run_cli("run", "--config", str(config), cwd=tmp_path)
    assert scalar(db_url, "SELECT count(*) FROM articles") == 20
    _trigger(db_url, "DROP TRIGGER disk_full")
    again = run_cli("run", "--config", str(config), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    _check_everything_once(db_url, hook, 63)
