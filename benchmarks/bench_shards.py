"""Scale-out benchmark: throughput of the monitor as 1, 2 and 4 shard runs on PostgreSQL, with a
simulated fetch latency, printed as a ratio to one shard, and the peak memory per worker.

What runs is what production runs: a Prefect server, a `process` work pool, `prefect deploy` of
the shard and parent deployments, process workers, and the `monitor-shards` parent flow starting
N shard runs of `monitor/laborwatch-shard` at once (each with its local Dask cluster for page
parsing and extraction). The feeds and pages come from the benchmark corpus (benchmarks/workload)
on local ports, every response held back by `--latency` seconds, as a slow web would. Each N gets
a fresh PostgreSQL database, so every N does the same work: read every feed, fetch and analyse
every page, store and diff every article.

Throughput = articles stored / wall time of the shard runs (first start to last end, from the
Prefect API). Memory: each shard run's own peak RSS (`peak_mib`) and its largest Dask worker's
(`analysis_peak_mib`), from the runs' tally artifacts.

Run: python -m benchmarks.bench_shards --postgres postgresql+psycopg://postgres@127.0.0.1/test
(about five minutes on two cores)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.server import Corpus, _Protocol, prerender
from benchmarks.workload import feed_path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POOL = "bench-shards"


# --- the slow web ---------------------------------------------------------------------------------


class _SlowTransport:
    """Hands every response to the real transport `latency` seconds later."""

    def __init__(self, transport: asyncio.Transport, latency: float) -> None:
        self._transport, self._latency = transport, latency
        self._loop = asyncio.get_running_loop()

    def write(self, data: bytes) -> None:
        self._loop.call_later(self._latency, self._write, data)

    def _write(self, data: bytes) -> None:
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self._loop.call_later(self._latency, self._transport.close)

    def is_closing(self) -> bool:
        return self._transport.is_closing()


def serve_slow(feeds: int, entries: int, pages: Path, ports_file: Path, latency: float) -> None:
    """The corpus server of benchmarks/server.py, each answer held back by `latency` s."""

    class SlowProtocol(_Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            assert isinstance(transport, asyncio.Transport)
            self.transport = _SlowTransport(transport, latency)  # type: ignore[assignment]

    async def main() -> None:
        corpus = Corpus(feeds, entries, pages)
        loop = asyncio.get_running_loop()
        for _ in range(feeds):
            server = await loop.create_server(
                lambda: SlowProtocol(corpus), "127.0.0.1", 0, backlog=256
            )
            corpus.ports.append(server.sockets[0].getsockname()[1])
        ports_file.write_text(json.dumps(corpus.ports))
        await asyncio.Event().wait()

    asyncio.run(main())


# --- processes ------------------------------------------------------------------------------------


@contextmanager
def child(args: Sequence[str], log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A subprocess in its own process group, ended with its children on the way out."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(args), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        yield process
    finally:
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=grace)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue


def wait_for(probe: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
        except Exception:  # not up yet
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what}: not within {timeout:.0f} s")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefect(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "prefect"), *args], env=env, cwd=REPO, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"prefect {' '.join(args)}: {result.stdout}{result.stderr}")
    return result.stdout


# --- databases ------------------------------------------------------------------------------------


def new_database(admin_url: str) -> str:
    name = f"lw_bench_shards_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def stored_articles(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM articles")).scalar_one())
    finally:
        engine.dispose()


# --- one measurement ------------------------------------------------------------------------------


def write_config(path: Path, database_url: str, sources: list[str], dask_workers: int) -> Path:
    lines = [f'[database]\nurl = "{database_url}"\n']
    lines += [f'[[sources]]\nlocation = "{source}"\n' for source in sources]
    lines.append("[fetch]\nallow_private_addresses = true\n")
    lines.append(f"[scale]\ndask_workers = {dask_workers}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def api_json(api: str, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(method, f"{api}/{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def shard_runs(api: str, parent_id: str) -> list[dict[str, Any]]:
    """The shard runs the parent started (run_deployment links them as its subflows)."""
    tasks = api_json(
        api, "POST", "task_runs/filter",
        {"flow_runs": {"id": {"any_": [parent_id]}}, "limit": 200, "offset": 0},
    )  # fmt: skip
    ids = [t["id"] for t in tasks]
    body = {"flow_runs": {"parent_task_run_id": {"any_": ids}}, "limit": 200, "offset": 0}
    runs: list[dict[str, Any]] = api_json(api, "POST", "flow_runs/filter", body)
    return runs


def tallies(api: str, run_ids: list[str]) -> list[dict[str, Any]]:
    body = {
        "artifacts": {
            "key": {"any_": ["laborwatch-shard-tally"]},
            "flow_run_id": {"any_": run_ids},
        },
        "limit": 200,
        "offset": 0,
    }
    rows = []
    for artifact in api_json(api, "POST", "artifacts/filter", body):
        data = artifact["data"]
        rows += json.loads(data) if isinstance(data, str) else data
    return rows


def measure(
    api: str, parent_deployment: str, shards: int, config: Path, timeout: float
) -> dict[str, Any]:
    parameters = {"shards": shards, "parameters": {"config_path": str(config)}}
    run = api_json(
        api, "POST", f"deployments/{parent_deployment}/create_flow_run", {"parameters": parameters}
    )

    def finished() -> Any:
        current = api_json(api, "GET", f"flow_runs/{run['id']}")
        return current if current["state_type"] in ("COMPLETED", "FAILED", "CRASHED") else None

    parent = wait_for(finished, timeout, f"{shards} shard(s)")
    if parent["state_type"] != "COMPLETED":
        raise RuntimeError(f"{shards} shard(s): parent run {parent['state_name']}")
    runs = shard_runs(api, run["id"])
    starts = [datetime.fromisoformat(r["start_time"]) for r in runs]
    ends = [datetime.fromisoformat(r["end_time"]) for r in runs]
    rows = tallies(api, [r["id"] for r in runs])
    return {
        "shards": shards,
        "runs": len(runs),
        "wall": (max(ends) - min(starts)).total_seconds(),
        "articles": sum(int(row["articles"]) for row in rows),
        "peak_mib": max(float(row["peak_mib"]) for row in rows),
        "analysis_peak_mib": max(float(row["analysis_peak_mib"]) for row in rows),
    }


def report(results: list[dict[str, Any]]) -> None:
    base = results[0]["articles"] / results[0]["wall"]
    print("\nshards  articles  wall s  articles/s  ratio  peak MiB/shard run  peak MiB/Dask worker")
    for r in results:
        rate = r["articles"] / r["wall"]
        print(
            f"{r['shards']:>6}  {r['articles']:>8}  {r['wall']:>6.1f}  {rate:>10.1f}  "
            f"{rate / base:>5.2f}  {r['peak_mib']:>18.0f}  {r['analysis_peak_mib']:>20.0f}"
        )


# --- main -----------------------------------------------------------------------------------------


def start_corpus(args: argparse.Namespace, work: Path, env: dict[str, str]) -> Any:
    pages = work / "pages"
    for feed in range(args.feeds):
        prerender(pages, feed, range(args.entries))
    ports_file = work / "ports.json"
    command = [
        sys.executable, "-m", "benchmarks.bench_shards", "--serve", f"--feeds={args.feeds}",
        f"--entries={args.entries}", f"--latency={args.latency}", f"--work={work}",
    ]  # fmt: skip
    return command, ports_file


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("LABORWATCH_TEST_POSTGRES_URL"))
    parser.add_argument("--feeds", type=int, default=16)
    parser.add_argument("--entries", type=int, default=15, help="entries (pages) per feed")
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per response")
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--workers", type=int, default=2, help="process workers on the pool")
    parser.add_argument("--dask-workers", type=int, default=1, help="per shard run's cluster")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        ports = args.work / "ports.json"
        serve_slow(args.feeds, args.entries, args.work / "pages", ports, args.latency)
        return
    if not args.postgres:
        parser.error("--postgres URL (or LABORWATCH_TEST_POSTGRES_URL) is required")
    counts = [int(n) for n in args.shards.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as tmp:
        results = run_all(args, Path(tmp), counts)
    report(results)


def run_all(args: argparse.Namespace, work: Path, counts: list[int]) -> list[dict[str, Any]]:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LABORWATCH_"))}
    env.update(
        PREFECT_HOME=str(work / "prefect"), PREFECT_API_URL=api, PYTHONUNBUFFERED="1",
        PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_WORKER_QUERY_SECONDS="1",
    )  # fmt: skip
    command, ports_file = start_corpus(args, work, env)
    server_cmd = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", f"--port={port}"]
    with (
        child(command, work / "corpus.log", env),
        child(server_cmd, work / "server.log", env),
    ):
        wait_for(lambda: ports_file.exists() and ports_file.read_text(), 60, "corpus server")
        wait_for(lambda: httpx.get(f"{api}/health", timeout=5).status_code == 200, 300, "server")
        ports = json.loads(ports_file.read_text())
        sources = [f"http://127.0.0.1:{ports[f]}{feed_path(f)}" for f in range(args.feeds)]
        prefect(env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
        spec = (REPO / "deployments" / "prefect.yaml").read_text(encoding="utf-8")
        spec = spec.replace(
            "work_pool: &pool\n      name: laborwatch\n", f"work_pool: &pool\n      name: {POOL}\n"
        )
        (work / "prefect.yaml").write_text(spec, encoding="utf-8")
        prefect(
            env, "deploy", "--prefect-file", str(work / "prefect.yaml"),
            "--name", "laborwatch-shard", "--name", "laborwatch-shards",
        )  # fmt: skip
        parent = api_json(api, "GET", "deployments/name/monitor-shards/laborwatch-shards")["id"]
        workers = [
            [str(BIN / "prefect"), "worker", "start", "--pool", POOL, f"--name=w{n}",
             f"--limit={max(counts)}"]
            for n in range(args.workers)
        ]  # fmt: skip
        results = []
        with _workers(workers, work, env):
            for shards in counts:
                database = new_database(args.postgres)
                try:
                    config = write_config(
                        work / f"shards{shards}.toml", database, sources, args.dask_workers
                    )
                    result = measure(api, parent, shards, config, timeout=1800)
                    result["stored"] = stored_articles(database)
                finally:
                    drop_database(args.postgres, database)
                print(json.dumps(result), flush=True)
                results.append(result)
        return results


@contextmanager
def _workers(commands: list[list[str]], work: Path, env: dict[str, str]) -> Iterator[None]:
    if not commands:
        yield
        return
    with (
        child(commands[0], work / f"worker{len(commands)}.log", env),
        _workers(commands[1:], work, env),
    ):
        yield


if __name__ == "__main__":
    main()
