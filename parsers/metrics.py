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

from laborwatch.parsers.text import ascii_lower, compile_lower


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


_WORD = re.compile(r"[\w$%][\w'.,$%-]*")


@dataclass(frozen=True, slots=True)
class Cue:
    metric: str
    pattern: re.Pattern[str]
    weight: float
    units: frozenset[str]


def _cue(metric: str, pattern: str, weight: float, units: str) -> Cue:
    return Cue(metric, compile_lower(rf"\b(?:{pattern})\b"), weight, frozenset(units.split()))


_MONEY = "USD"
_PEOPLE = "people"
_PCT = "percent"
_NOT_PAY = r"(?<!pay )(?<!wage )(?<!salary )(?<!budget )(?<!spending )(?<!tax )(?<!rate )"
_NOT_PAY += r"(?<!service )(?<!price )(?<!job )(?<!jobs )"

CUES: tuple[Cue, ...] = (
    # Undoing layoffs outranks the layoffs it undoes: "rescinded layoff notices for 120".
    _cue(
        "rehired",
        r"(?:rescind\w*|revers\w+|withdr[ae]w\w*|cancel\w*|avert\w*|avoid\w*|prevent\w*|spar\w+)"
        r" (?:the |its |their |planned |proposed )*(?:lay-?off notices|pink slips|lay-?offs?"
        r"|job cuts)",
        8,
        _PEOPLE,
    ),
    _cue(
        "rehired",
        r"recall(?:s|ed|ing)?|rehir\w+|re-hir\w+|called back|call(?:s|ing)? back|brought back"
        r"|bring(?:s|ing)? back|rescind\w*|reinstat\w+|returned to work|return to work"
        r"|back to work|avert\w*|avoid\w*|spared|sparing|sav(?:e|ed|ing) (?:\w+ )?jobs|jobs saved"
        r"|restor\w+ (?:\w+ )?(?:jobs|positions)|reversed|placed in|reassign\w*|transfers?"
        r"|transferred|redeploy\w*|absorbed|offered (?:other )?(?:jobs|positions)",
        5,
        _PEOPLE,
    ),
    _cue("rehired", r"return(?:s|ed|ing)?", 3, _PEOPLE),
    # Notices before layoffs: "layoff notices" must not count as the word "layoff".
    _cue(
        "layoff_notices",
        r"lay-?off notices?|lay-?off warnings?|notices? of (?:layoffs?|termination|separation)"
        r"|WARN(?: Act)?(?: notices?| filings?| letters?)?|pink[- ]slip(?:s|ped)?|warning notices?"
        r"|termination notices?|layoff letters?|notices|notified|notifications?|warned",
        6,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "layoffs",
        r"laid off|lay(?:ing|s)? (?:them |workers |employees |people )?off"
        r"|lay-?offs?(?! notices?)|layoff(?! notices?| warnings?)|job cuts?|job losses"
        r"|jobs? (?:cuts|losses)|lose (?:their )?jobs|losing (?:their )?jobs|lost (?:their )?jobs"
        rf"|eliminat\w+|{_NOT_PAY}cut(?:s|ting)?|slash\w*|shed(?:s|ding)?|ax(?:e|es|ed|ing)"
        r"|terminat\w+|dismiss\w*|fir(?:e|ed|ing)|redundan\w+|downsiz\w+|furlough\w*"
        r"|reductions? in force|RIFs?|buyouts?|job reductions?|let go|out of work|jobless"
        r"|headcount reductions?|workforce reductions?|trim\w*",
        3,
        f"{_PEOPLE} {_PCT}",
    ),
    # Closures and cuts "affecting 1,300 workers" are job losses; a wage law affecting them is not.
    _cue(
        "layoffs",
        r"(?:clos(?:e|es|ed|ing|ure|ures)|shut\w*|lay-?offs?|cuts|eliminat\w+)[^.;]{0,80}?"
        r"(?:affect\w*|impact\w*)(?=\s+(?:about |nearly |some |roughly |more than |up to )?\d)",
        4,
        _PEOPLE,
    ),
    _cue(
        "layoffs",
        r"displac\w+|clos(?:e|es|ed|ing|ure|ures)|shut(?:s|ting)? down|shutdown"
        r"|wind(?:s|ing)? down|lose|losing|lost|reduc\w+",
        1.5,
        _PEOPLE,
    ),
    _cue(
        "workforce",
        r"(?:employers?|companies|firms|businesses) with|belong\w* to (?:a )?unions?"
        r"|union membership|unionization rate|share of"
        r"|(?:contract|agreement|deal|pact|unit)s? (?:that |which |will |would )?cover(?:s|ing)?",
        6,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "layoffs",
        r"cost(?:s|ing)?(?=\s+(?:about |nearly |some |roughly |more than |up to |as many as )?\d)"
        r"|(?:their|his|her) jobs",
        4,
        _PEOPLE,
    ),
    _cue("workforce", r"remaining", 1.5, _PEOPLE),
    # "has 860 members", "had 11,800 employees": having staff is the size of a workforce.
    _cue(
        "workforce",
        r"(?:has|have|had)(?=\s+(?:about |nearly |some |roughly |more than |almost )?\d)",
        2,
        _PEOPLE,
    ),
    # "its 3,800 employees", "the city's 11,500 employees": a possessive owns a workforce.
    _cue(
        "workforce", r"(?:its|their|our|[A-Za-z]+'s?)(?=\s+(?:about |some |nearly )?\d)", 3, _PEOPLE
    ),
    _cue(
        "workforce",
        r"employ(?:s|ed|ing)?|employer of|workforce|work force|headcount|staff(?:ed|ing)?"
        r"|members?|membership|represent\w*|covered|union of|strong"
        r"|bargaining units?|on strike|strik(?:e|es|ing)|walk(?:ed)? out|walked off|walkout"
        r"|picket\w*|locked out|lockout|total of|nationwide|worldwide|organiz\w+|unioniz\w+"
        r"|ratif\w+",
        2,
        f"{_PEOPLE} {_PCT}",
    ),
    # "will hire 500 workers"; "employees hired after 2011" only says which employees.
    _cue(
        "other",
        r"hir(?:e|es|ing)|(?<!employees )(?<!workers )(?<!staff )(?<!members )hired|recruit\w*"
        r"|replacements?|freez\w+|creat\w+",
        3,
        _PEOPLE,
    ),
    _cue("other", r"vacant|unfilled|open (?:positions|jobs)", 3, _PEOPLE),
    # Money that is about the business, not its workers or budget.
    _cue(
        "other",
        r"valu(?:ed|ation)|revenues?|sales|profits?|net income|(?:net |operating )?loss(?:es)?"
        r"|earnings|debt|market (?:value|cap\w*)|charges?|write-?downs?|investments?|invest(?:s|ed)"
        r"|incentives|tax breaks|funding round|acquisition|acquire\w*|bought|buy(?:back)?"
        r"|thresholds?"
        r"|raised(?=\s+(?:about |nearly |more than |roughly )?\$)"
        r"|price[ds]?|worth|contract worth|fines?|penalt\w+|settlement|damages",
        4,
        _MONEY,
    ),
    _cue(
        "other",
        r"sales|revenues?|share price|shares (?:rose|fell|jumped|dropped|climbed|slid|gained"
        r"|lost|were|are)|stocks?|profits?|earnings|prices|inflation|unemployment rate"
        r"|interest rates?|market share|growth|gdp|turnover|margins?|econom(?:y|ic)"
        r"|(?<!premium )(?<!cost )(?<!cost-)shares"
        r"|output",
        4,
        _PCT,
    ),
    # "cut department budgets by 5 percent", "reduce its staff by 10%": the verb governs "by".
    _cue(
        "spending_cuts",
        r"(?:cut|cuts|cutting|reduc\w+|trim\w*|slash\w*|lower\w*)(?: [\w'-]+){0,3} by",
        5,
        _PCT,
    ),
    _cue(
        "wages",
        r"(?:pay|wages?|salar\w+|raises?)(?: [\w'-]+){0,2} (?:cut|reduced|lowered|slashed|trimmed"
        r"|rise|rises|increased|raised|boosted) by|(?:cut|cuts|reduc\w+|lower\w*|rais\w+"
        r"|increas\w+|boost\w*) (?:their |its |the |his |her )?(?:pay|wages|salar\w+) by",
        8,
        _PCT,
    ),
    _cue(
        "benefits",
        r"(?:pensions?|benefits|premiums|contributions)(?: [\w'-]+){0,2} (?:cut|reduced|lowered"
        r"|slashed|trimmed|rise|rises|increased|raised) by|(?:cut|cuts|reduc\w+|lower\w*|rais\w+"
        r"|increas\w+) (?:their |its |the )?(?:pensions?|benefits|premiums|contributions) by",
        8,
        _PCT,
    ),
    _cue(
        "layoffs",
        r"(?:cut|cuts|cutting|reduc\w+|trim\w*|slash\w*|shrink\w*|shrank)(?: [\w'-]+){0,3} by",
        5,
        _PCT,
    ),
    _cue(
        "spending_cuts",
        r"los(?:e|es|ing|t) (?:[^.;]|\.(?=\d)){0,30}?(?:funding|aid|appropriations?|grants?|funds"
        r"|money|relief)",
        5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "concessions",
        r"concession\w*|give-?backs?|labor savings|labou?r cost savings|labou?r-cost savings"
        r"|savings from (?:the )?(?:unions?|employees|workers|labou?r)|union savings"
        r"|wage freezes?|pay freezes?|wage (?:and benefit )?concessions?",
        6,
        f"{_MONEY} {_PCT}",
    ),
    _cue("savings", r"sav(?:e|es|ed|ing)", 3.5, f"{_MONEY} {_PCT}"),
    _cue(
        "savings",
        r"savings|efficienc\w+|consolidat\w+|streamlin\w+",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "spending_cuts",
        rf"spending cuts?|budget cuts?|{_NOT_PAY}cut(?:s|ting)?|reduc\w+|trim\w*|slash\w*"
        r"|rescission\w*|pare|pared|paring|scale back|scaled back|rein(?:ed)? in|austerity"
        r"|smaller|leaner",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "deficit",
        r"deficits?|shortfalls?|(?:budget |funding |revenue |operating )?gaps?|hole|red ink"
        r"|in the red|imbalance|overruns?|shortage|underfunded|unfunded|more than budgeted"
        r"|over budget",
        4,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "budget",
        r"budgets?(?! office| director| committee)|appropriat\w+|spending plan|spending bill"
        r"|funding(?! round)|allocat\w+|operating plan|outlays?|(?:state|federal|school) aid",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "wages",
        r"pay cuts?|wage cuts?|salary cuts?|cuts? (?:their |in )?(?:pay|wages|salar\w+)"
        r"|pay (?:raises?|increases?|hikes?|rises?)|back (?:pay|wages)|minimum wage"
        r"|(?:one-time|one-off|lump-sum|lump sum|signing|ratification|retention)"
        r" (?:payments?|bonus\w*)"
        r"|labou?r costs?|personnel costs?|payroll costs?|compensation costs?",
        6,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "wages",
        r"wages?|salar\w+|raises?|(?<!would )(?<!will )(?<!to )(?<!must )(?<!could )(?<!should )"
        r"pay(?:s|check|checks)?|paid|earn\w*|hourly|an hour|per hour"
        r"|bonus\w*|cost-of-living|COLA|step increases?|compensation|payroll|overtime|merit"
        r"|increase in pay|signing|stipends?|retention",
        3,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "benefits",
        r"premiums?|pensions?|retirement (?:benefits|plans?|accounts?|contributions?|system)"
        r"|retiree (?:health|benefits)|benefits?|contribut\w+|co-?pays?|deductibles?|401\(k\)"
        r"|health (?:care |insurance )?(?:premiums?|benefits?|coverage|plans?|costs?|insurance)"
        r"|health-care (?:costs?|contributions?)|healthcare costs?|medical (?:benefits|plans?"
        r"|coverage)|insurance|OPEB|annuit\w+",
        3.5,
        f"{_MONEY} {_PCT}",
    ),
)

