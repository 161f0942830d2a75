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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from laborwatch.parsers.metric_cues import _NON_STAFF, CUES_BY_UNIT, WORKER_NOUNS
from laborwatch.parsers.text import ascii_lower

_WORD = re.compile(r"[\w$%][\w'.,$%-]*")

# Who gives up the money: savings from unions or public employees are concessions, savings
# from layoffs or consolidation are not.
_LABOR_AGENT = re.compile(
    r"\b(?:unions?|labou?r|bargaining|concession\w*|forgo\w*|give up|giving up|waiv\w+"
    r"|SEBAC|AFSCME|SEIU|Teamsters|UAW|AFL-CIO"
    r"|collective|contract|(?:state|public|city|county|municipal|federal|union|unionized)"
    r" (?:employees|workers)|employees'|workers'|from (?:the )?(?:employees|workers|staff))\b",
    re.IGNORECASE,
)
_STAFF = (
    r"(?:workforce|work force|force|staff|employees|workers|jobs|positions|headcount|members"
    r"|company|organi[sz]ation"
    r"|membership|employment|union|unions|staffing)"
)
# "6% of its workforce", "a 44.6 percent drop in central office staff": the staff is the base.
_SHARE_OF_STAFF = re.compile(
    rf"\s*(?:(?:decrease|drop|reduction|cut|decline|increase|fall)\s+)?(?:of|in)\s+"
    rf"(?:(?:its|the|their|his|her|our|[\w.&'-]+'s?)\s+)*(?:[\w,.'-]+\s+){{0,4}}{_STAFF}\b",
    re.IGNORECASE,
)
# "cut its staff by 40 percent", "reducing its workforce of 19,530 by nearly 20 percent"
_STAFF_BEFORE = re.compile(
    rf"(?:\b{_STAFF}(?:\s+of\s+[\d,]+|\s+numbers|\s+size)?(?:\s+(?:will|would|could|is|was|were"
    r"|to)?\s*(?:be|being|been)?\s*\w+ed)?\s+by"
    rf"|\bshare of\b(?=[^\d]*\b{_STAFF}\b)[^\d]*)\s*$",
    re.IGNORECASE,
)
_SHARE_OF_BENEFIT = re.compile(
    r"\s*(?:of|toward|towards|for|to)\s+(?:(?:its|their|the|his|her|our|an?)\s+)?(?:[\w-]+\s+){0,3}"
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
_PEOPLE_METRICS = ("layoffs", "layoff_notices", "rehired", "strikers", "workforce")
_MIN_SCORE = 0.6
_LEVEL_BEFORE = re.compile(
    r"(?<!amounting )(?<!amount )(?<!up )(?<!add )(?<!adds )(?<!equal )(?<!equivalent )"
    r"\b(?:to|from)\s+$",
    re.IGNORECASE,
)
_AFFECTED_NEAR = re.compile(r"\W*(?:\w+\W+){0,3}?(?:affected|impacted)\b", re.IGNORECASE)
_COLA = re.compile(r"\bcost-of-living\b|\bCOLAs?\b", re.IGNORECASE)
_RETIREMENT = re.compile(r"\b(?:pensions?|retire\w*|annuit\w+)", re.IGNORECASE)
# A share of staff in a sentence about cuts is the share laid off.
_REDUCTION = re.compile(
    r"\b(?:reduc\w*|cut\w*|drop\w*|decreas\w*|declin\w*|shr[ia]nk\w*|lay\w* off|laid off"
    r"|layoffs?|job losses|eliminat\w*|slash\w*|trim\w*|los(?:e|es|t|ing)|redundanc\w+)\b",
    re.IGNORECASE,
)
# Vacant positions eliminated are layoffs (FIGURES.md, conventions from real news); left vacant,
# they are not.
_VACANT = re.compile(r"\b(?:vacant|unfilled|open)\b", re.IGNORECASE)
_ELIMINATION = re.compile(
    r"\b(?:eliminat\w*|abolish\w*|ax(?:e|ed|ing)|not be filled"
    r"|(?:cut|cuts|cutting|slash\w*|clos(?:e|es|ed|ing)) (?:\w+ ){0,3}(?:jobs|positions|openings)"
    r")\b",
    re.IGNORECASE,
)
_HEAD_COUNT_LEVEL = re.compile(
    r"\b(?:number|size|ranks) of (?:the |its |their )?(?:\w+ ){0,2}(?:workers|employees|staff"
    r"|firefighters|officers|teachers|nurses|members|people|personnel)\b",
    re.IGNORECASE,
)
_FREEZE = re.compile(r"\bfr(?:ee|o)z\w*", re.IGNORECASE)
# The event a head count "affected" or "impacted" belongs to: layoffs, unless notices.
_AFFECTED = re.compile(r"\b(?:affect|impact)(?:s|ed|ing)?\b", re.IGNORECASE)
_LAYOFF_EVENT = re.compile(
    r"\b(?:lay-?offs?|laid off|lay(?:s|ing)? off|clos(?:e|es|ed|ing|ures?)|shut\w*|idl\w+"
    r"|job cuts|cuts|eliminat\w+|job losses|redundanc\w+|restructur\w+|terminat\w+)\b",
    re.IGNORECASE,
)
_NOTICE_EVENT = re.compile(r"\bnotices?\b|\bWARN\b|pink slips?", re.IGNORECASE)
# A percentage is a workforce figure only as a union membership rate.
_MEMBERSHIP_RATE = re.compile(
    r"\b(?:(?:union )?membership rates?|unioni[sz]ation rates?|members of (?:a |labor )?unions?"
    r"|unioni[sz]ed|union members)\b",
    re.IGNORECASE,
)
_LAYOFF_VERB_BEFORE = re.compile(
    r"\b(?:laid off|lay(?:ing|s)? off|fir(?:e|es|ed|ing)|dismiss\w*|eliminat\w*|cut(?:s|ting)?)"
    r"\s+$",
    re.IGNORECASE,
)
# A number right after the body it measures: "a force of 375", "its total workforce of 19,530".
_SIZE_OF_BEFORE = re.compile(
    r"\b(?:work ?force|force|staff|headcount|membership|payroll|ranks)\s+of\s+(?:\w+\s+)?$", re.I
)
# The subject's own locative phrase ("400 workers at a plant in Wilmington, Del., will be out of
# work") stands between a head count and its verb: distances are counted from the verb.
_SUBJECT_PP = re.compile(
    r"\s+(?:at|in|from|across|with)\s+[^;\d]{1,80}?"
    r"(?=\s+(?:will|would|are|were|is|was|have|has|had|could|may|might|must|also|now)\b)"
    r"|\s*[-\u2013\u2014]+[^-\u2013\u2014]{1,80}?[-\u2013\u2014]+(?=\s)",
    re.IGNORECASE,
)
# Only auxiliaries between a head count and its verb: "150 were laid off", "are affected".
_AUX_ONLY = re.compile(
    r"(?:\s+(?:will|would|could|may|might|must|to|be|been|being|are|were|is|was|have|has|had"
    r"|also|now|not|all|still|soon|then))*\s*",
    re.IGNORECASE,
)
_HEAD_METRICS: dict[str, str] = {
    **dict.fromkeys(("notices", "notice", "letters", "slips", "warnings"), "layoff_notices"),
    **dict.fromkeys(
        ("layoffs", "layoff", "furloughs", "redundancies", "firings", "buyouts"), "layoffs"
    ),
    **dict.fromkeys(("recalls", "rehires"), "rehired"),
    **dict.fromkeys(("strikers", "picketers"), "strikers"),
}
# Glued sizes ("a 70,000-person company", "the 860-member union") measure a body of people.
_SIZE_HEADS = frozenset(("person", "member", "strong", "employee", "worker"))
_PUNCT = re.compile(r"[,;:()|]")
_CLAUSE_BREAK = re.compile(
    r";|:\s|,\s+(?:and|but|while|whereas|leaving|bringing|which|although"
    r"|though|after|before|when|as)\b|\s(?:but|while|whereas|although)\s"
    r"|\sand\s+(?:the|a|an|its|their|his|her)\s",
    re.IGNORECASE,
)
# Not a share of staff: "increase premiums for state workers by 25 percent".
_PAY_FOR_BEFORE = re.compile(
    r"\b(?:pay|wages?|salar\w+|premiums?|benefits|pensions?|contributions?)\s+(?:for|of)\s+"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_OPENINGS_KEPT = re.compile(
    r"\b(?:has|have|had|still|advertis\w*|hiring|recruit\w*|fill\w*)\b", re.IGNORECASE
)


def _is_headline(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) > 0.6 * len(words)


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


@dataclass(frozen=True, slots=True)
class _SentenceCues:
    hits: tuple[_CueHit, ...]
    word_starts: tuple[int, ...]
    breaks: tuple[int, ...]  # offsets of clause boundaries
    text: str


# Small on purpose: it serves the figures of one article, not a whole run.
@lru_cache(maxsize=128)
def _sentence_cues(sentence: str, unit: str) -> _SentenceCues:
    """The cues for `unit` in a sentence, the start offsets of its words and its clause breaks,
    computed once per sentence and unit (scanning only the cues a unit can use halves the work).
    A headline capitalises every word, so there capitals do not mark names."""
    lowered = ascii_lower(sentence)
    headline = _is_headline(sentence)
    hits = tuple(
        _CueHit(cue.metric, cue.weight, cue.units, match.start(), match.end())
        for cue in CUES_BY_UNIT.get(unit, ())
        for match in cue.pattern.finditer(lowered)
        # "Mercy Valley Health", "Budget Office": names, not cues ("Consumer Price Index" is
        # a name and still not a labor figure)
        if headline or cue.metric == "other" or not _is_name(sentence, match.start(), match.end())
    )
    return _SentenceCues(
        hits,
        tuple(match.start() for match in _WORD.finditer(sentence)),
        tuple(match.start() for match in _CLAUSE_BREAK.finditer(sentence)),
        sentence,
    )


def _hit_score(
    hit: _CueHit, cues: _SentenceCues, span: tuple[int, int, int], unit: str
) -> tuple[float, int, int]:
    """A cue's score by its distance in words from the figure: the figure's own phrase first,
    then its clause, then the rest of the sentence. Returns (score, low, high) where low..high
    is the text between cue and figure."""
    span_start, span_end, verb_from = span
    word_starts = cues.word_starts

    def words_between(start: int, end: int) -> int:
        return bisect.bisect_left(word_starts, end) - bisect.bisect_left(word_starts, start)

    before = hit.end <= span_start
    if before:
        low, high = hit.end, span_start
        distance = words_between(low, high)
    elif hit.start >= span_end:
        low, high = span_end, hit.start
        if _AUX_ONLY.fullmatch(
            cues.text, max(span_end, verb_from) if hit.start >= verb_from else low, high
        ):
            distance = 0  # the head count's own verb: "150 were laid off"
        else:
            distance = words_between(
                max(span_end, verb_from) if hit.start >= verb_from else low, high
            )
    else:
        return hit.weight * (0.5 if hit.metric == "workforce" else 1.0), span_start, span_start
    score = hit.weight / (1 + distance / 3)
    if before and distance <= 3:
        score *= 1.5  # the verb or noun governing the number: "save $100 million"
    elif not before and distance == 0 and unit != "people":
        score *= 2  # the noun the amount measures: "a $3.6 billion deficit", "3% raise"
    elif (
        not before
        and distance <= 1
        and unit == "people"
        and hit.metric != "workforce"
        and not _PUNCT.search(cues.text, low, high)
    ):
        score *= 1.5  # the head count's own participle: "people losing their jobs"
    if any(low <= b < high for b in cues.breaks):
        score *= 0.5  # another clause: "cut 300 jobs at its plant, leaving 1,200 workers"
    return score, low, high


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
    cues = _sentence_cues(sentence, unit)
    verb_from = span_end
    if unit == "people":
        pp = _SUBJECT_PP.match(sentence, span_end)
        if pp is not None:
            verb_from = pp.end()
    scores: dict[str, float] = {}
    for hit in cues.hits:
        if unit not in hit.units or any(s <= hit.start and hit.end <= e for s, e in ignore):
            continue
        score, low, high = _hit_score(hit, cues, (span_start, span_end, verb_from), unit)
        if any(low <= s and e <= high for s, e in others):
            score *= 0.3
        if score > scores.get(hit.metric, 0.0):
            scores[hit.metric] = score
    return scores


def cue_weights(text: str, unit: str) -> dict[str, float]:
    """The strongest cue weight per metric anywhere in `text`, regardless of distance."""
    weights: dict[str, float] = {}
    for hit in _sentence_cues(text, unit).hits:
        if unit in hit.units and hit.weight > weights.get(hit.metric, 0.0):
            weights[hit.metric] = hit.weight
    return weights


def has_near_cue(sentence: str, span_start: int, span_end: int, unit: str, window: int = 3) -> bool:
    """True when a cue for `unit` stands within `window` words of the span."""
    cues = _sentence_cues(sentence, unit)
    for hit in cues.hits:
        if unit not in hit.units:
            continue
        if hit.end <= span_start:
            low, high = hit.end, span_start
        elif hit.start >= span_end:
            low, high = span_end, hit.start
        else:
            return True
        starts = cues.word_starts
        if bisect.bisect_left(starts, high) - bisect.bisect_left(starts, low) <= window:
            return True
    return False


@dataclass(slots=True)
class _Reading:
    """One figure being classified: its sentence, span, unit and what is known so far."""

    sentence: str
    start: int
    end: int
    unit: str
    head: str
    context: Sequence[str]
    staff_share: bool = False
    ignore: list[tuple[int, int]] = field(default_factory=list)


def _by_head(reading: _Reading) -> str | None:
    """The figure's own noun, when it names the metric: "5,000 layoff notices", "30 strikers"."""
    head, sentence = reading.head, reading.sentence
    if reading.unit == "count":
        warn = head in ("notices", "filings") and "WARN" in sentence[: reading.end]
        return "layoff_notices" if warn else "other"
    if reading.unit != "people":
        return None
    if (
        head in _SIZE_HEADS
        and sentence[reading.end - len(head) - 1 : reading.end - len(head)] == "-"
    ):
        return "workforce"
    if head in _HEAD_METRICS:
        return _HEAD_METRICS[head]
    if _SIZE_OF_BEFORE.search(sentence, 0, reading.start):
        return "workforce"
    if head in ("vacancies", "openings") or _VACANT.search(sentence, reading.start, reading.end):
        low, high = max(0, reading.start - 60), reading.end + 60
        if _FREEZE.search(sentence, low, high):
            return "other"
        if _ELIMINATION.search(sentence, low, high):
            return "layoffs"
        before = reading.context[:1]
        eliminated = any(_ELIMINATION.search(t) for t in before)
        return "layoffs" if eliminated and not _OPENINGS_KEPT.search(sentence) else "other"
    if head in _NON_STAFF and not _LAYOFF_VERB_BEFORE.search(sentence, 0, reading.start):
        return "other"
    return None


def own_metric(sentence: str, start: int, end: int, unit: str, head: str | None) -> str | None:
    """The metric the figure's own words give, before any cue around it is read."""
    return _by_head(_Reading(sentence, start, end, unit, (head or "").lower(), ()))


def _read_share(reading: _Reading) -> None:
    """A percentage of staff is a head-count share; the staff noun is its base, not a cue."""
    if reading.unit != "percent":
        return
    sentence = reading.sentence
    share_after = _SHARE_OF_STAFF.match(sentence, reading.end)
    share_before = _STAFF_BEFORE.search(sentence[: reading.start])
    if share_after:
        reading.ignore.append((reading.end, share_after.end()))
    if share_before:
        reading.ignore.append((share_before.start(), reading.start))
    if share_before and _PAY_FOR_BEFORE.search(sentence, 0, share_before.start()):
        share_before = None
    reading.staff_share = bool(share_after or share_before)


def _borrow_context(reading: _Reading, scores: dict[str, float], excluded: Sequence[str]) -> None:
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


def _levels_of_spending(r: _Reading) -> str | None:
    # "trim operating expenses to $18bn from $20.5bn": the levels, not the cut, are figures.
    level = r.unit == "USD" and _LEVEL_BEFORE.search(r.sentence, 0, r.start)
    return "budget" if level else None


def _pension_cola(r: _Reading) -> str | None:
    # A cost-of-living raise in a pension story is a retirement benefit.
    pension = _COLA.search(r.sentence) and any(
        _RETIREMENT.search(t) for t in (r.sentence, *r.context)
    )
    return "benefits" if pension else None


def _labor_savings(r: _Reading) -> str | None:
    # Savings asked of or agreed by unions and employees are concessions.
    return "concessions" if _LABOR_AGENT.search(r.sentence) else None


def _head_count_levels(r: _Reading) -> str | None:
    # "The number of firefighters on each shift dropped from 22 to 21": sizes of a workforce.
    before = r.sentence[: r.start]
    level = _LEVEL_BEFORE.search(before) and _HEAD_COUNT_LEVEL.search(before)
    return "workforce" if r.unit == "people" and level else None


def _affected(r: _Reading) -> str | None:
    # "a move that will affect 133 employees": the people a cut, a closure or notices reach.
    if r.unit != "people" or not _AFFECTED.search(r.sentence[max(0, r.start - 30) : r.end + 30]):
        return None
    for event, metric in ((_NOTICE_EVENT, "layoff_notices"), (_LAYOFF_EVENT, "layoffs")):
        if any(event.search(t) for t in (r.sentence, *r.context[:1])):
            return metric
    return None


def _share_cut(r: _Reading) -> str | None:
    # "reducing its workforce by nearly 20 percent": the share of staff cut.
    cut = r.staff_share and any(_REDUCTION.search(t) for t in (r.sentence, *r.context[:1]))
    return "layoffs" if cut else None


# Readings that the cue scores cannot make on their own: (metrics it may overrule, rule).
_REFINEMENTS: tuple[tuple[frozenset[str], Callable[[_Reading], str | None]], ...] = (
    (frozenset(("spending_cuts",)), _levels_of_spending),
    (frozenset(("wages",)), _pension_cola),
    (frozenset(("savings",)), _labor_savings),
    (frozenset(("rehired", "other", "workforce")), _head_count_levels),
    (frozenset(("workforce", "other")), _affected),
    (frozenset(("workforce", "other", "spending_cuts")), _share_cut),
)


def _refine(best: str, reading: _Reading) -> str:
    for overrules, rule in _REFINEMENTS:
        if best in overrules:
            refined = rule(reading)
            if refined is not None:
                return refined
    return best


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
    reading = _Reading(sentence, span_start, span_end, unit, (head_noun or "").lower(), context)
    by_head = _by_head(reading)
    if by_head is not None:
        return by_head
    if unit == "percent" and _SHARE_OF_BENEFIT.match(sentence, span_end):
        return "benefits"
    _read_share(reading)
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
        return _refine("workforce" if unit == "people" and workers else "other", reading)
    return _refine(max(scores, key=lambda metric: scores[metric]), reading)
