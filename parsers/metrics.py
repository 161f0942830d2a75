"""Which of the thirteen FIGURES.md metrics a figure measures, from the words around it.

Each metric has cue phrases with a weight. A cue counts for a figure in proportion to its weight
and inversely to its distance (in words) within the sentence, so "cut $1 billion from the state
budget" is a spending cut, not a budget, and a sentence that speaks of layoff notices makes its
head counts notices even when the number sits a clause away. A cue with another number between
it and the figure most likely belongs to that other number and counts less. Units restrict the
possible metrics: money is never "layoffs", a head count never "deficit". When a sentence has
no cue at all, the sentence before it (or a list's intro line) speaks for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from laborwatch.parsers.metric_cues import WORKER_NOUNS
from laborwatch.parsers.metric_rules import (
    _AFFECTED_NEAR,
    _MEMBERSHIP_RATE,
    _MIN_SCORE,
    _MONEY_METRICS,
    _PEOPLE_METRICS,
    _SHARE_OF_BENEFIT,
    Reading,
    by_head,
    own_metric,
    read_share,
    refine,
)
from laborwatch.parsers.metric_scores import cue_scores, cue_weights, has_near_cue

__all__ = ["WORKER_NOUNS", "classify_metric", "cue_scores", "has_near_cue", "own_metric"]


def _borrow_context(reading: Reading, scores: dict[str, float], excluded: Sequence[str]) -> None:
    """A figure without cues ("the 25 percent increase", "240 employees will be affected", a
    table's "Total: 500") takes its sense from the sentence before and the headline."""
    unit, head = reading.unit, reading.head
    borrows = unit == "percent" or (
        unit == "people"
        and (not head or _AFFECTED_NEAR.match(reading.sentence, reading.end, reading.end + 40))
    )
    if not borrows or (scores and max(scores.values()) >= _MIN_SCORE):
        return
    for extra in reading.context:
        for metric, weight in cue_weights(extra, unit).items():
            if metric not in excluded:
                scores[metric] = max(scores.get(metric, 0.0), 0.3 * weight)


def classify_metric(
    sentence: str,
    span_start: int,
    span_end: int,
    unit: str,
    head_noun: str | None = None,
    *,
    others: Sequence[tuple[int, int]] = (),
    context: Sequence[str] = (),
    frame: str = "",
) -> str:
    """The metric of the figure at sentence[span_start:span_end] with the given unit.

    The figure's own noun decides first ("notices", "strikers"); then the cues around it, each
    counting less the farther it stands and across a clause break; then, for a figure without
    cues, `context` (the previous sentence, then the headline). `others` are the spans of the
    sentence's other numbers; `frame` is a list's intro line, which speaks for every item.
    """
    reading = Reading(sentence, span_start, span_end, unit, (head_noun or "").lower(), context)
    own = by_head(reading)
    if own is not None:
        return own
    if unit == "percent" and _SHARE_OF_BENEFIT.match(sentence, span_end):
        return "benefits"
    read_share(reading)
    scores = cue_scores(sentence, span_start, span_end, unit, others, reading.ignore)
    if frame:
        # A list item ("- Harbor Point Foods: 212 employees, plant closure") reads under its
        # intro line ("WARN notices were filed ..."), which frames every item.
        for metric, weight in cue_weights(frame, unit).items():
            scores[metric] = max(scores.get(metric, 0.0), weight / 1.5)
    excluded: Sequence[str] = ()
    if unit == "percent":
        # A percentage may be a union membership rate (workforce), never a head count.
        rate = any(_MEMBERSHIP_RATE.search(t) for t in (sentence, *context[:1]))
        excluded = (
            _MONEY_METRICS
            if reading.staff_share
            else _PEOPLE_METRICS[:-1]
            if rate
            else _PEOPLE_METRICS
        )
    for metric in excluded:
        scores.pop(metric, None)
    _borrow_context(reading, scores, excluded)
    if not scores or max(scores.values()) < _MIN_SCORE / 3:
        workers = reading.head in WORKER_NOUNS or reading.head in ("union", "unions")
        return refine("workforce" if unit == "people" and workers else "other", reading)
    return refine(max(scores, key=lambda metric: scores[metric]), reading)
