"""Pipeline benchmark: the real `monitor` flow over a synthetic corpus served on 127.0.0.1.

    .venv/bin/python benchmarks/bench_pipeline.py                 # 500 feeds × 40 entries
    .venv/bin/python benchmarks/bench_pipeline.py --feeds 20 --entries 10   # quick (< 1 min)

Prints, for the same corpus in one process: the cold run through `monitor` (articles/s, peak
RSS, per-stage seconds), the floor (a minimal sequential GET + feedparser + BeautifulSoup +
regex loop) and their ratio, a warm run (everything 304), a run with 1% new entries, history
scaling (time per new article with 10k vs 200k stored figures) and, when
LABORWATCH_BENCH_POSTGRES_URL is set, the cold run on PostgreSQL. A script, not a test: it
prints numbers and the targets next to them.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
# Prefect logs every task run, and the synthetic feeds (dated 2024) raise "went silent"
# notices; the benchmark prints its own numbers.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline machine

import feedparser  # noqa: E402
import httpx  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from benchmarks.server import prerender  # noqa: E402
from benchmarks.workload import BASE_TIME, employer_name, feed_path, render_page  # noqa: E402

HISTORY_FIRST = 100_000  # entry numbers of the history-scaling articles: never seen before
_NUMBER = re.compile(r"\$?\d[\d,]*(?:\.\d+)?\s*(?:million|billion|percent|%)?")


# --- the corpus server ----------------------------------------------------------------------------


@dataclass
class Corpus:
    feeds: int
    entries: int
    pages: Path
    ports: list[int] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    def feed_url(self, feed: int, query: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[feed]}{feed_path(feed)}{query}"

    def set_first(self, first: dict[int, int]) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.ports[0]}/_first",
            data=json.dumps(first).encode(),
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).read()

    def stats(self) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.ports[0]}/_stats"
        result: dict[str, Any] = json.loads(urllib.request.urlopen(url, timeout=10).read())
        return result


def _prerender_feed(job: tuple[str, int, int, int]) -> None:
    pages, feed, first, stop = job
    prerender(Path(pages), feed, range(first, stop))


def start_corpus(args: argparse.Namespace, work: Path, extra: dict[int, range]) -> Corpus:
    pages = work / "pages"
    jobs = [(str(pages), f, 0, args.entries) for f in range(args.feeds)]
    jobs += [(str(pages), f, r.start, r.stop) for f, r in extra.items()]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(_prerender_feed, jobs, chunksize=4))
    print(f"pre-rendered pages in {time.perf_counter() - started:.1f} s", flush=True)
    ports_file = work / "ports.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.server",
            f"--feeds={args.feeds}",
            f"--entries={args.entries}",
            f"--pages={pages}",
            f"--ports-file={ports_file}",
        ],
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while not ports_file.exists() or not ports_file.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the corpus server did not start")
        time.sleep(0.05)
    corpus = Corpus(args.feeds, args.entries, pages, json.loads(ports_file.read_text()), process)
    return corpus


def measure_server_alone(corpus: Corpus, requests: int = 2000) -> float:
    """Requests per second the server answers to one sequential keep-alive client."""
    urls = [
        f"http://127.0.0.1:{corpus.ports[0]}/news/0/{e % corpus.entries}.html"
        for e in range(requests)
    ]
    with httpx.Client() as client:
        started = time.perf_counter()
        for url in urls:
            client.get(url, headers={"Accept-Encoding": "identity"}).raise_for_status()
        return requests / (time.perf_counter() - started)


# --- the floor ------------------------------------------------------------------------------------


def floor_loop(corpus: Corpus) -> tuple[float, int]:
    """The least any pipeline must do, sequentially: GET each feed, feedparser it, GET each
    page, BeautifulSoup("lxml") it, and regex-scan its text for numbers."""
    articles = 0
    started = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for feed in range(corpus.feeds):
            response = client.get(corpus.feed_url(feed))
            parsed = feedparser.parse(io.BytesIO(response.content))
            for entry in parsed.entries:
                page = client.get(entry.link)
                text = BeautifulSoup(page.content, "lxml").get_text(" ")
                _NUMBER.findall(text)
                articles += 1
    return time.perf_counter() - started, articles


# --- runs through the flow ------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    wall: float
    articles: int
    figures: int
    developments: int
    errors: int
    stages: dict[str, float]
    report_mib: float = 0.0  # what the returned RunReport holds
    peak_mib: float = 0.0  # this process's peak RSS during the flow run alone (VmHWM, reset)


def deep_size(root: object) -> int:
    """Bytes of `root` and everything it references, each object counted once (slots too)."""
    seen: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, type):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        elif not isinstance(obj, str | bytes | int | float | bool):
            for name in getattr(type(obj), "__slots__", ()):
                stack.append(getattr(obj, name, None))
            stack.extend(getattr(obj, "__dict__", {}).values())
    return total


def write_config(path: Path, database_url: str) -> Path:
    path.write_text(
        f'[database]\nurl = "{database_url}"\n\n[fetch]\nallow_private_addresses = true\n',
        encoding="utf-8",
    )
    return path


def run_monitor(label: str, sources: Sequence[str], config: Path) -> Run:
    from laborwatch.flows.monitor import monitor

    reset_peak_rss()
    started = time.perf_counter()
    report = monitor(sources=list(sources), config_path=str(config))
    wall = time.perf_counter() - started
    # Read before deep_size below: measuring the report walks it with a large id set, and
    # neither that nor the floor loop run earlier in this process is the pipeline's memory.
    peak = current_peak_mib()
    run = Run(
        label,
        wall,
        report.articles,
        report.figures,
        len(report.developments) + len(report.recorded_only),
        len(report.errors),
        dict(report.stage_seconds),
        deep_size(report) / 2**20,
        peak,
    )
    if report.errors:
        print(f"  {label}: {len(report.errors)} error(s), first: {report.errors[0].message}")
    return run


def show(run: Run) -> None:
    rate = run.articles / run.wall if run.wall else 0.0
    stages = ", ".join(f"{k} {run.stages.get(k, 0.0):.1f}" for k in STAGES)
    print(
        f"{run.label}: {run.wall:.1f} s, {run.articles} articles ({rate:.1f}/s), "
        f"{run.figures} figures, {run.developments} developments, {run.errors} errors; "
        f"the returned report holds {run.report_mib:.1f} MiB\n"
        f"  busy seconds per stage (summed over threads and processes): {stages}",
        flush=True,
    )


STAGES = ("fetch", "parse", "extract", "store", "diff", "alert")


# --- memory ---------------------------------------------------------------------------------------


def reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets this process's VmHWM (peak resident set)."""
    Path("/proc/self/clear_refs").write_text("5")


