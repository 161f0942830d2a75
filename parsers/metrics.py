"""Which of the twelve FIGURES.md metrics a figure measures, from the words around it.

Each metric has cue phrases with a weight. A cue counts for a figure in proportion to its weight
and inversely to its distance (in words) within the sentence, so "cut $1 billion from the state
budget" is a spending cut, not a budget, and a sentence that speaks of layoff notices makes its
head counts notices even when the number sits a clause away. A cue with another number between
it and the figure most likely belongs to that other number and counts less. Units restrict the
possible metrics: money is never "layoffs", a head count never "deficit". When a sentence has
no cue at all, the sentence before it (or a list's intro line) speaks for it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from laborwatch.parsers.metric_cues import _NON_STAFF, CUES_BY_UNIT, WORKER_NOUNS
from laborwatch.parsers.text import ascii_lower

_WORD = re.compile(r"[\w$%][\w'.,$%-]*")

# Who gives up the money: savings from unions or public employees are concessions, savings
# from layoffs or consolidation are not.
_LABOR_AGENT = re.compile(
    r"\b(?:unions?|labou?r|bargaining|furlough\w*|forgo\w*|give up|giving up|waiv\w+"
    r"|SEBAC|AFSCME|SEIU|Teamsters|UAW|AFL-CIO"
    r"|collective|contract|(?:state|public|city|county|municipal|federal|union|unionized)"
    r" (?:employees|workers)|employees'|workers'|from (?:the )?(?:employees|workers|staff))\b",
    re.IGNORECASE,
)
_STAFF = (
    r"(?:workforce|work force|staff|employees|workers|jobs|positions|headcount|members"
    r"|membership|employment|union|unions|staffing)"
)
_SHARE_OF_STAFF = re.compile(
    rf"^\s*(?:of\s+)?(?:(?:its|the|their|his|her|our|[\w.&'-]+'s?)\s+)*(?:[\w,.-]+\s+){{0,2}}"
    rf"{_STAFF}\b",
    re.IGNORECASE,
)
# "cut its staff by 40 percent", "the share of workers belonging to a union fell to 10 percent"
_STAFF_BEFORE = re.compile(
    rf"(?:\b{_STAFF}\s+by|\bshare of\b(?=[^\d]*\b{_STAFF}\b)[^\d]*)\s*$", re.IGNORECASE
)
_SHARE_OF_BENEFIT = re.compile(
    r"^\s*(?:of|toward|towards|for|to)\s+(?:(?:its|their|the|his|her|our|an?)\s+)?(?:[\w-]+\s+){0,3}"
    r"(?:premiums?|pensions?|health\w*|benefits?|insurance|retirement)\b",
    re.IGNORECASE,
)
_MONEY_METRICS = (
    "concessions",
    "savings",
    "spending_cuts",
    "deficit",
    "budget",
    "wages",
    "benefits",
)
_PEOPLE_METRICS = ("layoffs", "layoff_notices", "workforce", "rehired")
_MIN_SCORE = 0.6
_LEVEL_BEFORE = re.compile(
    r"(?<!amounting )(?<!amount )(?<!up )(?<!add )(?<!adds )(?<!equal )(?<!equivalent )"
    r"\b(?:to|from)\s+$",
    re.IGNORECASE,
)
_AFFECTED_NEAR = re.compile(r"\W*(?:\w+\W+){0,3}?(?:affected|impacted)\b", re.IGNORECASE)
_COLA = re.compile(r"\bcost-of-living\b|\bCOLAs?\b", re.IGNORECASE)
_RETIREMENT = re.compile(r"\b(?:pensions?|retire\w*|annuit\w+)", re.IGNORECASE)


def _is_name(text: str, start: int, end: int) -> bool:
    """A capitalised cue inside a sentence is part of a name; acronyms (WARN, COLA) are not."""
    first = text[start:end].split()[0]
    return start > 0 and first[0].isupper() and not first.isupper()


@dataclass(frozen=True, slots=True)
class _CueHit:
    metric: str
    weight: float
    units: frozenset[str]
    start: int
    end: int


# Small on purpose: it serves the figures of one article, not a whole run.
@lru_cache(maxsize=128)
def _sentence_cues(sentence: str, unit: str) -> tuple[tuple[_CueHit, ...], tuple[int, ...]]:
    """The cues for `unit` in a sentence and the start offsets of its words, computed once per
    sentence and unit (scanning only the cues a unit can use halves the work)."""
    lowered = ascii_lower(sentence)
    hits = tuple(
        _CueHit(cue.metric, cue.weight, cue.units, match.start(), match.end())
        for cue in CUES_BY_UNIT.get(unit, ())
        for match in cue.pattern.finditer(lowered)
        # "Mercy Valley Health", "Budget Office": names, not cues
        if not _is_name(sentence, match.start(), match.end())
    )
    return hits, tuple(match.start() for match in _WORD.finditer(sentence))


def cue_scores(
    sentence: str,
    span_start: int,
    span_end: int,
    unit: str,
    others: Sequence[tuple[int, int]] = (),
    ignore: Sequence[tuple[int, int]] = (),
) -> dict[str, float]:
    """Score every metric allowed for `unit` by the cues around sentence[span_start:span_end].

    `others` are the spans of the sentence's other numbers: a cue behind one of them counts less.
    """
    hits, word_starts = _sentence_cues(sentence, unit)

    def words_between(start: int, end: int) -> int:
        return bisect.bisect_left(word_starts, end) - bisect.bisect_left(word_starts, start)

    scores: dict[str, float] = {}
    for hit in hits:
        if unit not in hit.units:
            continue
        if any(s <= hit.start and hit.end <= e for s, e in ignore):
            continue
        before = hit.end <= span_start
        if before:
            distance = words_between(hit.end, span_start)
        elif hit.start >= span_end:
            distance = words_between(span_end, hit.start)
        else:
            distance = 0  # a cue inside or across the figure's own span: "1,000 layoffs"
        score = hit.weight / (1 + distance / 3)
        if hit.metric == "workforce" and span_start <= hit.start and hit.end <= span_end:
            # The head noun itself ("250 members") only says who is counted, not what happened.
            score *= 0.5
        if before and distance <= 3:
            score *= 1.5  # the verb or noun governing the number: "save $100 million"
        elif not before and distance == 0 and unit != "people" and hit.start >= span_end:
            score *= 2  # the noun the amount measures: "a $3.6 billion deficit", "3% raise"
        low, high = (hit.end, span_start) if before else (span_end, hit.start)
        if any(low <= s and e <= high for s, e in others):
            score *= 0.3
        if score > scores.get(hit.metric, 0.0):
            scores[hit.metric] = score
    return scores


def cue_weights(text: str, unit: str) -> dict[str, float]:
    """The strongest cue weight per metric anywhere in `text`, regardless of distance."""
    weights: dict[str, float] = {}
    for hit in _sentence_cues(text, unit)[0]:
        if unit in hit.units and hit.weight > weights.get(hit.metric, 0.0):
            weights[hit.metric] = hit.weight
    return weights


def has_near_cue(sentence: str, span_start: int, span_end: int, unit: str, window: int = 3) -> bool:
    """True when a cue for `unit` stands within `window` words of the span."""
    hits, word_starts = _sentence_cues(sentence, unit)
    for hit in hits:
        if unit not in hit.units:
            continue
        if hit.end <= span_start:
            low, high = hit.end, span_start
        elif hit.start >= span_end:
            low, high = span_end, hit.start
        else:
            return True
        if bisect.bisect_left(word_starts, high) - bisect.bisect_left(word_starts, low) <= window:
            return True
    return False


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

    `others` are the spans of other numbers in the sentence; `context` holds text that speaks
    for the sentence when it has no cue of its own (the previous sentence, a list's intro).
    """
    if unit == "count":
        return "other"
    head = (head_noun or "").lower()
    if unit == "people":
        if head in ("notices", "notice", "letters", "slips", "warnings"):
            return "layoff_notices"
        if head in ("layoffs", "layoff", "furloughs", "redundancies", "firings", "buyouts"):
            return "layoffs"
        if head in ("recalls", "rehires"):
            return "rehired"
        if head in _NON_STAFF or head in ("vacancies", "openings"):
            return "other"
    after = sentence[span_end:]
    if unit == "percent" and _SHARE_OF_BENEFIT.match(after):
        return "benefits"
    ignore: list[tuple[int, int]] = []
    staff_share = False
    if unit == "percent":
        # "6% of its workforce", "cut its staff by 40 percent": the staff noun is the base of
        # the share, not a cue that the share is a workforce size.
        share_after = _SHARE_OF_STAFF.match(after)
        share_before = _STAFF_BEFORE.search(sentence[:span_start])
        if share_after:
            ignore.append((span_end, span_end + share_after.end()))
        if share_before:
            ignore.append((share_before.start(), span_start))
        staff_share = bool(share_after or share_before)
    scores = cue_scores(sentence, span_start, span_end, unit, others, ignore)
    if frame:
        # A list item ("- Harbor Point Foods: 212 employees, plant closure") reads under its
        # intro line ("WARN notices were filed ..."), which frames every item.
        for metric, weight in cue_weights(frame, unit).items():
            scores[metric] = max(scores.get(metric, 0.0), weight / 1.5)
    # A percentage of staff is a head-count share; of anything else, never.
    excluded = (_MONEY_METRICS if staff_share else _PEOPLE_METRICS) if unit == "percent" else ()
    for metric in excluded:
        scores.pop(metric, None)
    borrows_context = unit == "percent" or (
        unit == "people" and (not head or _AFFECTED_NEAR.match(sentence, span_end, span_end + 40))
    )
    if borrows_context and (not scores or max(scores.values()) < _MIN_SCORE):
        # A figure without cues ("the 25 percent increase", "240 employees will be affected",
        # a table's "Total: 500") takes its sense from the sentence before and the headline.
        for extra in context:
            for metric, weight in cue_weights(extra, unit).items():
                if metric not in excluded:
                    scores[metric] = max(scores.get(metric, 0.0), 0.3 * weight)
    if not scores or max(scores.values()) < _MIN_SCORE / 3:
        if unit == "people" and (head in WORKER_NOUNS or head in ("union", "unions")):
            return "workforce"
        return "other"
    best = max(scores, key=lambda metric: scores[metric])
    if best == "spending_cuts" and unit == "USD" and _LEVEL_BEFORE.search(sentence, 0, span_start):
        # "trim operating expenses to $18bn from $20.5bn": the levels, not the cut, are figures.
        return "budget"
    if (
        best == "wages"
        and _COLA.search(sentence)
        and any(_RETIREMENT.search(text) for text in (sentence, *context))
    ):
        return "benefits"  # a cost-of-living raise in a pension story is a retirement benefit
    if best == "savings" and _LABOR_AGENT.search(sentence):
        # Savings asked of or agreed by unions and employees are concessions.
        return "concessions"
    return best
