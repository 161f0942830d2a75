"""The subject of an article's figures: the employer, government or union they are about.

Subjects must be stable across articles so a figure's history lines up: every story about
Connecticut's public workforce says "Connecticut state employees" whether it names the state, the
governor, the capital in its dateline or only "the state". The resolver scores places (dateline,
state names, capitals, governors) against public-sector wording, and companies (names with a
corporate suffix or acting as the subject of business verbs) against unions; a watch's
`aliases` then map any variant onto its canonical name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from laborwatch.parsers.places import GOVERNORS, STATES
from laborwatch.parsers.text import ascii_lower, compile_lower, fold


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


FALLBACK_SUBJECT = "unspecified employer"

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
_PUBLIC_LEXICONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
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
_SCHOOL = compile_lower(r"\b(?:school district|school board|public schools|teachers union)\b")

_CORP_SUFFIX = (
    r"Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|LLC|L\.L\.C\.|Ltd\.?|Limited|plc|PLC"
    r"|LP|L\.P\.|Holdings|Group|Industries|Technologies|Motors|Airlines|Airways|Systems|Bank"
    r"|Bancorp|Foods|Stores|Brands|Partners|Manufacturing|Steel|Health|Healthcare|Hospital"
    r"|Medical Center|Pharmaceuticals|Energy|Electric|Communications|Media|Entertainment"
    r"|Logistics|Services|Solutions|Labs|Networks|Software|Semiconductor|Automotive|Aerospace"
    r"|Railroad|Railway|Mills|Works|Enterprises|Worldwide|International|Global|Retail|Markets"
    r"|Supermarkets|Insurance|Financial|Capital|Chemical|Chemicals|Pharma|Therapeutics|Mining"
    r"|Resources|Petroleum|Oil|Gas|Power|Utilities|Telecom|Wireless|Hotels|Resorts|Casino"
    r"|Restaurants|Apparel|Paper|Packaging|Trucking|Freight|Shipping|Shipyard|Motor Company"
)
_NAME_WORD = (
    r"(?:(?:Inc|Corp|Co|Ltd|St|Jr|Bros|Mt|Ft|Dept)\.|(?:[A-Z]\.){1,}"
    r"|[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9]|[A-Z]|&"
    r"|(?<=Local )\d+|(?<=District )\d+|(?<=Council )\d+|(?<=Lodge )\d+)"
)
_NAME = re.compile(
    # Names stay on one line: a table header ("Type") is not part of the company under it.
    rf"(?=[A-Z&]){_NAME_WORD}(?:[ \t]+(?:of|and|de|for|the)[ \t]+{_NAME_WORD}|[ \t]+{_NAME_WORD})*"
)
_CORP_NAME = re.compile(rf"^(?P<base>.+?),?\s+(?:{_CORP_SUFFIX})$")
_ORG_VERB_AFTER = re.compile(
    r"^(?:'s\s+(?:plant|plants|factory|workers|employees|workforce|stores|headquarters|facility"
    r"|contract|offer|proposal|deal|staff|union|budget|plan|decision|announcement|restructuring"
    r"|offices|board|chief|CEO|executives|management|shares|layoffs|job cuts|operations)"
    r"|,?\s+(?:said it|says it|announced|plans to|will cut|will lay|will close|is laying|is cutting"
    r"|is closing|cut|laid off|lays off|eliminated|filed|notified|informed"
    r"|told (?:employees|workers|staff)"
    r"|confirmed|employs|which employs|which has|reported|posted|will eliminate|intends to"
    r"|is eliminating"
    r"|has notified|has filed|will shed|shed|is shedding|to cut|to lay off|to close|to eliminate"
    r"|to shed|will recall|recalled|is recalling|will idle|idled|will furlough|furloughed"
    r"|will hire|hired|has offered|offered|proposed|agreed to|has agreed"
    r"|reached (?:a|an) (?:deal|agreement|tentative)|is seeking))",
)
_UNION_NAME = re.compile(
    r"\b(?:Union|Workers|Teamsters|Federation|Association|Brotherhood|Guild|Coalition|Council"
    r"|SEIU|AFSCME|UAW|AFL-CIO|Local\s+\d+|Machinists|Steelworkers|Nurses|Employees)\b"
)
_NOT_ORG_WORDS = _words(
    """
    The A An In On At For But And Or If When While After Before Since Last This That These Those
    He She They We It His Her Their Our Its Some Many Most All Both Each Every Neither Either
    Gov Gov. Governor Mr. Mrs. Ms. Dr. Sen. Rep. President Mayor Department State City County
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Thursday's Asked According However
    Meanwhile Also Still Even Just Despite Though Although Under Over Earlier Later Today
    Tomorrow Yesterday Now Then There Here Where What Who Why How Not No Yes One Two Three
    Federal National American U.S. US United States Capitol Legislature Senate House Congress
    CEO Chief Executive Officer Spokesman Spokeswoman Spokesperson Dozens Hundreds Thousands
    Millions Scores Courts Workers Employees Officials Residents
    """
)


# Legal forms, with or without their period: "Harlow Axle Co." and "Harlow Axle Co" are one firm.
_LEGAL_SUFFIX = re.compile(
    r",?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Cos?\.?|Company|LLC|L\.L\.C\.|Ltd\.?"
    r"|Limited|plc|PLC|LP|L\.P\.|AG|SA|S\.A\.|NV|N\.V\.|GmbH|SE|Holdings|Group)$"
)


# Words that open a sentence or a name-like run without being part of an organisation's name.
_OPENERS = _words(
    """
    The A An In On At For But And Or If When While After Before Since Last This That These Those
    He She They We It His Her Their Our Its Some Many Most All Both Each Every Neither Either
    Gov Gov. Governor Mr. Mrs. Ms. Dr. Sen. Rep. President Mayor Asked According However
    Meanwhile Also Still Even Just Despite Though Although Under Over Earlier Later Today
    Tomorrow Yesterday Now Then There Here Where What Who Why How Not No Yes Including
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Chief Executive CEO Officer
    Spokesman Spokeswoman Spokesperson Superintendent Co-founder Founder Director Commissioner
    """
)


@lru_cache(maxsize=4096)
def _clean_org(name: str) -> str:
    """Canonical form of an organisation name: no article, possessive or legal-form suffix."""
    name = re.sub(r"^(?:The|the)\s+", "", name.strip(" ,.'"))
    name = re.sub(r"'s?$", "", name)
    stripped = name
    for _ in range(2):  # "Brightway Pharmacy Holdings Inc." has two legal-form words
        stripped = _LEGAL_SUFFIX.sub("", stripped).strip(" ,")
    return stripped or name


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


# The first cell of a table row: "Garden State Bottling Co. | Newark | 231".
_TABLE_ROW_NAME = re.compile(r"^\s*\|?\s*([A-Z][\w&'.,-]*(?:[ ][A-Z&][\w&'.,-]*){0,6})\s*[|\t]")
_UNION_REFERENCE = re.compile(r"\b(?:the|its|our|their) (?:union|local|guild|association)\b", re.I)
_LIST_ITEM_NAME = re.compile(
    r"^\s*(?:[-*\u2022]|\d+[.)])\s+([A-Z][\w&'.-]*(?:\s+[A-Z&][\w&'.-]*){0,5})\s*[,:(-]"
)


_PERSON_TITLE = re.compile(
    r"(?:Gov\.|Governor|Mayor|Sen\.|Senator|Rep\.|Representative|President|Chief Executive"
    r"|Chief|CEO|Executive|Director|Superintendent|Commissioner|Secretary|spokes(?:man|woman"
    r"|person)|Co-founder|founder|Mr\.|Mrs\.|Ms\.|Dr\.|Judge|Chairman|Chairwoman|Chair|Manager"
    r"|Treasurer|Controller|Comptroller|Speaker|Leader|economist|analyst|said|says|told)\s*,?\s*$"
)
_PERSON_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|noted|wrote)\s+(?:he|she|his|her)\b")
_AGENCY = re.compile(
    r"^(?:(?:U\.S\.|US|United States|State|New York|[A-Z][a-z]+)\s+)?(?:Department|Dept\.|Bureau"
    r"|Office|Agency|Administration|Service|Commission|Authority|Board|Division)\b"
    r"|\b(?:Service|Agency|Administration|Authority|Commission|Department)$"
)


# Institutions employ the people of their story: "Fairview Unified School District".
_INSTITUTION = re.compile(
    r"\b(?:School District|Public Schools|Schools|University|College|Medical Center|Hospital"
    r"|Health System|Health|Transit Authority|Airlines|Airways)$"
)
# Agencies that report on labor rather than employ the workers in the story.
_REGULATOR = re.compile(
    r"\b(?:Department of (?:Labor|Workforce|Employment|Job and Family)[\w &]*"
    r"|Workforce (?:Development|Commission|Services|Solutions)|Employment Security"
    r"|Department of Labor|Labor Department|Bureau of Labor Statistics|National Labor Relations"
    r" Board|NLRB|OSHA|Occupational Safety|EEOC|Equal Employment|Employment Development Department"
    r"|Federal Reserve|Securities and Exchange Commission|SEC|Associated Press|AP|Reuters"
    r"|Bloomberg)\b"
)
_EMPLOYER_BEFORE = re.compile(
    r"(?:(?:agreement|contract|deal|negotiations|talks|bargaining|dispute|strike|lockout"
    r"|settlement) with|(?:workers|employees|staff|nurses|pilots|drivers|teachers|strike|layoffs"
    r"|jobs|cuts|plant|walkout|union|unions|members|positions) at|(?:employed|laid off|hired"
    r"|owned|operated|acquired|fired|locked out) by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


_SENTENCE_OPEN = re.compile(r"(?:[.!?\"'\n]\s*|\s[-:]\s)$")


def _ends_with_preposition(head: str) -> bool:
    # A cheap test before the costlier _EMPLOYER_BEFORE scan of the same window.
    last = head.rstrip().rsplit(None, 2)
    return bool(last) and (last[-1] in ("with", "at", "by") or last[-1] == "the")


_PERSON_WORD = re.compile(r"[A-Z][a-z'-]+|[A-Z]\.|Mc[A-Z][a-z]+|O'[A-Z][a-z]+")


def _looks_like_person(source: str, start: int, end: int, words: list[str]) -> bool:
    if len(words) < 2 or len(words) > 3:
        return False
    if not all(_PERSON_WORD.fullmatch(w) for w in words):
        return False
    before = source[max(0, start - 40) : start]
    after = source[end : end + 25]
    return bool(_PERSON_TITLE.search(before) or _PERSON_AFTER.match(after))


@lru_cache(maxsize=4096)
def _named_like_org(joined: str, name: str) -> bool:
    """A name that is an organisation by its form: a legal or corporate suffix, an agency."""
    return bool(
        _CORP_NAME.match(joined)
        or _LEGAL_SUFFIX.search(joined)
        or _AGENCY.search(name)
        or _INSTITUTION.search(name)
    )


def _org_candidates(title: str, text: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(employers, unions, all names) named in the article, with evidence-weighted scores."""
    employers: Counter[str] = Counter()
    unions: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    evidence: Counter[str] = Counter()
    persons: set[str] = set()
    lowercase_words = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    for source, weight in ((title, 3), (text, 1)):
        for match in _NAME.finditer(source):
            words = match.group(0).split()
            start = match.start()
            # Capitalised only because it opens a sentence or a headline: "Members of ...".
            sentence_start = _SENTENCE_OPEN.search(source[max(0, start - 4) : start]) is not None
            sentence_start = sentence_start or start == 0
            while words and (
                words[0] in _OPENERS
                or (sentence_start and words[0].lower() in lowercase_words)
                or words[0] in ("of", "and", "for", "the", "de")
            ):
                start = source.index(words[0], start) + len(words[0])
                words = words[1:]
                sentence_start = False  # only the very first word owes its capital to position
            possessive = next((i for i, w in enumerate(words) if w.endswith("'s")), None)
            if possessive is not None and possessive + 1 < len(words):
                # "Harlow Axle's Toledo plant": the owner is the name, not what it owns.
                words = words[: possessive + 1]
            while words and words[-1] in ("of", "and", "for", "the", "de"):
                words = words[:-1]
            if not words:
                continue
            start = source.index(words[0], start)
            joined = " ".join(words)
            name = _clean_org(joined)
            if not name or name in _NOT_ORG_WORDS or (name.upper() == name and len(name) <= 2):
                continue
            if source is title and name not in text:
                continue  # headline case capitalises every word; trust names the body repeats
            if _looks_like_person(source, start, match.end(), words):
                persons.add(name)
                continue
            mentions[name] += weight
            if evidence[name] >= 6:
                continue  # evidence enough; spare the remaining checks
            tail = source[match.end() : match.end() + 40]
            if joined.endswith("'s"):
                tail = "'s" + tail  # "Boeing's contract offer"
            head = source[max(0, start - 40) : start]
            if (
                _named_like_org(joined, name)
                or _ORG_VERB_AFTER.match(tail)
                or (_ends_with_preposition(head) and _EMPLOYER_BEFORE.search(head))
            ):
                evidence[name] += 2 * weight
    # Once "Gov. Dannel P. Malloy" is known to be a person, so is every bare "Malloy".
    surnames = {person.split()[-1] for person in persons}
    for name in persons | surnames | {n for n in mentions if _REGULATOR.search(n)}:
        mentions.pop(name, None)
    for name, count in mentions.items():
        if _UNION_NAME.search(name) and not _AGENCY.search(name):
            unions[name] = count
        elif evidence[name]:
            employers[name] = count + evidence[name]
    # "Acme" and "Acme Logistics Inc." are one employer: the short form's mentions count too.
    for name in list(employers):
        first = name.split()[0]
        if first != name and first in mentions and first not in _NOT_ORG_WORDS:
            employers[name] += mentions[first]
            employers.pop(first, None)
    return employers, unions, mentions