def current_peak_mib() -> float:
    """VmHWM since the last reset_peak_rss()."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def own_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reaped_children_peak_mib() -> float:
    """Largest peak of the child processes that ended (the analysis workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def prefect_server_peak_mib() -> tuple[int | None, float]:
    """Peak RSS of the temporary Prefect API server this process started, if it is running."""
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s*(\d+)", status, re.M)
        if not ppid or int(ppid[1]) != me or "prefect" not in cmdline:
            continue
        peak = re.search(r"^VmHWM:\s*(\d+)", status, re.M)
        return int(entry.name), (int(peak[1]) / 1024 if peak else 0.0)
    return None, 0.0


# --- history scaling ------------------------------------------------------------------------------


def history_keys(feeds: int, entries: int, extra: int) -> list[tuple[str, str, str]]:
    """(subject, metric, unit) keys the history articles will produce, found by extracting them,
    plus `extra` keys of other employers: the pre-filled history covers both."""
    from laborwatch.parsers.analyze import analyze_article
    from laborwatch.parsers.html_text import extract_article_text

    keys: set[tuple[str, str, str]] = set()
    for feed in range(feeds):
        for entry in range(HISTORY_FIRST, HISTORY_FIRST + entries):
            title, text = extract_article_text(render_page(feed, entry, ""))
            for figure in analyze_article(title, text).figures:
                keys.add((figure.subject, figure.metric, figure.unit))
    metrics = [
        ("layoffs", "people"),
        ("workforce", "people"),
        ("savings", "USD"),
        ("wages", "percent"),
    ]
    for i in range(extra):
        metric, unit = metrics[i % len(metrics)]
        keys.add((employer_name(1000 + i).rsplit(" ", 1)[0], metric, unit))
    return sorted(keys)


def prefill(database_url: str, figures: int, keys: list[tuple[str, str, str]]) -> float:
    """Store articles of 25 figures each through Store until `figures` figures are stored."""
    from laborwatch.domain import Article, ArticleAnalysis, Figure
    from laborwatch.storage.store import Store

    rng = random.Random(figures)
    started = time.perf_counter()
    per_article = 25
    with Store.open(database_url) as store:
        pending: list[tuple[Article, ArticleAnalysis]] = []
        for i in range(math.ceil(figures / per_article)):
            chosen = [rng.choice(keys) for _ in range(per_article)]
            batch = [
                Figure(
                    text=f"{value:,} things",
                    value=float(value),
                    unit=unit,  # type: ignore[arg-type]
                    metric=metric,
                    approx=False,
                    sentence=f"{subject} reported {value:,} ({metric}).",
                    start=0,
                    end=1,
                    subject=subject,
                )
                for (subject, metric, unit), value in (
                    (key, rng.randrange(10, 10_000_000)) for key in chosen
                )
            ]
            article = Article(
                source="bench://history",
                title=f"History article {i}",
                text=f"History article {i} with {per_article} figures.",
                url=f"https://history.example/{i}",
                guid=f"history-{i}",
                published=BASE_TIME - timedelta(days=30, minutes=i),
                position=i,
            )
            pending.append((article, ArticleAnalysis(labor_relevant=True, figures=batch)))
            if len(pending) == 200:  # one transaction per 200 articles, as the flow stores
                store.store_articles(pending)
                pending = []
        store.store_articles(pending)
        stored = store.counts()["figures"]
    print(f"  pre-filled {stored} figures in {time.perf_counter() - started:.0f} s", flush=True)
    return time.perf_counter() - started


# --- PostgreSQL -----------------------------------------------------------------------------------


def postgres_schema_url(base: str, schema: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def drop_postgres_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


# --- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=40)
    parser.add_argument("--history-feeds", type=int, default=20)
    # 20 × 40 = 800 new articles per history run: with 200, the run's fixed cost (flow start,
    # 20 feed requests) was half the time per article, and its jitter decided the ratio.
    parser.add_argument("--history-entries", type=int, default=40)
    parser.add_argument("--history-small", type=int, default=10_000, help="figures stored")
    parser.add_argument("--history-large", type=int, default=200_000, help="figures stored")
    parser.add_argument("--skip-history", action="store_true")
    args = parser.parse_args(argv)
    total = args.feeds * args.entries
    new_total = max(1, round(total * 0.01))
    changed_feeds = min(args.feeds, new_total)
    new_per_feed = math.ceil(new_total / changed_feeds)
    history_feeds = min(args.history_feeds, args.feeds)
    extra = {f: range(args.entries, args.entries + new_per_feed) for f in range(changed_feeds)}
    table: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory(prefix="laborwatch-bench-") as tmp:
        work = Path(tmp)
        for f in range(history_feeds):
            prerender(work / "pages", f, range(HISTORY_FIRST, HISTORY_FIRST + args.history_entries))
        corpus = start_corpus(args, work, extra)
        try:
            print(
                f"corpus: {args.feeds} feeds × {args.entries} entries = {total} articles, "
                f"pages {_page_sizes(corpus)}; server alone: "
                f"{measure_server_alone(corpus):.0f} requests/s (one sequential client)",
                flush=True,
            )
            sources = [corpus.feed_url(f) for f in range(args.feeds)]

            # Start the temporary Prefect server outside the measurements.
            started = time.perf_counter()
            warmup = write_config(work / "warmup.toml", f"sqlite:///{work / 'warmup.db'}")
            run_monitor("prefect warm-up", [corpus.feed_url(0, "?count=1")], warmup)
            prefect_start = time.perf_counter() - started
            print(f"Prefect temporary server + first flow run: {prefect_start:.1f} s", flush=True)

            floor_seconds, floor_articles = floor_loop(corpus)
            print(
                f"floor: {floor_seconds:.1f} s for {floor_articles} articles "
                f"({floor_articles / floor_seconds:.1f}/s)",
                flush=True,
            )

            config = write_config(work / "bench.toml", f"sqlite:///{work / 'bench.db'}")
            cold = run_monitor("cold (SQLite)", sources, config)
            show(cold)
            own_peak = own_peak_mib()
            workers_peak = reaped_children_peak_mib()
            prefect_pid, prefect_peak = prefect_server_peak_mib()
            print(
                f"peak RSS: flow process during the cold run {cold.peak_mib:.0f} MiB "
                f"(whole benchmark process, floor loop and report measuring included: "
                f"{own_peak:.0f} MiB); each analysis worker ≤ "
                f"{workers_peak:.0f} MiB; Prefect temporary server (pid {prefect_pid}, a "
                f"subprocess) {prefect_peak:.0f} MiB",
                flush=True,
            )
            ratio = cold.wall / floor_seconds
            table.append(("cold run (SQLite)", f"{cold.articles / cold.wall:.1f} articles/s", ""))
            table.append(
                ("floor (sequential)", f"{floor_articles / floor_seconds:.1f} articles/s", "")
            )
            table.append(("pipeline / floor", f"{ratio:.2f}", "≤ 1.0"))
            table.append(
                ("peak RSS, flow process in the cold run", f"{cold.peak_mib:.0f} MiB", "≤ 600 MB")
            )
            table.append(("peak RSS, whole benchmark process", f"{own_peak:.0f} MiB", ""))
            table.append(("peak RSS, one analysis worker", f"{workers_peak:.0f} MiB", ""))
            table.append(("peak RSS, Prefect temp server", f"{prefect_peak:.0f} MiB", ""))

            warm = run_monitor("warm (all 304)", sources, config)
            show(warm)
            table.append(("warm run", f"{warm.wall:.1f} s", ""))
            table.append(("warm / cold", f"{warm.wall / cold.wall:.3f}", "≤ 0.05"))

            corpus.set_first({f: new_per_feed for f in range(changed_feeds)})
            fresh = run_monitor(f"1% new ({changed_feeds * new_per_feed} entries)", sources, config)
            show(fresh)
            per_new = fresh.wall / max(1, fresh.articles)
            table.append(("1% new: time per new article", f"{per_new * 1000:.0f} ms", ""))
            corpus.set_first({})

            if not args.skip_history:
                history_sources = [
                    corpus.feed_url(f, f"?first={HISTORY_FIRST}&count={args.history_entries}")
                    for f in range(history_feeds)
                ]
                keys = history_keys(history_feeds, args.history_entries, extra=2000)
                per_article: dict[int, tuple[float, float]] = {}
                for size in (args.history_small, args.history_large):
                    url = f"sqlite:///{work / f'history-{size}.db'}"
                    print(f"history with {size} figures:", flush=True)
                    prefill(url, size, keys)
                    run = run_monitor(
                        f"  new articles over {size} stored figures",
                        history_sources,
                        write_config(work / f"history-{size}.toml", url),
                    )
                    show(run)
                    n = max(1, run.articles)
                    store_diff = run.stages.get("store", 0.0) + run.stages.get("diff", 0.0)
                    per_article[size] = (run.wall / n, store_diff / n)
                small, large = per_article[args.history_small], per_article[args.history_large]
                table.append(
                    (
                        "history: per new article, 10k → 200k",
                        f"{small[0] * 1000:.0f} → {large[0] * 1000:.0f} ms "
                        f"(ratio {large[0] / small[0]:.2f})",
                        "≤ 1.2",
                    )
                )
                table.append(
                    (
                        "history: store+diff per article",
                        f"{small[1] * 1000:.1f} → {large[1] * 1000:.1f} ms "
                        f"(ratio {large[1] / small[1]:.2f})",
                        "≤ 1.2",
                    )
                )

            postgres = os.environ.get("LABORWATCH_BENCH_POSTGRES_URL")
            if postgres:
                schema = f"lw_bench_{os.getpid()}"
                url = postgres_schema_url(postgres, schema)
                try:
                    pg = run_monitor(
                        "cold (PostgreSQL)", sources, write_config(work / "pg.toml", url)
                    )
                    show(pg)
                    table.append(
                        ("cold run (PostgreSQL)", f"{pg.articles / pg.wall:.1f} articles/s", "")
                    )
                    table.append(
                        ("PostgreSQL pipeline / floor", f"{pg.wall / floor_seconds:.2f}", "")
                    )
                finally:
                    drop_postgres_schema(postgres, schema)
            else:
                print("PostgreSQL: skipped (set LABORWATCH_BENCH_POSTGRES_URL)")
            served = corpus.stats()
            print(f"server: {served['requests']} requests, {served['not_modified']} answered 304")
        finally:
            if corpus.process is not None:
                corpus.process.terminate()
                corpus.process.wait(timeout=10)

    print("\n| measure | result | target |\n|---|---|---|")
    for name, value, target in table:
        print(f"| {name} | {value} | {target} |")


def _page_sizes(corpus: Corpus) -> str:
    sizes = [
        len(gzip.decompress((corpus.pages / f"{f}" / f"{e}.html.gz").read_bytes()))
        for f in range(min(corpus.feeds, 10))
        for e in range(min(corpus.entries, 10))
    ]
    return (
        f"{min(sizes) // 1000}–{max(sizes) // 1000} KB (mean {sum(sizes) // len(sizes) // 1000} KB)"
    )


if __name__ == "__main__":
    main()
