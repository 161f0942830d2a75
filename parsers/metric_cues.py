"""The cue table of metric classification: which words speak for which FIGURES.md metric.

Each cue is a phrase pattern, a weight and the units it may describe. `metrics` scores them by
distance from the figure; the strongest cues are the ones that only one metric uses ("layoff
notices", "went on strike", "budget shortfall"), the weakest are common words that need to stand
next to the number ("cut", "members").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from laborwatch.parsers.text import compile_lower


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
    _cue(
        "rehired",
        r"hir(?:e|es|ed|ing) back|(?:come|comes|came|coming) back|retain\w*"
        r"|(?:jobs|positions|workers|employees|staff)(?: \w+){0,4} restored"
        r"|(?:not|n't|never) (?:\w+ )?(?:lose|lost|cut|eliminate)",
        5,
        _PEOPLE,
    ),
    _cue("rehired", r"return(?:s|ed|ing)?", 3, _PEOPLE),
    # People on strike or locked out (FIGURES.md `strikers`); a union's size is `workforce`.
    _cue(
        "strikers",
        r"on strike|(?:will|would|to|could|may|might|set to|poised to|ready to|threaten\w* to"
        r"|vote\w* to|plan\w* to) (?:go on )?strike|strik(?:e|es|ed|ing)|struck|strikers"
        r"|walk(?:s|ed|ing)? (?:off the job|off|out)|walkouts?|locked out|lockouts?|picket\w*"
        r"|work stoppages?",
        5,
        _PEOPLE,
    ),
    # Notices before layoffs: "layoff notices" must not count as the word "layoff".
    _cue(
        "layoff_notices",
        r"lay-?off notices?|lay-?off warnings?|notices? of (?:layoffs?|termination|separation)"
        r"|WARN(?: Act)?(?: notices?| filings?| letters?)?|pink[- ]slip(?:s|ped)?|warning notices?"
        r"|termination notices?|dismissal (?:notices?|letters?)|notices? of dismissal"
        r"|told (?:that )?they (?:could|would|will|may|might) be"
        r" (?:fired|laid off|dismissed|let go)"
        r"|layoff letters?|notices|notified|notifications?|warned"
        r"|(?:receive|receives|received|receiving|get|got|given|sent|issued) notice",
        6,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "layoffs",
        r"laid[- ]off|lay(?:ing|s)? (?:them |workers |employees |people )?off"
        r"|lay-?offs?(?! notices?)|layoff(?! notices?| warnings?)|job cuts?|job losses"
        r"|jobs? (?:cuts|losses)|lose (?:their )?jobs|losing (?:their )?jobs|lost (?:their )?jobs"
        rf"|eliminat\w+|{_NOT_PAY}cut(?:s|ting)?|slash\w*|shed(?:s|ding)?|ax(?:e|es|ed|ing)"
        r"|terminat\w+|dismiss\w*|fir(?:e|ed|ing)|redundan\w+|downsiz\w+|furlough\w*"
        r"|reductions? in force|RIFs?|buyouts?|job reductions?|let go|out of work|jobless"
        r"|headcount reductions?|workforce reductions?|trim\w*|idl(?:e|es|ed|ing)",
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
        r"(?:employers?|companies|firms|businesses|plants?|factory|factories|facility|facilities"
        r"|mills?|sites?|hospitals?|stores?|offices?|centers?) with|belong\w* to (?:a )?unions?"
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
    _cue("workforce", r"leaving|leaves", 1.5, _PEOPLE),
    # "reduce the size of the company by approximately 10,000 people"
    _cue(
        "layoffs",
        r"(?:reduc\w+|cut\w*|shr[ia]nk\w*|trim\w*)(?: [\w'-]+){0,6} by"
        r"(?= (?:about |approximately |roughly |nearly |some |more than |up to )?\d)",
        5,
        _PEOPLE,
    ),
    _cue("workforce", r"remaining", 1, _PEOPLE),
    # "the number of firefighters on each shift", "a vote among 15,000 nurses"
    _cue("workforce", r"(?:number|size|ranks) of", 2.5, _PEOPLE),
    _cue("workforce", r"vot\w+ (?:[\w'-]+ ){0,4}among", 4, _PEOPLE),
    # "has 860 members", "had 11,800 employees": having staff is the size of a workforce.
    _cue(
        "workforce",
        r"(?:has|have|had)(?=\s+(?:about |nearly |some |roughly |more than |almost )?\d)",
        2,
        _PEOPLE,
    ),
    # "its 3,800 employees", "the city's 11,500 employees": a possessive owns a workforce.
    _cue(
        "workforce", r"(?:its|their|our|[A-Za-z]+'s?)(?=\s+(?:about |some |nearly )?\d)", 2, _PEOPLE
    ),
    _cue(
        "workforce",
        r"employ(?:s|ed|ing)?|employer of|workforce|work force|headcount|staff(?:ed|ing)?"
        r"|members?|membership|represent\w*|covered|union of|strong"
        r"|bargaining units?|total of|nationwide|worldwide|organiz\w+|unioniz\w+"
        r"|ratif\w+",
        2,
        f"{_PEOPLE} {_PCT}",
    ),
    _cue(
        "workforce",
        r"(?:union )?membership rates?|unioni[sz]ation rates?|members of (?:a |labor )?unions?"
        r"|unioni[sz]ed|union members",
        7,
        _PCT,
    ),
    # "will hire 500 workers"; "employees hired after 2011" only says which employees.
    _cue(
        "other",
        r"hir(?:e|es|ing)|(?<!employees )(?<!workers )(?<!staff )(?<!members )hired|recruit\w*"
        r"|replacements?|freez\w+|creat\w+|add(?:s|ed|ing)?|new (?:jobs|positions)|advertis\w+"
        r"|early retire\w*|retirement (?:packages?|incentives?|offers?)",
        3,
        _PEOPLE,
    ),
    # Left vacant is not a layoff; vacant positions eliminated are (`metrics`, FIGURES.md).
    _cue("other", r"vacant|unfilled|open (?:positions|jobs)", 3, _PEOPLE),
    # Money that is about the business, not its workers or budget.
    _cue("other", r"los(?:e|es|ing|t)", 2.5, _MONEY),
    _cue(
        "other",
        r"valu(?:ed|ation)|revenues?|sales|profits?|net income|(?:net |operating )?loss(?:es)?"
        r"|earnings|debt|market (?:value|cap\w*)|charges?|write-?downs?|investments?|invest(?:s|ed)"
        r"|investors?|lifeline|stakes?|gdp|gross domestic product"
        r"|(?:real|national|household) income"
        r"|incentives|tax breaks|funding round|acquisition|acquire\w*|bought|buy(?:back)?"
        r"|thresholds?"
        r"|raised(?=\s+(?:about |nearly |more than |roughly )?\$)"
        r"|price[ds]?|contract worth|fines?|penalt\w+|settlement|damages",
        4,
        _MONEY,
    ),
    _cue(
        "other",
        r"sales|revenues?|share price|shares (?:rose|fell|jumped|dropped|climbed|slid|gained"
        r"|lost|were|are)|stocks?|profits?|earnings|prices|inflation|unemployment rate"
        r"|interest rates?|market share|growth|gdp|turnover|margins?|econom(?:y|ic)"
        r"|price index|cpi|consumer prices?|returns?|returned|premium to"
        r"|(?<!premium )(?<!cost )(?<!cost-)shares"
        r"|output|stakes?",
        4,
        _PCT,
    ),
    # "reduce the national gross domestic product by 0.3 percent": the economy, not a budget.
    _cue(
        "other",
        r"(?:cut|cuts|reduc\w+|lower\w*|rais\w+|increas\w+|boost\w*|shrink\w*|shrank)"
        r"(?: (?:the|its|their|annual|national|u\.s\.|nation's|country's|state's))*"
        r" (?:gdp|gross domestic product|economic growth|economic output|output|economy|exports"
        r"|imports|trade deficit|inflation|consumer prices)(?: [\w'-]+){0,3} by",
        8,
        f"{_PCT} {_MONEY}",
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
        r"(?:pay|wages?|salar\w+|raises?)(?: [\w'-]+){0,3} (?:cut|reduced|lowered|slashed|trimmed"
        r"|rise|rises|increased|raised|boosted) by|(?:cut|cuts|reduc\w+|lower\w*|rais\w+"
        r"|increas\w+|boost\w*) (?:their |its |the |his |her )?(?:pay|wages|salar\w+)"
        r"(?: [\w'-]+){0,3} by",
        8,
        _PCT,
    ),
    _cue(
        "benefits",
        r"(?:pensions?|benefits|premiums|contributions)(?: [\w'-]+){0,3} (?:cut|reduced|lowered"
        r"|slashed|trimmed|rise|rises|increased|raised) by|(?:cut|cuts|reduc\w+|lower\w*|rais\w+"
        r"|increas\w+) (?:their |its |the )?(?:pensions?|benefits|premiums|contributions)"
        r"(?: [\w'-]+){0,3} by",
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
    _cue("savings", r"sav(?:e|es|ed|ing)|synerg\w+", 3.5, f"{_MONEY} {_PCT}"),
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
        r"(?:budget |funding |revenue |operating )?(?:deficits?|shortfalls?|gaps?|holes?)|red ink"
        r"|in the red|imbalance|overruns?|shortage|underfunded|unfunded|more than budgeted"
        r"|over budget",
        4,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "deficit",
        r"(?:loss|losses|drop|decline) in revenues?|revenue (?:loss|losses|shortfall)",
        6,
        _MONEY,
    ),
    _cue(
        "budget",
        r"budgets?(?! office| director| committee)|appropriat\w+|spending plan|spending bill"
        r"|funding(?! round)|allocat\w+|operating plan|outlays?|(?:state|federal|school) aid"
        r"|(?:state|federal|city|county|additional|new|extra|emergency|public) funds|grants?|aid"
        r"|infusion|budgeted",
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
        r"pay(?:s|check|checks|ing)?|paid|earn\w*|hourly|an hour|per hour|severance"
        r"|bonus\w*|cost-of-living|COLA|step increases?|compensation|payroll|overtime|merit"
        r"|increase in pay|signing|stipends?|retention",
        3,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "benefits",
        r"(?:reductions?|cuts?|increases?) (?:in|to) (?:\w+ ){0,2}(?:pensions?|benefits|premiums"
        r"|contributions|superannuation|health)|for (?:\w+ ){0,3}(?:health|insurance|pensions?"
        r"|retirement|medical)",
        8,
        f"{_MONEY} {_PCT}",
    ),
    _cue(
        "benefits",
        r"premiums?|pensions?|retirement (?:benefits|plans?|accounts?|contributions?|system)"
        r"|retiree (?:health|benefits)|benefits?|contribut\w+|co-?pays?|deductibles?|401\(k\)"
        r"|health (?:care |insurance )?(?:premiums?|benefits?|coverage|plans?|costs?|insurance)"
        r"|health-care (?:costs?|contributions?)|healthcare costs?|superannuation"
        r"|medical (?:benefits|plans?"
        r"|coverage)|insurance|OPEB|annuit\w+",
        3.5,
        f"{_MONEY} {_PCT}",
    ),
)


CUES_BY_UNIT: dict[str, tuple[Cue, ...]] = {
    unit: tuple(cue for cue in CUES if unit in cue.units) for unit in ("USD", "people", "percent")
}

# Workers as opposed to customers, residents, fans: an unqualified head count of them is a
# workforce size.
WORKER_NOUNS = _words(
    """
    servants principals secretaries aides counselors specialists liaisons liasons
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
