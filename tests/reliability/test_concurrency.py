"""Concurrent runs: several `laborwatch run` processes on one PostgreSQL database store every
article, figure and development once and send every alert once (outbox claims with FOR UPDATE
SKIP LOCKED, unique keys, per-key locks). On SQLite a writer waits for the lock, and when it
waited too long it says so in one line."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from laborwatch.alerts.targets import load_targets
from laborwatch.domain import Article, ArticleAnalysis
from laborwatch.pipeline.steps import deliver_outbox
from laborwatch.storage import Store
from tests.reliability.conftest import (
    Hook,
    Wire,
    company,
    config_file,
    scalar,
    start_cli,
)
from tests.reliability.test_delivery import _figures
from tests.support.servers import LocalHTTPServer

RUNS = 3


def test_concurrent_runs_on_postgresql_store_and_alert_everything_once(
    tmp_path: Path,
    wire: Callable[..., Wire],
    hook_server: LocalHTTPServer,
    postgres_url: Callable[[], str],
) -> None:
    db_url = postgres_url()
    site = wire(30)
    hook = Hook(hook_server)
    config = config_file(
        tmp_path / "laborwatch.toml", db_url=db_url, sources=[site.feed_url], urls=[hook.url]
    )
    runs = [start_cli("run", "--config", str(config), cwd=tmp_path) for _ in range(RUNS)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0] * RUNS, [err for _, err in outputs]
    assert scalar(db_url, "SELECT count(*) FROM articles") == 30
    assert scalar(db_url, "SELECT count(*) FROM figures") == 30
    assert scalar(db_url, "SELECT count(*) FROM developments") == 30
    assert (
        scalar(
            db_url,
            "SELECT count(*) FROM (SELECT DISTINCT subject, metric, unit, new_value "
            "FROM developments) AS d",
        )
        == 30
    )
    assert scalar(db_url, "SELECT count(*) FROM alert_outbox WHERE status = 'sent'") == 30
    with Store.open(db_url) as store:
        developments = store.list_developments()
    assert sorted(d.subject for d in developments) == sorted(company(i) for i in range(30))
    assert set(hook.times_delivered(developments).values()) == {1}


def test_concurrent_deliverers_on_postgresql_never_send_an_alert_twice(
    hook_server: LocalHTTPServer, postgres_url: Callable[[], str]
) -> None:
    db_url = postgres_url()
    hook = Hook(hook_server)
    [target] = load_targets([hook.url])
    with Store.open(db_url) as store:
        article = Article(source="wire", title="Cuts", text="…", url="https://x.org/a")
        [stored] = store.store_articles([(article, ArticleAnalysis(True, _figures(120)))])
        store.enqueue_alerts({d.id: [target.key] for d in stored.developments if d.id})
        developments = store.list_developments()
    stores = [Store(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(stores))

    def deliver(store: Store, name: str) -> None:
        barrier.wait()
        deliver_outbox(store, [target], mode="each", run_label=name, claimant=name)

    threads = [
        threading.Thread(target=deliver, args=(store, f"run-{n}")) for n, store in enumerate(stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for store in stores:
        store.close()
    assert scalar(db_url, "SELECT count(*) FROM alert_outbox WHERE status = 'sent'") == 120
    assert len(hook.accepted) == 120
    assert set(hook.times_delivered(developments).values()) == {1}


def test_sqlite_writer_waits_for_the_lock_then_says_clearly_that_it_gave_up(
    tmp_path: Path,
) -> None:
    from laborwatch.storage.errors import DatabaseLocked, StorageError

    path = tmp_path / "lw.db"
    Store.open(f"sqlite:///{path}").close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    with Store.open(f"sqlite:///{path}?timeout=5") as store:
        holder.execute("BEGIN IMMEDIATE")  # another process's writer, holding the lock
        release = threading.Timer(0.5, holder.rollback)
        release.start()
        started = time.monotonic()
        store.save_fetch_state("https://feed.example.org/rss", _state())
        assert time.monotonic() - started >= 0.4  # it waited, then wrote
        release.join()
    holder.execute("BEGIN IMMEDIATE")
    try:
        with (
            Store(f"sqlite:///{path}?timeout=0.3") as store,
            pytest.raises(DatabaseLocked) as caught,
        ):
            store.save_fetch_state("https://feed.example.org/rss", _state())
    finally:
        holder.rollback()
        holder.close()
    message = str(caught.value)
    assert isinstance(caught.value, StorageError) and "\n" not in message
    assert "locked by another process" in message and "0.3 s" in message and str(path) in message


def _state():  # type: ignore[no-untyped-def]
    from laborwatch.domain import FetchState

    return FetchState(last_status=200)
