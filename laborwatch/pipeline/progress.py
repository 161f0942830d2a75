"""What a pass tells its watcher while it runs: how far it got, what it stored, which source
turned unhealthy. Plain data: the flow turns it into a progress artifact and Prefect events,
the CLI into a progress bar."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from laborwatch.domain import Development

if TYPE_CHECKING:
    from laborwatch.pipeline.runner import Pending
    from laborwatch.pipeline.steps import SourceRead

logger = logging.getLogger("laborwatch.pipeline")

Stage = Literal["read", "extract", "deliver", "done"]

# The share of a run's time each stage takes, roughly, for one percentage over the whole pass:
# reading feeds is quick, fetching pages and extracting is most of it, delivery is short.
_STAGE_SPAN: dict[str, tuple[float, float]] = {
    "read": (0.0, 15.0),
    "extract": (15.0, 95.0),
    "deliver": (95.0, 99.0),
    "done": (100.0, 100.0),
}


@dataclass(frozen=True, slots=True)
class SourceNotice:
    """A source that turned unhealthy this run: paused after failures, or gone silent."""

    label: str
    location: str
    reason: Literal["paused", "silent"]
    message: str


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One step of a pass: `done` of `total` units of `stage` (sources read, articles extracted
    and stored), with the developments stored and the sources that turned unhealthy in it."""

    stage: Stage
    done: int
    total: int
    developments: tuple[Development, ...] = ()
    alerted: tuple[bool, ...] = ()  # per development: queued for alerting, or recorded only
    unhealthy: tuple[SourceNotice, ...] = ()

    @property
    def percent(self) -> float:
        """The whole pass's progress, 0-100."""
        start, end = _STAGE_SPAN[self.stage]
        share = 1.0 if self.total <= 0 else min(self.done / self.total, 1.0)
        return round(start + (end - start) * share, 1)

    def describe(self) -> str:
        if self.stage == "read":
            return f"{self.done}/{self.total} source(s) read"
        if self.stage == "extract":
            return f"{self.done}/{self.total} article(s) extracted and stored"
        if self.stage == "deliver":
            return "delivering alerts"
        return "done"


Progress = Callable[[ProgressEvent], None]


def notice_of(label: str, location: str, message: str) -> SourceNotice:
    """A health notice as `steps.health_notices` words it, as data."""
    reason: Literal["paused", "silent"] = "silent" if "went silent" in message else "paused"
    return SourceNotice(label, location, reason, message)


def tell(progress: Progress | None, event: ProgressEvent | None) -> None:
    """Hand `event` to the watcher; a watcher's failure (a Prefect API hiccup, a closed
    terminal) is logged and never stops the pass."""
    if progress is None or event is None:
        return
    try:
        progress(event)
    except Exception:
        logger.warning("progress report failed (%s)", event.describe(), exc_info=True)


def read_all(
    batches: Sequence[Pending[list[SourceRead]]], progress: Progress | None, total: int
) -> list[SourceRead]:
    """The read phase's batches' results in order, telling the watcher after each batch and
    then which sources turned unhealthy."""
    reads: list[SourceRead] = []
    for batch in batches:
        reads.extend(batch.result())
        tell(progress, ProgressEvent("read", len(reads), total))
    tell(progress, unhealthy_event(reads))
    return reads


def unhealthy_event(reads: Sequence[SourceRead]) -> ProgressEvent | None:
    """The sources of a read phase that turned unhealthy, if any."""
    unhealthy = tuple(
        notice_of(read.source.label, read.source.location, notice)
        for read in reads
        for notice in read.notices
    )
    return ProgressEvent("read", len(reads), len(reads), unhealthy=unhealthy) if unhealthy else None


class StoreProgress:
    """Articles stored so far, chunk by chunk (chunks are stored in order), for the watcher."""

    def __init__(self, progress: Progress | None, chunks: Sequence[Sized]) -> None:
        self._progress = progress
        self._sizes = deque(len(chunk) for chunk in chunks)
        self._total = sum(self._sizes)
        self._done = 0
        tell(progress, ProgressEvent("extract", 0, self._total))

    def stored(self, alertable: Sequence[Development], recorded: Sequence[Development]) -> None:
        self._done += self._sizes.popleft() if self._sizes else 0
        event = ProgressEvent(
            "extract",
            self._done,
            self._total,
            developments=(*alertable, *recorded),
            alerted=(True,) * len(alertable) + (False,) * len(recorded),
        )
        tell(self._progress, event)
