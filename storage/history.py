"""The diff: is a figure new for its (subject, metric, unit) key, changed, or already known?

Each question touches only the figure's own key through the (key, value) and (key, id) indexes,
so the cost per figure does not grow with the size of the history."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

from sqlalchemy import ColumnElement, Row, Table, and_, or_, select, text
from sqlalchemy.orm import Session

from laborwatch.domain import Figure
from laborwatch.storage.models import KnownValueRow

FigureKey = tuple[str, str, str]
T = TypeVar("T")
# The table itself rather than the mapped class: these queries run for every article stored,
# and plain column rows skip the ORM's per-statement and per-row work.
KNOWN = cast(Table, KnownValueRow.__table__)


@dataclass(frozen=True, slots=True)
class KnownValue:
    id: int
    value: float
    text: str
    approx: bool
    development_id: int
    first_article_id: int


@dataclass(frozen=True, slots=True)
class Decision:
    """What one figure means against the history as it was before its article.

    kind "new": nothing known for the key. "changed": no known value within tolerance; `previous`
    is the value recorded most recently. "known": `matched` is the closest known value."""

    figure: Figure
    kind: Literal["new", "changed", "known"]
    previous: KnownValue | None = None
    matched: KnownValue | None = None


def check_tolerance(tolerance: float) -> float:
    if not 0.0 <= tolerance < 1.0:
        raise ValueError(f"tolerance must be at least 0 and below 1 (a fraction), got {tolerance}")
    return tolerance


def figure_key(figure: Figure) -> FigureKey:
    return (figure.subject, figure.metric, figure.unit)


def within_tolerance(value: float, known: float, tolerance: float) -> bool:
    """True when `value` is within `tolerance` of `known`, relative to the known value."""
    return abs(value - known) <= tolerance * abs(known)


def search_bounds(value: float, tolerance: float) -> tuple[float, float]:
    """A value range sure to contain every known value `value` is within tolerance of.

    |v - k| <= t|k| implies |k| <= |v| / (1 - t), hence |v - k| <= t|v| / (1 - t)."""
    reach = abs(value) * tolerance / (1.0 - tolerance)
    # A little slack for float rounding; the exact test is within_tolerance.
    reach = reach * (1 + 1e-9) + 1e-9
    return value - reach, value + reach


def distinct_figures(figures: list[Figure], tolerance: float) -> list[Figure]:
    """One figure per (key, value) within an article: a number repeated in the headline and the
    body, or "$2 billion" and "$2.0 billion", counts once. The first mention wins."""
    kept: dict[FigureKey, list[Figure]] = {}
    result: list[Figure] = []
    for figure in figures:
        same_key = kept.setdefault(figure_key(figure), [])
        if any(within_tolerance(figure.value, other.value, tolerance) for other in same_key):
            continue
        same_key.append(figure)
        result.append(figure)
    return result


def _to_known(row: Row[Any]) -> KnownValue:
    return KnownValue(
        id=row.id,
        value=row.value,
        text=row.text,
        approx=row.approx,
        development_id=row.development_id,
        first_article_id=row.first_article_id,
    )


# SQLite caps expression depth at 1000 (a chain of ORs is that deep): query in slices.
QUERY_CHUNK = 100


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), QUERY_CHUNK):
        yield items[start : start + QUERY_CHUNK]


def _key_condition(key: FigureKey) -> ColumnElement[bool]:
    subject, metric, unit = key
    return and_(KNOWN.c.subject == subject, KNOWN.c.metric == metric, KNOWN.c.unit == unit)


def latest_known(session: Session, keys: Iterable[FigureKey]) -> dict[FigureKey, KnownValue]:
    """The most recently recorded value of each key, in one query: one backwards step on the
    (key, id) index per key, never a read of the key's other values."""
    found: dict[FigureKey, KnownValue] = {}
    for chunk in _chunks(list(keys)):
        latest_ids = [
            select(KNOWN.c.id)
            .where(_key_condition(key))
            .order_by(KNOWN.c.id.desc())
            .limit(1)
            .scalar_subquery()
            for key in chunk
        ]
        for row in session.execute(select(KNOWN).where(KNOWN.c.id.in_(latest_ids))):
            found[(row.subject, row.metric, row.unit)] = _to_known(row)
    return found


def known_near(
    session: Session, wanted: Iterable[tuple[FigureKey, float]], tolerance: float
) -> dict[FigureKey, list[KnownValue]]:
    """Known values that may be within tolerance of each (key, value), in one query of index
    range scans."""
    found: dict[FigureKey, dict[int, KnownValue]] = {}
    for chunk in _chunks(list(wanted)):
        ranges = []
        for key, value in chunk:
            low, high = search_bounds(value, tolerance)
            ranges.append(and_(_key_condition(key), KNOWN.c.value.between(low, high)))
        for row in session.execute(select(KNOWN).where(or_(*ranges))):
            found.setdefault((row.subject, row.metric, row.unit), {})[row.id] = _to_known(row)
    return {key: list(by_id.values()) for key, by_id in found.items()}


def decide(
    figure: Figure, near: list[KnownValue], latest: KnownValue | None, tolerance: float
) -> Decision:
    matches = [known for known in near if within_tolerance(figure.value, known.value, tolerance)]
    if matches:
        closest = min(matches, key=lambda known: (abs(figure.value - known.value), known.id))
        return Decision(figure, "known", matched=closest)
    if latest is None:
        return Decision(figure, "new")
    return Decision(figure, "changed", previous=latest)


def lock_keys(session: Session, keys: set[FigureKey]) -> None:
    """On PostgreSQL, serialise writers per key until commit.

    The unique (key, value) constraint already stops two runs from both adding the same value, but
    not two values within tolerance of each other (2.000e9 and 2.001e9) or two "changed" rows
    against the same past. SQLite needs nothing: its writers take the database lock up front.
    Keys are locked in sorted order so two transactions cannot deadlock on them."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(keys):
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "\x1f".join(key)},
        )


def diff_figures(session: Session, figures: list[Figure], tolerance: float) -> list[Decision]:
    """Decide every distinct figure of one article against the history before that article.

    Run this before recording anything for the article: all its figures then see the same past."""
    check_tolerance(tolerance)
    distinct = distinct_figures(figures, tolerance)
    lock_keys(session, {figure_key(figure) for figure in distinct})
    latest = latest_known(session, {figure_key(figure) for figure in distinct})
    near = known_near(
        session,
        [(figure_key(f), f.value) for f in distinct if figure_key(f) in latest],
        tolerance,
    )
    decisions = [
        decide(figure, near.get(figure_key(figure), []), latest.get(figure_key(figure)), tolerance)
        for figure in distinct
    ]
    return decisions