_CUES_BY_UNIT: dict[str, tuple[Cue, ...]] = {
    unit: tuple(cue for cue in CUES if unit in cue.units) for unit in ("USD", "people", "percent")
}

# Workers as opposed to customers, residents, fans: an unqualified head count of them is a
# workforce size.
WORKER_NOUNS = _words(
    """
    workers worker employees employee staff staffers members member personnel crew crews
    nurses teachers educators officers troopers guards drivers operators mechanics machinists
    engineers pilots attendants firefighters deputies clerks janitors custodians technicians
    laborers labourers miners autoworkers steelworkers dockworkers longshoremen hands associates
    contractors faculty professors instructors aides caregivers paraprofessionals
    paramedics therapists pharmacists doctors physicians researchers assistants
    scientists analysts developers programmers agents representatives reps cashiers servers cooks
    baristas conductors carriers police journalists reporters editors people persons
    individuals employees' workers' strikers person employee-owned person-strong
    """
)
_JOB_NOUNS = _words("jobs job positions position posts roles seats slots openings vacancies")
# People who are not staff: customers, riders, students are counted, not employed.
_NON_STAFF = _words(
    """
    residents customers clients patients passengers riders fans students pupils children kids
    adults parents seniors veterans inmates prisoners immigrants applicants volunteers citizens
    taxpayers consumers subscribers users visitors tenants homeowners voters families households
    americans women men runners participants attendees
    """
)

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
        for cue in _CUES_BY_UNIT.get(unit, ())
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
