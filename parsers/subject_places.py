"""Places behind a public-sector subject: the US state, city or county a story is about.

A public workforce is named after its government ("Connecticut state employees"), found from the
dateline, state names and abbreviations, capitals, big cities and governors, scored against the
public-sector wording of each level (state, city, county, federal).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from laborwatch.parsers.places import GOVERNORS, STATES
from laborwatch.parsers.text import compile_lower

_PUBLIC_STATE = compile_lower(
    r"\bstate(?:'s)?[- ](?:employees?|workers?|workforce|agenc\w+|budget|government|troopers"
    r"|employee unions?|unions?|payroll|jobs|positions|personnel|service|departments?"
    r"|prison|colleges?|universit\w+|hospitals?|offices?|contracts?)\b"
    r"|\bGov(?:ernor|\.)\s|\bgovernor\b|\blegislat\w+|\blawmakers\b|\bstate house\b|\bstatehouse\b"
    r"|\bpublic[- ](?:sector|employees?|workers?|employee unions?)|\bcivil serv\w+"
    r"|\bstate (?:senate|assembly|capitol)\b|\bAppropriations Committee\b",
)
_PUBLIC_CITY = compile_lower(
    r"\b(?:city|municipal|town)(?:'s)?[- ](?:employees?|workers?|workforce|budget|council|hall"
    r"|unions?|agencies|departments?|payroll|employs|general fund|pension\w*|controller)\b"
    r"|\bmayor\b|\bcity manager\b|\bthe city\b",
)
_PUBLIC_COUNTY = compile_lower(
    r"\bcounty(?:'s)?[- ](?:employees?|workers?|workforce|budget|commission\w*|board|executive"
    r"|supervisors|government|payroll|employs|jobs|positions)\b|\bthe county\b",
)
_PUBLIC_FEDERAL = compile_lower(
    r"\bfederal[- ](?:employees?|workers?|workforce|agenc\w+|government|civil servants?|jobs"
    r"|payroll|staff)\b|\bOffice of Personnel Management\b|\bOPM\b|\bgovernment shutdown\b"
    r"|\bCongress\b|\bWhite House\b|\bDOGE\b|\bprobationary employees\b",
)
# Each lexicon with the words one of which every match contains, so absent ones cost nothing.
PUBLIC_LEXICONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        _PUBLIC_STATE,
        ("state", "gov", "legislat", "lawmakers", "public", "civil serv", "appropriations"),
    ),
    (_PUBLIC_CITY, ("city", "municipal", "town", "mayor")),
    (_PUBLIC_COUNTY, ("county",)),
    (
        _PUBLIC_FEDERAL,
        (
            "federal",
            "office of personnel",
            "opm",
            "government shutdown",
            "congress",
            "white house",
            "doge",
            "probationary",
        ),
    ),
)
SCHOOL = compile_lower(r"\b(?:school district|school board|public schools|teachers union)\b")


@dataclass(frozen=True, slots=True)
class _StateLexicon:
    names: re.Pattern[str]  # any state name or abbreviation, one group per alternative
    name_to_state: dict[str, str]
    dateline: re.Pattern[str]  # "HARTFORD, Conn. -", "ALBANY -"
    dateline_to_state: dict[str, str]
    governors: re.Pattern[str]
    governor_to_state: dict[str, str]
    surname_to_state: dict[str, str]
    governor_tails: frozenset[str]  # each governor's surname as _CAPITALISED finds it


@lru_cache(maxsize=1)
def _state_lexicon() -> _StateLexicon:
    """One combined pattern per kind of evidence, so a story is scanned a handful of times."""
    name_to_state: dict[str, str] = {}
    dateline_to_state: dict[str, str] = {}
    for state, (postal, abbreviations, capital, cities) in STATES.items():
        for name in (state, *abbreviations):
            name_to_state[name] = state
        dateline_to_state[postal] = state
        for name in (state, *abbreviations):
            dateline_to_state[name] = state
        dateline_to_state.setdefault(capital.upper(), state)
        for city in cities:
            dateline_to_state.setdefault(city.upper(), state)
    governor_to_state: dict[str, str] = {}
    surname_to_state: dict[str, str] = {}
    surname_counts = Counter(full.split()[-1] for names in GOVERNORS.values() for full in names)
    parts = []
    for state, governors in GOVERNORS.items():
        for full in governors:
            first, *rest = full.split()
            last = rest[-1] if rest else first
            parts.append(rf"{re.escape(first)}\s+(?:[A-Z]\.\s+)?{re.escape(' '.join(rest))}")
            governor_to_state[last] = state
            if surname_counts[last] == 1:
                surname_to_state[last] = state
    for last in surname_to_state:
        parts.append(rf"Gov(?:ernor|\.)\s+{re.escape(last)}")

    def alternation(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return _StateLexicon(
        names=re.compile(rf"(?<![\w.])(?=[A-Z])(?:{alternation(list(name_to_state))})(?!\w)"),
        name_to_state=name_to_state,
        dateline=re.compile(
            rf"^\s*(?:[A-Z][A-Z .'-]+,\s*)?({alternation(list(dateline_to_state))})\.?\s*[-(,]"
        ),
        dateline_to_state=dateline_to_state,
        governors=re.compile(rf"\b(?=[A-Z])(?:{'|'.join(parts)})\b"),
        governor_to_state=governor_to_state,
        surname_to_state=surname_to_state,
        governor_tails=frozenset(_CAPITALISED.findall(last)[-1] for last in governor_to_state),
    )


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_STATE_EMPLOYEES = re.compile(
    r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:'s)? state (?:employees|workers)"
)


def detect_state(title: str, text: str) -> str | None:
    """The US state a story is about, from dateline, names, capitals and governors."""
    lexicon = _state_lexicon()
    scores: Counter[str] = Counter()
    body = f"{title}\n{text}"
    for source in (text, title):
        dateline = lexicon.dateline.match(source)
        if dateline:
            scores[lexicon.dateline_to_state[dateline.group(1)]] += 6
    for match in lexicon.names.finditer(body):
        scores[lexicon.name_to_state[match.group(0)]] += 1
    if "state employees" in body or "state workers" in body:
        for match in _STATE_EMPLOYEES.finditer(body):
            if match.group(1) in lexicon.name_to_state:
                scores[lexicon.name_to_state[match.group(1)]] += 3
    capitalised = _CAPITALISED.findall(body)
    governed: set[str] = set()
    # The governors' pattern is long; a story naming no governor's surname skips it.
    if not lexicon.governor_tails.isdisjoint(capitalised):
        for match in lexicon.governors.finditer(body):
            state = lexicon.governor_to_state[match.group(0).split()[-1]]
            scores[state] += 2
            governed.add(state)
    if governed:
        # Once the governor is identified, every bare mention of the surname counts too.
        for word in capitalised:
            surname_state = lexicon.surname_to_state.get(word)
            if surname_state in governed:
                scores[surname_state] += 1
    if not scores:
        return None
    return scores.most_common(1)[0][0]


_DATELINE_CITY = re.compile(
    r"^\s*([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)(?:,\s*[A-Z][A-Za-z. ]+?)?\s*[-(]"
)


@lru_cache(maxsize=1)
def _city_pattern() -> re.Pattern[str]:
    """One pattern for every capital and big city, with "City of X" / "X city" forms."""
    cities = sorted(
        {city for _post, _abbr, capital, others in STATES.values() for city in (capital, *others)},
        key=len,
        reverse=True,
    )
    names = "|".join(re.escape(city) for city in cities)
    return re.compile(rf"\b(?:(?P<city_of>City of )?(?P<name>{names})(?P<city_suffix> city)?)\b")


def detect_city(title: str, text: str) -> str | None:
    """The city a story is datelined in or names most."""
    body = f"{title}\n{text}"
    counts: Counter[str] = Counter()
    dateline = _DATELINE_CITY.match(text)
    if dateline:
        counts[dateline.group(1).title()] += 5
    for match in _city_pattern().finditer(body):
        # "City of Oakland" and "Oakland city" name the government, not just the place.
        named_government = match.group("city_of") or match.group("city_suffix")
        counts[match.group("name")] += 4 if named_government else 1
    return counts.most_common(1)[0][0] if counts else None
