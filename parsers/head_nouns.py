"""What a plain number counts: the noun after it (people, things, durations, non-figures).

`head_noun` reads the words after a number up to the noun it counts ("127 assistant principals",
"two U.S. chicken plants", "three periods") and says whether that noun counts people, things,
time or something that is never a figure (votes, strikes in baseball, miles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


PEOPLE_NOUNS = _words(
    """
    people persons individuals workers employees staff staffers members
    personnel crew crews jobs positions posts roles layoffs notices pink-slips slips
    furloughs redundancies firings buyouts hires recruits trainees interns apprentices
    nurses teachers educators officers troopers guards drivers operators mechanics machinists
    engineers pilots attendants firefighters deputies clerks janitors custodians technicians
    laborers labourers miners autoworkers steelworkers dockworkers longshoremen hands associates
    contractors faculty professors instructors aides caregivers paraprofessionals paramedics
    therapists pharmacists doctors physicians researchers scientists analysts developers
    programmers agents representatives cashiers servers cooks baristas conductors carriers
    police strikers picketers protesters demonstrators retirees pensioners residents customers
    clients patients passengers riders fans students pupils children kids adults parents seniors
    veterans inmates prisoners immigrants applicants volunteers citizens taxpayers consumers
    subscribers users visitors tenants homeowners voters families households americans women men
    managers executives supervisors administrators workers' lawmakers legislators troops
    soldiers sailors marines airmen linemen electricians plumbers carpenters welders loggers
    farmworkers housekeepers dishwashers bartenders waiters waitresses journalists reporters
    editors writers actors musicians players athletes coaches referees umpires assistants
    vacancies openings dispatchers installers accountants consultants hygienists teamsters
    longshoremen counselors counsellors housekeepers principals secretaries liaisons liasons
    specialists servants
    """
)
THING_NOUNS = _words(
    """
    agencies homes plants stores facilities offices units locations branches schools hospitals
    clinics vehicles cars trucks buses contracts departments sites factories mills mines
    warehouses restaurants centers centres companies firms businesses unions locals states
    counties cities towns districts bills grievances lawsuits complaints routes programs
    programmes projects properties buildings beds campuses stations terminals outlets
    dealerships franchises divisions subsidiaries brands products aircraft planes jets ships
    vessels trains devices machines shops hotels casinos banks colleges universities libraries
    prisons courts lines positions-open employers organizations organisations groups chapters
    councils boards commissions institutions nonprofits charities churches farms ranches
    agreements contracts deals proposals claims charges cases flights automakers shifts
    """
)
TIME_NOUNS = _words(
    """
    year years yr yrs month months week weeks day days hour hours minute minutes second seconds
    decade decades century centuries quarter quarters semester semesters term terms periods
    weekend weekends night nights morning mornings season seasons year-old years-old
    furlough-days workdays workweeks sessions
    """
)
NON_FIGURE_NOUNS = _words(
    """
    zeroes zeros votes vote ballots times time points point percentage-points reasons ways things
    questions steps sides words degrees miles feet foot inches inch acres tons pounds ounces
    gallons barrels liters litres meters metres kilometers kilometres mph yards square
    cubic runs goals innings strikes hits homers touchdowns rebounds assists wins losses games
    seeds kilograms kg grams calories cups tablespoons teaspoons servings slices bytes
    gigabytes megawatts kilowatts watts volts stars laps shots saves
    halves thirds fourths fifths sixths sevenths eighths ninths tenths
    strikeouts outs at-bats doubles triples steals walks wickets sacks tackles interceptions
    fumbles completions receptions birdies bogeys putts aces sets frames baskets dunks
    turnovers fouls chances pieces chunks pitches blocks
    """
)
_STOP_WORDS = _words(
    """
    of to in at for from by with on than who that which is are was were will would could should
    has have had be been being said says say a an the this these those it its they their them he
    she his her we our you your as if or but so not no nor into onto over under after before
    since until while when where because about per each every more most less least like
    do does did can may might must shall also just only still even yet
    """
)
_VERBISH_PLURALS = _words(
    "was has does is says makes takes gives goes comes seems means needs wants plans cuts adds"
    " faces sees gets puts keeps runs helps asks tells shows includes remains stands"
)
_DETERMINERS = _words("the its their his her our this that these those whose all")

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'&-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*|[^\s\w]")


@dataclass(slots=True)
class _Scan:
    """What the words read so far after a number say."""

    partitive: bool = False  # "120 of the 176 teachers"
    modifiers: int = 0
    previous: str = ""
    previous_capitalised: bool = False


HeadNoun = tuple[str | None, str | None, int, bool]


def head_noun(folded: str, position: int, limit: int) -> HeadNoun:
    """Classify the noun a plain number counts: ("people"|"count"|"time"|"nonfigure"|None),
    the noun, where it ends and whether the number is partitive ("two of the agencies")."""
    scan = _Scan()
    tokens = list(_TOKEN.finditer(folded, position, min(limit, position + 120)))
    for index, token in enumerate(tokens):
        raw = token.group(0)
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
        if not raw[0].isalpha():
            if _skips_symbol(scan, raw, following):
                continue
            return None, None, position, scan.partitive
        word = raw.lower()
        if len(raw) == 1 and raw.isupper() and following == ".":
            scan.modifiers += 1  # "30,000 striking L.A. teachers"
            scan.previous, scan.previous_capitalised = raw, True
            continue
        if word.endswith("'s") or word.endswith("'"):
            if scan.partitive:
                continue  # "of the company's 10,000 workers" (a later number stops the scan)
            word = word.rstrip("'s") if word.endswith("'s") else word.rstrip("'")
        if word == "of" and scan.modifiers == 0 and not scan.partitive:
            scan.partitive = True
            continue
        if scan.partitive and word in _DETERMINERS:
            continue
        if "-" in word and word.split("-")[-1] in _SINGULAR_TIME and following[:1].isalpha():
            scan.modifiers += 1  # "212 three-hour aides"
            scan.previous = raw
            continue
        found = _noun(word, raw, following, scan.previous)
        if found is not None:
            kind, head, on_following = found
            end = tokens[index + 1].end() if on_following else token.end()
            return kind, head, end, scan.partitive
        if word in ("more", "fewer") and scan.modifiers == 0:
            scan.modifiers += 1  # "two more locations", "40 fewer stores"
            continue
        if word in _STOP_WORDS or (word in ("and", "or") and scan.modifiers == 0):
            return None, None, position, scan.partitive
        if _plural_thing(word, raw):
            return "count", word, token.end(), scan.partitive
        scan.modifiers += 1
        scan.previous_capitalised = raw[0].isupper()
        scan.previous = raw
        if scan.modifiers > 4:
            break
    return None, None, position, scan.partitive


def _skips_symbol(scan: _Scan, raw: str, following: str) -> bool:
    """True when a symbol or digit inside a noun phrase does not end it."""
    if raw in "&-" or (raw == "'" and scan.partitive):
        return True
    if raw == "." and len(scan.previous) == 1 and scan.previous.isupper():
        return True  # "two U.S. chicken plants"
    if raw == "," and scan.previous_capitalised and scan.modifiers > 0 and following[:1].isupper():
        return True  # "three Stellantis, GM, and Ford plants"
    if scan.partitive and raw[0].isdigit():
        return True  # "120 of the 176 teachers": the whole is counted in the same noun
    if raw[0].isdigit() and scan.previous_capitalised and "," not in raw:
        scan.modifiers += 1  # "150,000 so-called Tier 2 employees": the digit names a tier
        scan.previous_capitalised = False
        return True
    return False


def _noun(word: str, raw: str, following: str, previous: str) -> tuple[str, str, bool] | None:
    """(kind, noun, noun is the following word) when `word` is or starts the counted noun."""
    if word in TIME_NOUNS or word.split("-")[-1] in TIME_NOUNS:
        return "time", word, False
    if previous.lower() == "job" and word in ("losses", "cuts", "reductions"):
        return "people", word, False  # "258 job losses"
    if word in NON_FIGURE_NOUNS:
        return "nonfigure", word, False
    compound = _compound_head(raw, following)
    if compound is not None:
        return compound, following.lower(), True
    if word in PEOPLE_NOUNS or word.split("-")[-1] in PEOPLE_NOUNS:
        if raw[0].isupper() and following[:1].isupper() and not _stop(following):
            return None  # "Public Employees Benefits Board": a name goes on
        return "people", word.split("-")[-1], False
    if word in THING_NOUNS:
        return "count", word, False
    if _looks_like_people(word, raw):
        return "people", word, False
    return None


def _plural_thing(word: str, raw: str) -> bool:
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "'s"))
        and raw[0].islower()
        and word not in _VERBISH_PLURALS
    )


_SINGULAR_TIME = frozenset(("hour", "day", "week", "month", "year", "minute"))


def _stop(word: str) -> bool:
    return word.lower() in _STOP_WORDS or word.lower() in ("and", "or")


def _compound_head(raw: str, following: str) -> str | None:
    """The last noun of a compound counts: "public employees unions" are unions, "school
    operations officers" are officers."""
    word, last = raw.lower(), following.lower()
    if not last[:1].isalpha() or raw[0].isupper() != following[0].isupper():
        return None
    if word in PEOPLE_NOUNS and last in THING_NOUNS and last.endswith("s"):
        return "count"
    plural_thing = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    if plural_thing and word not in PEOPLE_NOUNS and last in PEOPLE_NOUNS:
        return "people"
    return None


def non_figure_noun(word: str) -> bool:
    # Glued measures are singular: "a 4-pound roast", "a 6-inch blade", "a 12-ounce can".
    return any(form in NON_FIGURE_NOUNS for form in (word, f"{word}s", f"{word}es"))


# Agent nouns ("dispatchers", "electricians", "accountants") are people; these are not.
_AGENT_SUFFIX = re.compile(r"(?:[a-z]ers|[a-z]ors|ists|ians|ants)$")
_NOT_AGENTS = _words(
    """
    centers centres computers containers trailers orders shelters towers tractors sensors
    reactors monitors printers headquarters quarters numbers letters papers chapters offers
    transfers matters layers filters factors sectors vendors suppliers carriers retailers
    manufacturers lenders insurers employers providers dealers distributors wholesalers
    restaurants plants grants elephants merchants tenants-unions covenants pants
    errors doors floors colors colours motors elevators meters liters litres dollars
    corridors calendars registers boosters stickers posters banners flyers markers
    """
)


def _looks_like_people(word: str, raw: str) -> bool:
    return (
        raw[0].islower()
        and len(word) > 5
        and _AGENT_SUFFIX.search(word) is not None
        and word not in _NOT_AGENTS
    )
