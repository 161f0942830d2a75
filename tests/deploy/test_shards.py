"""Scale-out, end to end: `prefect deploy` of the shard and parent deployments, 2 process workers,
a Dask scheduler and worker reached by address, 4 shard runs against one PostgreSQL database.
The union of the shards equals one unsharded run of the same feeds (articles, figures,
developments, none twice), and a real local webhook receives every alert exactly once.

Also the shard split itself (no server): stable by location, disjoint, covering every source."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from laborwatch.pipeline.options import RunOptions, apply_options, in_shard, shard_of
from laborwatch.settings import Settings, sources_from_locations
from tests.deploy.conftest import PREFECT, REPO, Child, PrefectServer, start_child, wait_until
from tests.deploy.e2e_support import RunReader
from tests.support.config import write_config
from tests.support.servers import LocalHTTPServer, Response, free_port

POSTGRES_ENV = "LABORWATCH_TEST_POSTGRES_URL"
FEEDS = 12
SHARDS = 4
EMPLOYERS = (
    "Harlow Axle", "Corvane Foods", "Brightwell Textiles", "Kestrel Paper", "Dunmore Glass",
    "Ashgrove Motors", "Pellham Steel", "Tarrant Mills", "Quillon Health", "Norcastle Brewing",
    "Vossberg Plastics", "Elmridge Telecom", "Wexford Airlines", "Calder Furniture",
    "Ormond Chemicals", "Radley Electronics", "Sefton Bakeries", "Halvard Logistics",
    "Brennock Aerospace", "Fairlie Pharmaceuticals", "Ivers Hospital", "Lumsden Systems",
    "Marwick Industries", "Stroud Group",
)  # fmt: skip


# --- the split, without a server --------------------------------------------------------------


def test_shards_are_disjoint_cover_every_source_and_do_not_depend_on_order() -> None:
    locations = [f"https://news{i}.example.org/feed.xml" for i in range(40)]
    sources = sources_from_locations(locations)
    for count in (1, 2, 4, 7):
        parts = [in_shard(sources, f"{k}/{count}") for k in range(1, count + 1)]
        seen = [s.location for part in parts for s in part]
        assert sorted(seen) == sorted(locations)  # every source once
    shuffled = sources_from_locations([*reversed(locations), "https://late.example.org/"])
    assert {s.location for s in in_shard(shuffled, "3/4")} - {"https://late.example.org/"} == {
        s.location for s in in_shard(sources, "3/4")
    }
    assert shard_of(locations[0], 4) == shard_of(locations[0], 4) and 1 <= shard_of("x", 4) <= 4


def test_the_shard_option_is_validated_and_applied() -> None:
    settings = Settings(sources=sources_from_locations([f"/feeds/{i}.xml" for i in range(9)]))
    assert RunOptions(shard=" 2 / 3 ").shard == "2/3"
    for bad in ("0/3", "4/3", "a/b", "3"):
        with pytest.raises(ValueError):
            RunOptions(shard=bad)
    total = sum(len(apply_options(settings, RunOptions(shard=f"{k}/3")).sources) for k in (1, 2, 3))
    assert total == 9


# --- end to end -----------------------------------------------------------------------------


def feed_xml(feed: int, base: str) -> bytes:
    """Two employers of this feed only (a history key never spans shards), four reports each
    with a growing layoff count: one new and three changed developments per employer."""
    items = []
    start = datetime(2024, 3, 1, tzinfo=UTC)
    for j in range(2):
        employer = EMPLOYERS[feed * 2 + j]
        for e in range(4):
            count = (200 + 40 * feed + 10 * j) * (e + 1)
            when = start + timedelta(days=e, hours=feed, minutes=j)
            body = (
                f"{employer} Co. will close its plant in Toledo, Ohio by June and will lay off "
                f"{count} workers, the company told state officials in a WARN notice filed "
                "Monday. The cuts follow a slump in orders."
            )
            items.append(
                f"<item><title>{employer} to lay off {count} workers</title>"
                f"<link>{base}/news/{feed}/{j}/{e}.html</link>"
                f"<guid isPermaLink='false'>f{feed}-{j}-{e}</guid>"
                f"<pubDate>{format_datetime(when)}</pubDate>"
                f"<description>{body}</description>"
                f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>"
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Feed {feed}</title><link>{base}</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def new_database(admin_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def database_contents(url: str) -> dict[str, Counter[tuple[Any, ...]]]:
    queries = {
        "articles": "SELECT guid, url FROM articles",
        "figures": "SELECT subject, metric, value FROM figures",
        "developments": "SELECT kind, subject, metric, old_value, new_value FROM developments",
    }
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                name: Counter(tuple(row) for row in connection.execute(text(sql)))
                for name, sql in queries.items()
            }
    finally:
        engine.dispose()


def outbox_statuses(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT status FROM alert_outbox"))
            return Counter(status for (status,) in rows)
    finally:
        engine.dispose()


@pytest.fixture()
def admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    return url


@pytest.fixture()
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    try:
        yield started
    finally:
        for child in reversed(started):
            child.stop()


def _prefect(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(PREFECT), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def spec_on_pool(work: Path, pool: str) -> Path:
    """prefect.yaml on this test's own work pool (`deploy --pool` is ignored for several)."""
    text = (REPO / "deployments" / "prefect.yaml").read_text(encoding="utf-8")
    old = "work_pool: &pool\n      name: laborwatch\n"
    assert old in text
    path = work / "prefect.yaml"
    path.write_text(text.replace(old, f"work_pool: &pool\n      name: {pool}\n"), encoding="utf-8")
    return path


