"""Metric rules that are not cue scores: the figure's own noun, shares of staff, refinements.

`by_head` decides from the figure's own words ("5,000 layoff notices", "30 strikers", "a force
of 375", vacant positions eliminated); `read_share` tells a share of staff ("20 percent of its
workforce") from other percentages; `refine` applies readings that scores cannot make, each a
small rule in the `_REFINEMENTS` table (FIGURES.md "Conventions from real news").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from laborwatch.parsers.metric_cues import _NON_STAFF

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
_FOR_BENEFITS = re.compile(
    r"[^.;:]{0,50}?\bfor (?:\w+ ){0,3}(?:health|insurance|pensions?|retirement|medical)\b",
    re.IGNORECASE,
)
_OF_A_WHOLE = re.compile(
    r"(?:\s+(?:to|and)\s+[\d.]+\s*(?:%|percent))?\s+of\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:[\w'$.,-]+\s+){0,4}(?:costs?|price|budget|revenues?|sales|spending|expenses)\b",
    re.IGNORECASE,
)
_IS_A_SHARE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|account(?:s|ed)? for|represent(?:s|ed)?|make up|makes up"
    r"|comprise[sd]?)\s+(?:only\s+|just\s+|about\s+|roughly\s+|nearly\s+)?$",
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
# The body a share is taken of: "more than a third of WeWork's 12,000 employees".
_SHARE_TAKEN_OF_BEFORE = re.compile(
    r"\b(?:half|thirds?|quarters?|fifths?|tenths?|percent|%|majority|portion|share|fraction)"
    r"\s+of\s+(?:(?:its|their|the|his|her|our|[\w.&-]+'s?)\s+)+"
    r"(?:(?:total|entire|roughly|about|nearly|some|almost|approximately|more than)\s+)*$",
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


@dataclass(slots=True)
class Reading:
    """One figure being classified: its sentence, span, unit and what is known so far."""

    sentence: str
    start: int
    end: int
    unit: str
    head: str
    context: Sequence[str]
    staff_share: bool = False
    ignore: list[tuple[int, int]] = field(default_factory=list)


def by_head(reading: Reading) -> str | None:
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
    if _SIZE_OF_BEFORE.search(sentence, 0, reading.start) or _SHARE_TAKEN_OF_BEFORE.search(
        sentence, 0, reading.start
    ):
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
    return by_head(Reading(sentence, start, end, unit, (head or "").lower(), ()))


def read_share(reading: Reading) -> None:
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


def _levels_of_spending(r: Reading) -> str | None:
    # "trim operating expenses to $18bn from $20.5bn": the levels, not the cut, are figures.
    level = r.unit == "USD" and _LEVEL_BEFORE.search(r.sentence, 0, r.start)
    return "budget" if level else None


def _pension_cola(r: Reading) -> str | None:
    # A cost-of-living raise in a pension story is a retirement benefit.
    pension = _COLA.search(r.sentence) and any(
        _RETIREMENT.search(t) for t in (r.sentence, *r.context)
    )
    return "benefits" if pension else None


def _labor_savings(r: Reading) -> str | None:
    # Savings asked of or agreed by unions and employees are concessions.
    return "concessions" if _LABOR_AGENT.search(r.sentence) else None


def _head_count_levels(r: Reading) -> str | None:
    # "The number of firefighters on each shift dropped from 22 to 21": sizes of a workforce.
    before = r.sentence[: r.start]
    level = _LEVEL_BEFORE.search(before) and _HEAD_COUNT_LEVEL.search(before)
    return "workforce" if r.unit == "people" and level else None


def _affected(r: Reading) -> str | None:
    # "a move that will affect 133 employees": the people a cut, a closure or notices reach.
    if r.unit != "people" or not _AFFECTED.search(r.sentence[max(0, r.start - 30) : r.end + 30]):
        return None
    for event, metric in ((_NOTICE_EVENT, "layoff_notices"), (_LAYOFF_EVENT, "layoffs")):
        if any(event.search(t) for t in (r.sentence, *r.context[:1])):
            return metric
    return None


def _paid_for_benefits(r: Reading) -> str | None:
    # "paying $850 per month per worker for health and other insurance benefits"
    return "benefits" if _FOR_BENEFITS.match(r.sentence, r.end) else None


def _share_of_a_whole(r: Reading) -> str | None:
    # "labor costs are only 4% to 5% of a vehicle's cost", "will account for 2.3 percent of the
    # district's budget": a share of something, not a change in pay or spending.
    whole = r.unit == "percent" and _OF_A_WHOLE.match(r.sentence, r.end)
    return "other" if whole and _IS_A_SHARE_BEFORE.search(r.sentence, 0, r.start) else None


def _share_cut(r: Reading) -> str | None:
    # "reducing its workforce by nearly 20 percent": the share of staff cut.
    cut = r.staff_share and any(_REDUCTION.search(t) for t in (r.sentence, *r.context[:1]))
    return "layoffs" if cut else None


# Readings that the cue scores cannot make on their own: (metrics it may overrule, rule).
_REFINEMENTS: tuple[tuple[frozenset[str], Callable[[Reading], str | None]], ...] = (
    (frozenset(("spending_cuts",)), _levels_of_spending),
    (frozenset(("wages",)), _pension_cola),
    (frozenset(("savings",)), _labor_savings),
    (frozenset(("rehired", "other", "workforce")), _head_count_levels),
    (frozenset(("workforce", "other")), _affected),
    (frozenset(("workforce", "other", "spending_cuts")), _share_cut),
    (frozenset(("wages",)), _paid_for_benefits),
    (frozenset(("wages", "spending_cuts", "budget")), _share_of_a_whole),
)


def refine(best: str, reading: Reading) -> str:
    for overrules, rule in _REFINEMENTS:
        if best in overrules:
            refined = rule(reading)
            if refined is not None:
                return refined
    return best
