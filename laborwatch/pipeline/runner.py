"""How a pass runs its batches: on a thread pool here, as Prefect task runs in `flows/`.

The pass hands each batch of work (a group of feeds, a chunk of articles, the alert outbox) to
a `Runner`; it never knows which one. Batches, not articles: a Prefect task run costs ~50 ms."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# Batches at once: enough to keep the network and the analysis workers busy while a chunk is
# stored; more would only contend for the GIL and the database's connections.
BATCHES_AT_ONCE = 4


class Pending(Protocol[T_co]):
    def result(self) -> T_co: ...


class Runner(Protocol):
    def submit(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> Pending[T]:
        """Start `fn(*args)` as one batch of `stage`, shown as `name`."""
        ...

    def call(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` as one batch and wait for it."""
        ...


class LocalRunner:
    """Batches on a small thread pool in this process: the CLI's run without a Prefect API."""

    def __init__(self, workers: int = BATCHES_AT_ONCE) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="laborwatch")

    def submit(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> Pending[T]:
        return self._pool.submit(fn, *args)

    def call(self, stage: str, name: str, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
