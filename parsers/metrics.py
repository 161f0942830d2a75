"""Which of the twelve FIGURES.md metrics a figure measures, from the words around it.

Each metric has cue phrases with a weight. A cue counts for a figure in proportion to its weight
and inversely to its distance (in words) from the figure within the sentence, so "cut $1 billion
from the state budget" is a spending cut, not a budget, and a sentence that speaks of layoff
notices makes its head counts notices even when the number sits a clause away. Units restrict the
possible metrics: money is never "layoffs", a head count never "deficit".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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
    return Cue(
        metric, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), weight, frozenset(units.split())
    )


_MONEY = "USD"
_PEOPLE = "people"
_PCT = "percent"

CUES: tuple[Cue, ...] = (
    # --- notices before layoffs: "layoff notices" must not count as the word "layoff".
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
        r"laid off|lay(?:ing|s)? (?:them |workers |employees |people )?off|lay-?offs?(?! notices?)"
        r"|layoff(?! notices?| warnings?)|job cuts?|job losses|jobs? (?:cuts|losses)"
        r"|lose (?:their )?jobs"
        r"|losing (?:their )?jobs|lost (?:their )?jobs|eliminat\w+|cut(?:s|ting)?|slash\w*"
        r"|shed(?:s|ding)?"
        r"|ax(?:e|es|ed|ing)|terminat\w+|dismiss\w*|fir(?:e|ed|ing)|redundan\w+|downsiz\w+"
        r"|furlough\w*|reduction in force|reductions in force|RIFs?|buyouts?|job reductions?"
        r"|let go|out of work|jobless|headcount reductions?|workforce reductions?|trim\w*|reduc\w+",
        3,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "layoffs",
        r"affect\w*|impact\w*|displac\w+|clos(?:e|es|ed|ing|ure|ures)|shut(?:s|ting)? down|shutdown"
        r"|wind(?:s|ing)? down|lose|losing|lost",
        1,
        _PEOPLE,
    ),
    _cue(
        "rehired",
        r"recall(?:s|ed|ing)?|rehir\w+|re-hir\w+|called back|call(?:s|ing)? back|brought back"
        r"|bring(?:s|ing)? back|rescind\w*|reinstat\w+|returned to work|return to work"
        r"|back to work|avert\w*|avoid\w*|spared|sparing|sav(?:e|ed|ing) (?:\w+ )?jobs|jobs saved"
        r"|restor\w+ (?:\w+ )?(?:jobs|positions)|reversed",
        5,
        _PEOPLE,
    ),
    _cue(
        "workforce",
        r"employ(?:s|ed|ing)?|employer of|workforce|work force|headcount|staff(?:ed|ing)?|members?"
        r"|membership|represent\w*|covered|covers|covering|union of|strong|bargaining units?"
        r"|on strike|strik(?:e|es|ing)|walk(?:ed)? out|walkout|picket\w*|locked out|lockout"
        r"|total of|nationwide|worldwide|organiz\w+|unioniz\w+|ratif\w+",
        2,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "concessions",
        r"concessions?|give-?backs?|labor savings|labou?r cost savings|labou?r-cost savings"
        r"|savings from (?:the )?(?:unions?|employees|workers|labou?r)|union savings"
        r"|wage freezes?|pay freezes?|wage (?:and benefit )?concessions?",
        6,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "savings",
        r"sav(?:e|es|ed|ing|ings)|efficienc\w+|consolidat\w+|streamlin\w+",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "spending_cuts",
        r"spending cuts?|budget cuts?|cut(?:s|ting)?|reduc\w+|trim\w*|slash\w*|rescission\w*"
        r"|pare|pared|paring|scale back|scaled back|rein(?:ed)? in|austerity",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "deficit",
        r"deficits?|shortfalls?|(?:budget |funding |revenue )?gaps?|hole|red ink|in the red"
        r"|imbalance|overruns?|shortage|underfunded|unfunded|short",
        4,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "budget",
        r"budgets?|appropriat\w+|spending plan|spending bill|funding|allocat\w+|operating plan"
        r"|outlays?|spend(?:s|ing)?",
        2.5,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "wages",
        r"wages?|salar\w+|raises?|pay(?:s|check|checks|ing)?|paid|earn\w*|hourly|an hour|per hour"
        r"|bonus\w*|cost-of-living|COLA|step increases?|minimum wage|compensation|payroll"
        r"|overtime|merit|increase in pay|pay increases?|pay hikes?|pay rises?|signing|stipends?"
        r"|retention",
        3,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "benefits",
        r"health(?:care| care)?|premiums?|pensions?|retirement|retirees?|benefits?|contributions?"
        r"|co-?pays?|deductibles?|401\(k\)|medical|insurance|OPEB|annuit\w+|severance",
        3.5,
        f"{_MONEY} {_PCT}",
    ),
)

# Workers as opposed to customers, residents, fans: an unqualified head count of them is a
# workforce size.
WORKER_NOUNS = _words(
    """
    workers worker employees employee staff staffers staffer members member personnel crew crews
    nurses teachers educators officers troopers guards drivers operators mechanics machinists
    engineers pilots attendants firefighters deputies clerks janitors custodians technicians
    laborers labourers miners autoworkers steelworkers dockworkers longshoremen hands associates
    contractors faculty professors instructors aides caregivers paraprofessionals
    paramedics therapists pharmacists doctors physicians residents-physicians researchers
    scientists analysts developers programmers agents representatives reps cashiers servers cooks
    baristas bus-drivers conductors carriers postal-workers correction-officers police
    """
)
_JOB_NOUNS = _words("jobs job positions position posts roles seats slots openings")


def _word_distance(text: str, start: int, end: int) -> int:
    return len(_WORD.findall(text[start:end]))


def cue_scores(sentence: str, span_start: int, span_end: int, unit: str) -> dict[str, float]:
    """Score every metric allowed for `unit` by the cues around sentence[span_start:span_end]."""
    scores: dict[str, float] = {}
    for cue in CUES:
        if unit not in cue.units:
            continue
        for match in cue.pattern.finditer(sentence):
            if match.start() >= span_start and match.end() <= span_end:
                distance = 0  # a cue inside the figure's own span: "1,000 layoffs"
            elif match.end() <= span_start:
                distance = _word_distance(sentence, match.end(), span_start)
            elif match.start() >= span_end:
                distance = _word_distance(sentence, span_end, match.start())
            else:
                distance = 0
            # Words after the figure usually belong to it ("$3.6 billion deficit").
            score = cue.weight / (1 + distance / 3)
            if score > scores.get(cue.metric, 0.0):
                scores[cue.metric] = score
    return scores


_LABOR_AGENT = re.compile(
    r"\b(?:unions?|employees|workers|labou?r|bargaining|SEBAC|AFSCME|SEIU|Teamsters|UAW|AFL-CIO"
    r"|collective)\b",
    re.IGNORECASE,
)
_SHARE_OF_STAFF = re.compile(
    r"^\s*(?:of\s+)?(?:(?:its|the|their|his|her|our|[\w.&'-]+'s?)\s+)*(?:\w+\s+)?"
    r"(?:workforce|work force|staff|employees|workers|jobs|positions|headcount|members"
    r"|employment)\b",
    re.IGNORECASE,
)


def classify_metric(
    sentence: str, span_start: int, span_end: int, unit: str, head_noun: str | None = None
) -> str:
    """The metric of the figure at sentence[span_start:span_end] with the given unit."""
    if unit == "count":
        return "other"
    head = (head_noun or "").lower()
    if unit == "people":
        if head in ("notices", "notice", "letters", "pink slips", "warnings"):
            return "layoff_notices"
        if head in ("layoffs", "layoff", "furloughs", "cuts", "redundancies", "firings", "buyouts"):
            return "layoffs"
        if head in ("recalls", "rehires"):
            return "rehired"
    scores = cue_scores(sentence, span_start, span_end, unit)
    if unit == "percent" and not _SHARE_OF_STAFF.match(sentence[span_end:]):
        # A percentage of something other than staff is never a head count.
        for metric in ("layoffs", "layoff_notices", "workforce"):
            scores.pop(metric, None)
    if unit == "percent" and _SHARE_OF_STAFF.match(sentence[span_end:]):
        for metric in ("spending_cuts", "savings", "budget"):
            scores.pop(metric, None)
    if not scores:
        if unit == "people" and (head in WORKER_NOUNS or head in ("union", "unions")):
            return "workforce"
        return "other"
    best = max(scores, key=lambda metric: scores[metric])
    if best == "savings" and _LABOR_AGENT.search(sentence):
        # Savings asked of or agreed by unions and employees are concessions.
        return "concessions"
    if best == "workforce" and unit == "people" and head in _JOB_NOUNS:
        return "other"
    return best
