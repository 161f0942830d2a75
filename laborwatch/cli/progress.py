"""The terminal progress bar of `run` and `reextract`: on stderr, only when stdout is a terminal
and the output is not JSON, gone when the command is done (transient)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from laborwatch.cli.common import err
from laborwatch.pipeline.progress import ProgressEvent

# (done, total) of a plain count, e.g. articles read again.
CountProgress = Callable[[int, int], None]


def wanted(*, as_json: bool, stdout: TextIO | None = None) -> bool:
    """A bar only for a person at a terminal: stdout a TTY, no --json."""
    stream = stdout if stdout is not None else sys.stdout
    return not as_json and stream.isatty()


def _bar(*count: object) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        *count,  # type: ignore[arg-type]
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@contextmanager
def run_bar(enabled: bool) -> Iterator[Callable[[ProgressEvent], None] | None]:
    """A pass's progress callback drawing the bar (percent of the whole pass), or None."""
    if not enabled:
        yield None
        return
    with _bar(TaskProgressColumn()) as bar:
        task = bar.add_task("starting", total=100)

        def show(event: ProgressEvent) -> None:
            bar.update(task, completed=event.percent, description=event.describe())

        yield show


@contextmanager
def count_bar(enabled: bool, what: str) -> Iterator[CountProgress | None]:
    """A (done, total) callback drawing "what  ━━━━━  12/40", or None."""
    if not enabled:
        yield None
        return
    with _bar(MofNCompleteColumn()) as bar:
        task = bar.add_task(what, total=None)

        def show(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield show
