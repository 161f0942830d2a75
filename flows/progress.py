"""The run's progress in the Prefect UI: one progress artifact, updated as sources are read and
articles are extracted and stored, with what is going on in its description."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact

from laborwatch.pipeline.progress import Progress, ProgressEvent, tell

PROGRESS_KEY = "laborwatch-progress"
# Updates at most this often (seconds), except for the first and the last: each is an API call.
MIN_INTERVAL = 1.0


class ProgressArtifact:
    """A pass's progress callback that keeps one progress artifact up to date."""

    def __init__(
        self, key: str = PROGRESS_KEY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._key = key
        self._clock = clock
        self._id: UUID | None = None
        self._last_at = 0.0
        self._last_percent = -1.0
        self.updates = 0

    def __call__(self, event: ProgressEvent) -> None:
        percent = event.percent
        if percent <= self._last_percent and event.stage != "done":
            return  # nothing moved (e.g. the notices of a read already reported)
        now = self._clock()
        final = event.stage == "done"
        if self._id is not None and not final and now - self._last_at < MIN_INTERVAL:
            return
        description = f"laborwatch run: {event.describe()}"
        if self._id is None:
            created = create_progress_artifact(
                progress=percent, key=self._key, description=description
            )
            assert isinstance(created, UUID)  # called from sync code: not a coroutine
            self._id = created
        else:
            update_progress_artifact(self._id, progress=percent, description=description)
        self._last_at, self._last_percent = now, percent
        self.updates += 1


def fan_out(*callbacks: Progress) -> Progress:
    """One callback that hands each event to every one of `callbacks`, in order; one that fails
    does not keep the event from the others."""

    def each(event: ProgressEvent) -> None:
        for callback in callbacks:
            tell(callback, event)

    return each