def _start_dask(env: dict[str, str], work: Path, children: list[Child]) -> str:
    port = free_port()
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{port}"
    scheduler = start_child(
        "dask scheduler",
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        env=env,
        cwd=REPO,
        log=work / "dask-scheduler.log",
    )
    children.append(scheduler)
    worker = start_child(
        "dask worker",
        [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        env=env,
        cwd=REPO,
        log=work / "dask-worker.log",
    )
    children.append(worker)
    wait_until(
        lambda: "Starting established connection" in worker.log.read_text(errors="replace"),
        timeout=60,
        what="dask worker connected",
    )
    return address


def _child_runs(api_url: str, deployment_id: str) -> list[dict[str, Any]]:
    body = {"deployments": {"id": {"any_": [deployment_id]}}, "limit": 50, "offset": 0}
    response = httpx.post(f"{api_url}/flow_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    runs: list[dict[str, Any]] = response.json()
    return runs


@pytest.mark.e2e
@pytest.mark.postgres
@pytest.mark.timeout(300)
def test_four_shards_on_two_workers_equal_one_run_and_alert_once(
    prefect_server: PrefectServer,
    admin_url: str,
    children: list[Child],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    work = tmp_path_factory.mktemp("shards")
    env = prefect_server.client_env(work / "home", PREFECT_WORKER_QUERY_SECONDS="1")
    feeds, hook = LocalHTTPServer().start(), LocalHTTPServer().start()
    sharded_db = new_database(admin_url, "lw_shards")
    single_db = new_database(admin_url, "lw_single")
    try:
        for f in range(FEEDS):
            feeds.routes[f"/feed/{f}.xml"] = Response(
                200, feed_xml(f, feeds.base_url), {"Content-Type": "application/rss+xml"}
            )
        sources = [feeds.url(f"/feed/{f}.xml") for f in range(FEEDS)]
        address = _start_dask(env, work, children)
        scale = f'\n[scale]\ndask_address = "{address}"\nanalysis_min_articles = 1\n'
        config = write_config(
            work / "shards.toml",
            db=work / "unused.db",
            urls=[f"json://127.0.0.1:{hook.port}/alerts"],
            sources=sources,
            alerts='mode = "each"\nmin_relative_change = 0.0',
            extra=scale,
        )
        config.write_text(config.read_text().replace(f"sqlite:///{work / 'unused.db'}", sharded_db))

        pool = "shards-e2e"
        _prefect(env, "work-pool", "create", pool, "--type", "process", "--overwrite")
        _prefect(
            env, "deploy", "--prefect-file", str(spec_on_pool(work, pool)),
            "--name", "laborwatch-shard", "--name", "laborwatch-shards",
        )  # fmt: skip
        for n in (1, 2):
            children.append(
                start_child(
                    f"worker {n}",
                    [str(PREFECT), "worker", "start", "--pool", pool, "--name", f"w{n}",
                     "--limit", "2"],
                    env=env,
                    cwd=REPO,
                    log=work / f"worker{n}.log",
                )
            )  # fmt: skip
        api = prefect_server.api_url
        parent = httpx.get(f"{api}/deployments/name/monitor-shards/laborwatch-shards").json()
        shard = httpx.get(f"{api}/deployments/name/monitor/laborwatch-shard").json()
        assert parent["work_pool_name"] == pool and shard["work_pool_name"] == pool
        parameters = {"shards": SHARDS, "parameters": {"config_path": str(config)}}
        created = httpx.post(
            f"{api}/deployments/{parent['id']}/create_flow_run",
            json={"parameters": parameters},
            timeout=10,
        )
        created.raise_for_status()
        reader = RunReader(api)
        try:
            final = reader.wait_for_final_state(created.json()["id"], timeout=200)
            logs = "\n".join(child.tail(30) for child in children[2:])
            assert final.state is not None and final.state.is_completed(), logs
            [summary] = [
                a for a in reader.artifacts(final.id) if a.key == "laborwatch-shards-summary"
            ]
            shard_runs = _child_runs(api, shard["id"])
            tasks = [t.name for r in shard_runs for t in reader.task_runs(r["id"])]
        finally:
            reader.close()
        assert sorted(r["parameters"]["shard"] for r in shard_runs) == [
            f"{k}/4" for k in range(1, 5)
        ]
        assert all(r["state_type"] == "COMPLETED" for r in shard_runs)
        assert len({r["work_queue_id"] for r in shard_runs}) >= 1
        assert any(name.startswith("parse and extract") for name in tasks), tasks
        assert f"**{FEEDS}**" in str(summary.data)  # every source, once, over the shards

        baseline = write_config(
            work / "single.toml", db=work / "unused.db", urls=[], sources=sources,
            alerts="min_relative_change = 0.0",
        )  # fmt: skip
        baseline.write_text(
            baseline.read_text().replace(f"sqlite:///{work / 'unused.db'}", single_db)
        )
        single = subprocess.run(
            [sys.executable, "-m", "laborwatch.cli", "run", "--config", str(baseline)],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert single.returncode == 0, single.stdout + single.stderr

        sharded, alone = database_contents(sharded_db), database_contents(single_db)
        assert sharded == alone
        assert len(sharded["articles"]) == FEEDS * 8
        assert len(sharded["developments"]) == FEEDS * 8  # one new + three changed per employer
        for counts in sharded.values():
            assert max(counts.values()) == 1, "a duplicate row"
        statuses = outbox_statuses(sharded_db)
        posts = hook.posts()
        assert statuses == Counter({"sent": len(posts)})
        assert len(posts) == FEEDS * 8
        assert len({post.body for post in posts}) == len(posts), "an alert sent twice"
    finally:
        feeds.stop()
        hook.stop()
        drop_database(admin_url, sharded_db)
        drop_database(admin_url, single_db)
