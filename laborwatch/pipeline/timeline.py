"""Time as readers count it: a figure's history and the developments in the order the articles
were published. The time the article was stored stands in only when it has no publish date, and
then it says so. And the lookups behind `history` and `developments`: subjects compared without
regard to case, with a "did you mean" when nothing matches."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from laborwatch.domain import Development


class Dated(Protocol):
    @property
    def published(self) -> datetime | None: ...


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class When:
    at: datetime
    published: bool  # False: the article has no publish date; `at` is when it was stored

    def text(self, *, with_time: bool = False) -> str:
        shown = f"{self.at:%Y-%m-%d %H:%M}" if with_time else f"{self.at:%Y-%m-%d}"
        return shown if self.published else f"{shown} (stored; no publish date)"


def when(published: datetime | None, stored: datetime | None) -> When | None:
    if published is not None:
        return When(published, True)
    return When(stored, False) if stored is not None else None


def history_when(entry: object) -> When | None:
    return when(getattr(entry, "published", None), getattr(entry, "first_seen", None))


def development_when(dev: Development) -> When | None:
    return when(dev.published, dev.detected_at)


def in_history_order(entries: Iterable[T]) -> list[T]:
    """History entries per (subject, metric, unit), each key's values in publish order (stored
    order for equal dates, undated ones by the time they were stored)."""
    listed = list(entries)
    position = {id(entry): i for i, entry in enumerate(listed)}

    def key(entry: T) -> tuple[str, str, str, datetime, int]:
        moment = history_when(entry)
        return (
            getattr(entry, "subject", ""),
            getattr(entry, "metric", ""),
            getattr(entry, "unit", ""),
            moment.at if moment else datetime.max,
            position[id(entry)],
        )

    return sorted(listed, key=key)


def in_publish_order(devs: Sequence[Development]) -> list[Development]:
    """Developments by their article's publish date (stored time when it has none)."""
    indexed = list(enumerate(devs))

    def key(pair: tuple[int, Development]) -> tuple[datetime, int]:
        moment = development_when(pair[1])
        return (moment.at if moment else datetime.max, pair[0])

    try:
        return [dev for _, dev in sorted(indexed, key=key)]
    except TypeError:  # a naive datetime among aware ones: keep the stored order
        return list(devs)


@dataclass(frozen=True, slots=True)
class SubjectMatch:
    subjects: list[str]  # the stored spellings that match, case aside
    suggestion: str | None = None  # the closest stored subject when none matched


def match_subject(wanted: str, known: Iterable[str]) -> SubjectMatch:
    """Stored subjects equal to `wanted` ignoring case and spacing; else those containing it;
    else none, with the closest one as a suggestion."""
    folded = " ".join(wanted.split()).casefold()
    names = sorted(set(known))
    exact = [name for name in names if " ".join(name.split()).casefold() == folded]
    if exact:
        return SubjectMatch(exact)
    partial = [name for name in names if folded and folded in name.casefold()]
    if partial:
        return SubjectMatch(partial)
    by_fold = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
    return SubjectMatch([], by_fold[close[0]] if close else None)
