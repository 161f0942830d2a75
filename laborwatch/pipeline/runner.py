"""How a pass runs its batches: on a thread pool here, as Prefect task runs in `flows/`.

The pass hands each batch of work (a group of feeds, a chunk of articles, the alert outbox) to
a `Runner`; it never knows which one. Batches, not articles: a Prefect task run costs ~50 ms.
The CPU-heavy part (page parsing and figure extraction) goes to the runner's analysis pool:
worker processes here, a Dask cluster through Prefect's task runner in `flows/`."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# Batches at once: enough to keep the network and the analysis workers busy while a chunk is
# stored; more would only contend for the GIL and the database's connections.
BATCHES_AT_ONCE = 4
# Below this many articles, analysing in the calling thread beats starting worker processes.
POOL_MIN_ARTICLES = 64
# Articles per call into the analysis pool: big enough to amortise pickling and the round trip,
# small enough that every worker gets work from each chunk.
JOBS_PER_CALL = 16


class Pending(Protocol[T_co]):
    def result(self) -> T_co: ...


class AnalysisPool(Protocol):
    """Runs `fn(*args)` (analysis_worker.analyse_jobs on a few articles) somewhere else: a
    concurrent.futures executor fits, and so does the flow's Dask-backed pool."""

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Pending[T]: ...


class Runner(Protocol):
    def submit(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> Pending[T]:
        """Start `fn(*args)` as one batch of `stage`, shown as `name`."""
        ...

    def call(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` as one batch and wait for it."""
        ...

    def analysis(self, articles: int) -> AbstractContextManager[AnalysisPool | None]:
        """The pool for the page parsing and extraction of a pass of `articles` articles, open
        for the pass; None: analyse in the calling thread (a small pass)."""
        ...


@contextmanager
def process_pool(articles: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for page parsing and figure extraction, one per core; None for a small
    run. "spawn": forking a process that runs other threads could copy a held lock."""
    if articles < POOL_MIN_ARTICLES:
        yield None
        return
    workers = min(os.cpu_count() or 1, -(-articles // JOBS_PER_CALL))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class LocalRunner:
    """Batches on a small thread pool in this process: the CLI's run without a Prefect API."""

    def __init__(self, workers: int = BATCHES_AT_ONCE) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="laborwatch")

    def submit(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> Pending[T]:
        return self._pool.submit(fn, *args)

    def call(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args)

    def analysis(self, articles: int) -> AbstractContextManager[AnalysisPool | None]:
        return process_pool(articles)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