def detect_subject(title: str, text: str) -> str:
    """The article-level subject: never empty."""
    return _detect(title, text)[0]


# A story names what it is about in its dateline, lede and nut graf; what follows quotes the
# union, the council and the analysts reacting. Reading the lead keeps the subject on the
# story's employer and the time linear in nothing but the lead (one 1,000-word story spent half
# its extraction time here).
LEAD_CHARACTERS = 2500
_SENTENCE_END = re.compile(r"[.!?][\"')]*\s|\n")


def _lead(text: str) -> str:
    """The first LEAD_CHARACTERS of `text`, cut at the last sentence end inside them."""
    if len(text) <= LEAD_CHARACTERS:
        return text
    ends = [
        match.end() for match in _SENTENCE_END.finditer(text, LEAD_CHARACTERS // 2, LEAD_CHARACTERS)
    ]
    return text[: ends[-1]] if ends else text[:LEAD_CHARACTERS]


def _detect(title: str, text: str) -> tuple[str, list[str]]:
    """The article-level subject and the unions the article names, most mentioned first."""
    folded_title, folded_text = fold(title), _lead(fold(text))
    body = f"{folded_title}\n{folded_text}"
    lowered = ascii_lower(body)  # the public-sector lexicons are compiled for lowered text
    state_public, city_public, county_public, federal_public = (
        len(pattern.findall(lowered)) if any(word in lowered for word in needs) else 0
        for pattern, needs in _PUBLIC_LEXICONS
    )
    employers, unions, mentions = _org_candidates(folded_title, folded_text)
    union_names = [name for name, _ in unions.most_common()]
    best_employer, employer_score = employers.most_common(1)[0] if employers else (None, 0)
    public = max(state_public, city_public, county_public, federal_public)

    agency_employer = best_employer is not None and _AGENCY.search(best_employer) is not None
    # A government's own departments roll up to its workforce: "Office of Policy and Management".
    if public >= 2 and (public >= employer_score or agency_employer):
        if federal_public == public and federal_public > state_public:
            return "US federal employees", union_names
        if city_public == public and city_public > state_public:
            city = detect_city(folded_title, folded_text)
            return f"{city} city employees" if city else "city employees", union_names
        if county_public == public and county_public > state_public:
            county = re.search(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?) County\b", body)
            if county:
                return f"{county.group(1)} County employees", union_names
        state = detect_state(folded_title, folded_text)
        if state:
            return f"{state} state employees", union_names
    if best_employer:
        return best_employer, union_names
    if _SCHOOL.search(lowered):
        city = detect_city(folded_title, folded_text)
        if city:
            return f"{city} public schools employees", union_names
    if unions:
        return unions.most_common(1)[0][0], union_names
    state = detect_state(folded_title, folded_text)
    if public and state:
        return f"{state} state employees", union_names
    if mentions:
        return mentions.most_common(1)[0][0], union_names
    return FALLBACK_SUBJECT, union_names


class SubjectResolver:
    """Subjects for the figures of one article, with a watch's aliases applied."""

    def __init__(
        self, *, title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self._groups: list[tuple[str, re.Pattern[str]]] = []
        for canonical, names in (aliases or {}).items():
            if not canonical.strip():
                raise ValueError("alias groups need a non-empty canonical subject")
            variants = sorted({canonical, *names} - {""}, key=len, reverse=True)
            pattern = re.compile(
                rf"(?<!\w)(?:{'|'.join(re.escape(v) for v in variants)})(?!\w)", re.IGNORECASE
            )
            self._groups.append((canonical, pattern))
        detected, self._unions = _detect(title, text)
        self.article_subject = (
            self._canonical(detected) or self._most_mentioned(fold(f"{title}\n{text}")) or detected
        )

    def _canonical(self, name: str) -> str | None:
        for canonical, pattern in self._groups:
            if pattern.fullmatch(name) or pattern.search(name):
                return canonical
        return None

    def _most_mentioned(self, text: str) -> str | None:
        counts = Counter(
            {canonical: len(pattern.findall(text)) for canonical, pattern in self._groups}
        )
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] > 0 else None

    def subject_for(self, sentence: str, *, union_internal: bool = False) -> str:
        """The subject of a figure in `sentence`: an aliased name there, the employer a list
        item or table row opens with ("- Harbor Point Foods, Secaucus: 212 employees"), the
        union for its own figures (`union_internal`: membership), else the article's.
        """
        folded = fold(sentence)
        if self._groups:
            named = self._most_mentioned(folded)
            if named is not None:
                return named
        item = _LIST_ITEM_NAME.match(folded) or _TABLE_ROW_NAME.match(folded)
        if item:
            name = _clean_org(item.group(1))
            return self._canonical(name) or name
        if union_internal and self._unions:
            union = next((u for u in self._unions if u in folded), None)
            if union is None and _UNION_REFERENCE.search(folded):
                union = self._unions[0]  # "The local has 860 members"
            if union is not None:
                return self._canonical(union) or union
        return self.article_subject


def resolve_subject(
    title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The article-level canonical subject."""
    return SubjectResolver(title=title, text=text, aliases=aliases).article_subject
