"""Organisation names in an article: employers, unions and the names that are neither.

Names are capitalised runs; an employer shows itself by a legal or corporate suffix, by acting as
the subject of a business verb ("Cloudbase is cutting") or by following "workers at" / "a deal
with"; persons (a title before, "said he" after), regulators and news outlets quoted as sources
are set aside.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


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
    r"|[A-Z][A-Za-z0-9&'-]*[A-Za-z0-9]|[A-Z]|&|[a-z][A-Z][A-Za-z0-9]+"
    r"|(?<=Local )\d+|(?<=District )\d+|(?<=Council )\d+|(?<=Lodge )\d+)"
)
_NAME = re.compile(
    # Names stay on one line: a table header ("Type") is not part of the company under it.
    rf"(?=[A-Z&]|\b[a-z][A-Z]){_NAME_WORD}"
    rf"(?:[ \t]+(?:of|and|de|for|the)[ \t]+{_NAME_WORD}|[ \t]+{_NAME_WORD})*"
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
    Millions Scores Courts Workers Employees Officials Residents UK EU UN TV OK ID AM PM AI US
    CA NY NJ DC LA PA TX FL OH MI IL WA OR NC SC GA VA MA CT MN WI MO IN IA KY TN AZ CO
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
def clean_org(name: str) -> str:
    """Canonical form of an organisation name: no article, possessive or legal-form suffix."""
    name = re.sub(r"^(?:The|the)\s+", "", name.strip(" ,.'"))
    name = re.sub(r"'s?$", "", name)
    stripped = name
    for _ in range(2):  # "Brightway Pharmacy Holdings Inc." has two legal-form words
        stripped = _LEGAL_SUFFIX.sub("", stripped).strip(" ,")
    return stripped or name


TABLE_ROW_NAME = re.compile(r"^\s*\|?\s*([A-Z][\w&'.,-]*(?:[ ][A-Z&][\w&'.,-]*){0,6})\s*[|\t]")
UNION_REFERENCE = re.compile(r"\b(?:the|its|our|their) (?:union|local|guild|association)\b", re.I)
LIST_ITEM_NAME = re.compile(
    r"^\s*(?:[-*\u2022]|\d+[.)])\s+([A-Z][\w&'.-]*(?:\s+[A-Z&][\w&'.-]*){0,5})\s*[,:(-]"
)


_PERSON_TITLE = re.compile(
    r"(?:Gov\.|Governor|Mayor|Sen\.|Senator|Rep\.|Representative|President|Chief Executive"
    r"|Chief|CEO|Executive|Director|Superintendent|Commissioner|Secretary|spokes(?:man|woman"
    r"|person)|Co-founder|founder|Mr\.|Mrs\.|Ms\.|Dr\.|Judge|Chairman|Chairwoman|Chair|Manager"
    r"|Treasurer|Controller|Comptroller|Speaker|Leader|economist|analyst|said|says|told)\s*,?\s*$",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|noted|wrote)\s+(?:he|she|his|her)\b")
AGENCY = re.compile(
    r"^(?:(?:U\.S\.|US|United States|State|New York|[A-Z][a-z]+)\s+)?(?:Department|Dept\.|Bureau"
    r"|Office|Agency|Administration|Service|Commission|Authority|Board|Division)\b"
    r"|\b(?:Service|Agency|Administration|Authority|Commission|Department)$"
)


# Institutions employ the people of their story: "Fairview Unified School District".
INSTITUTION = re.compile(
    r"\b(?:School District|Public Schools|Schools|University|College|Medical Center|Hospital"
    r"|Health System|Health|Transit Authority|Airlines|Airways|Unified(?: School District)?)$"
)
# Agencies that report on labor rather than employ the workers in the story.
_REGULATOR = re.compile(
    r"\b(?:Department of (?:Labor|Workforce|Employment|Job and Family)[\w &]*"
    r"|Workforce (?:Development|Commission|Services|Solutions)|Employment Security"
    r"|Department of Labor|Labor Department|Bureau of Labor Statistics|National Labor Relations"
    r" Board|NLRB|OSHA|Occupational Safety|EEOC|Equal Employment|Employment Development Department"
    r"|Federal Reserve|Securities and Exchange Commission|SEC|Associated Press|AP|Reuters"
    r"|Bloomberg|White House)\b"
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
def named_like_org(joined: str, name: str) -> bool:
    """A name that is an organisation by its form: a legal or corporate suffix, an agency."""
    return bool(
        _CORP_NAME.match(joined)
        or _LEGAL_SUFFIX.search(joined)
        or AGENCY.search(name)
        or INSTITUTION.search(name)
    )


_JOINERS = ("of", "and", "for", "the", "de")
# A possessive inside a name, not an owner before what it owns: "International Longshoremen's
# Association", "Children's Hospital".
_NAME_AFTER_POSSESSIVE = _words(
    """
    Association Union Federation Guild Council Brotherhood Alliance Fund Hospital Hospitals
    Club Society League Institute Foundation Center Village Place Market Restaurant Bay
    """
)
# What a company is, written before its name: "Automaker Stellantis", "Retailer Big Lots".
_DESCRIPTORS = _words(
    """
    Automaker Carmaker Chipmaker Drugmaker Retailer Insurer Lender Airline Startup Manufacturer
    Supplier Processor Grocer Publisher Conglomerate Developer Brewer Steelmaker Planemaker
    Automakers Retailers Airlines Giant Firm Company Chain Operator Broadcaster Bank
    """
)
_TITLES = _words(
    """
    CEO CFO COO Chief President Vice Chairman Chairwoman Chair Spokesman Spokeswoman
    Spokesperson Director Secretary Superintendent Mayor Gov. Governor Commissioner Founder
    Co-founder Executive Manager Treasurer Organizer Organiser Leader Rep. Sen.
    """
)
# News outlets quoted as sources ("The Wall Street Journal reported", "according to FOX 7").
_MEDIA = re.compile(
    r"\b(?:Journal|Times|Post|News|Tribune|Herald|Gazette|Press|Magazine|Daily|Chronicle"
    r"|Inquirer|Sentinel|Register|Dispatch|Examiner|Observer|Guardian|Telegraph|Reuters"
    r"|Bloomberg|Verge|Insider|Axios|CNBC|CNN|NPR|BBC|Wire|Report|Today|TV|Radio)$"
    r"|^(?:FOX|ABC|CBS|NBC|KQED|WSJ|AP)\b"
)
_REPORTED_AFTER = re.compile(
    r"^,?\s+(?:has\s+|had\s+|first\s+|also\s+)?(?:reported|reports|said|says|cited|wrote"
    r"|quoted|highlighted|noted|found)\b"
)
_SOURCE_BEFORE = re.compile(
    r"(?:according to|reported by|cited by|told|interview with|a report (?:by|from)|data from"
    r"|filings with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NameMention:
    """A capitalised name in a text: `name` canonical, `joined` as written."""

    name: str
    joined: str
    start: int
    run_end: int  # end of the capitalised run it came from ("Harlow Axle's Toledo")

    @property
    def end(self) -> int:
        return self.start + len(self.joined)


def _trim(source: str, match: re.Match[str], lowercase_words: AbstractSet[str]) -> list[str]:
    """The words of a capitalised run that can name an organisation."""
    words = match.group(0).split()
    start = match.start()
    # Capitalised only because it opens a sentence or a headline: "Members of ...".
    sentence_start = start == 0 or _SENTENCE_OPEN.search(source[max(0, start - 4) : start])
    while words and (
        words[0] in _OPENERS
        or (sentence_start and words[0].istitle() and words[0].lower() in lowercase_words)
        or words[0] in _JOINERS
    ):
        words = words[1:]
        sentence_start = None  # only the very first word owes its capital to position
    # "New York City-based Tower Health", "Automaker Stellantis": where and what, not who.
    based = next((i for i, word in enumerate(words[:-1]) if word.endswith("-based")), None)
    if based is not None:
        words = words[based + 1 :]
    if len(words) > 1 and words[0] in _DESCRIPTORS:
        words = words[1:]
    # "Boeing CEO Kelly Ortberg": the organisation ends where a person's title starts.
    title = next((i for i, word in enumerate(words) if i and word in _TITLES), None)
    if title is not None:
        words = words[:title]
    possessive = next(
        (
            i
            for i, word in enumerate(words[:-1])
            if word.endswith("'s") and words[i + 1] not in _NAME_AFTER_POSSESSIVE
        ),
        None,
    )
    if possessive is not None:
        # "Harlow Axle's Toledo plant": the owner is the name, not what it owns.
        words = words[: possessive + 1]
    while words and words[-1] in _JOINERS:
        words = words[:-1]
    return words


def _pair(source: str, words: list[str]) -> list[list[str]]:
    """ "Ford and GM" names two organisations when either half also stands alone."""
    if "and" not in words:
        return [words]
    cut = words.index("and")
    first, second = words[:cut], words[cut + 1 :]
    if not first or not second or len(first) > 2 or len(second) > 2:
        return [words]
    for half in (first, second):
        alone = re.compile(rf"(?<!and )\b{re.escape(' '.join(half))}\b(?! and\b)")
        if " ".join(half).isupper() or alone.search(source):
            return [first, second]
    return [words]


def name_mentions(source: str, lowercase_words: AbstractSet[str]) -> Iterator[NameMention]:
    """Every capitalised name in `source` that could be an organisation, in order."""
    for match in _NAME.finditer(source):
        offset = match.start()
        for words in _pair(source, _trim(source, match, lowercase_words)):
            if not words:
                continue
            joined = " ".join(words)
            start = source.index(words[0], offset)
            offset = start + len(joined)
            name = clean_org(joined)
            if not name or name in _NOT_ORG_WORDS or len(name) < 2:
                continue
            yield NameMention(name, joined, start, match.end())


def is_person(source: str, mention: NameMention) -> bool:
    return _looks_like_person(source, mention.start, mention.run_end, mention.joined.split())


def is_source(source: str, mention: NameMention) -> bool:
    """A news outlet or report quoted for the numbers, not the organisation they are about."""
    head = source[max(0, mention.start - 30) : mention.start]
    if _SOURCE_BEFORE.search(head):
        return True
    tail = source[mention.run_end : mention.run_end + 30]
    return bool(_MEDIA.search(mention.name) and _REPORTED_AFTER.match(tail))


def org_evidence(source: str, mention: NameMention) -> bool:
    """Named like an organisation, or acting as one: a business verb after, "workers at" before."""
    tail = source[mention.run_end : mention.run_end + 40]
    if mention.joined.endswith("'s"):
        tail = "'s" + tail  # "Boeing's contract offer"
    head = source[max(0, mention.start - 40) : mention.start]
    return bool(
        named_like_org(mention.joined, mention.name)
        or _ORG_VERB_AFTER.match(tail)
        or (_ends_with_preposition(head) and _EMPLOYER_BEFORE.search(head))
    )


def is_union(name: str) -> bool:
    return bool(_UNION_NAME.search(name)) and not AGENCY.search(name)


def is_regulator(name: str) -> bool:
    return bool(_REGULATOR.search(name))


@dataclass
class _Scan:
    mentions: Counter[str] = field(default_factory=Counter)
    evidence: Counter[str] = field(default_factory=Counter)
    persons: set[str] = field(default_factory=set)


def _scan(scan: _Scan, source: str, weight: int, text: str, lowercase: AbstractSet[str]) -> None:
    for mention in name_mentions(source, lowercase):
        name = mention.name
        if weight > 1 and name not in text:
            continue  # headline case capitalises every word; trust names the body repeats
        if is_person(source, mention):
            scan.persons.add(name)
            continue
        if is_source(source, mention):
            continue
        scan.mentions[name] += weight
        # Evidence enough spares the remaining checks.
        if scan.evidence[name] < 6 and org_evidence(source, mention):
            scan.evidence[name] += 2 * weight


@dataclass
class ArticleNames:
    """The organisations and persons an article names."""

    employers: Counter[str]  # names with evidence of being an employer, evidence-weighted
    unions: Counter[str]
    mentions: Counter[str]  # every name, persons and regulators aside
    persons: frozenset[str]  # persons and their bare surnames
    lowercase_words: frozenset[str]
    short_forms: dict[str, str]  # "GM" -> "General Motors", "Tyson" -> "Tyson Foods"


def article_names(title: str, text: str) -> ArticleNames:
    """The names of an article (its title and `text`), scored by mentions and evidence."""
    scan = _Scan()
    lowercase_words = frozenset(re.findall(r"\b[a-z][a-z'-]+\b", text))
    _scan(scan, title, 3, text, lowercase_words)
    _scan(scan, text, 1, text, lowercase_words)
    # Once "Gov. Dannel P. Malloy" is known to be a person, so is every bare "Malloy".
    persons = scan.persons | {person.split()[-1] for person in scan.persons}
    mentions = scan.mentions
    for name in persons | {n for n in mentions if is_regulator(n)}:
        mentions.pop(name, None)
    short_forms = _acronyms(mentions)
    for short, full in short_forms.items():
        mentions[full] += mentions.pop(short, 0)
        scan.evidence[full] += scan.evidence.pop(short, 0)
    employers: Counter[str] = Counter()
    unions: Counter[str] = Counter()
    for name, count in mentions.items():
        if is_union(name):
            unions[name] = count
        elif scan.evidence[name]:
            employers[name] = count + scan.evidence[name]
    # "Acme" and "Acme Logistics Inc." are one employer: the short form's mentions count too.
    for name in list(employers):
        first = name.split()[0]
        if first != name and first in mentions and first not in _NOT_ORG_WORDS:
            employers[name] += mentions[first]
            employers.pop(first, None)
            short_forms.setdefault(first, name)
    return ArticleNames(
        employers, unions, mentions, frozenset(persons), lowercase_words, short_forms
    )


def _acronyms(mentions: Counter[str]) -> dict[str, str]:
    """Acronyms standing for a longer name the article spells out: "ILA" for "International
    Longshoremen's Association", "GM" for "General Motors".
    """
    by_initials: dict[str, str] = {}
    for name in mentions:
        words = re.split(r"[\s-]+", name)
        if len(words) > 1:
            by_initials.setdefault("".join(w[0] for w in words if w[:1].isupper()), name)
    return {
        name: by_initials[name]
        for name in mentions
        if 2 <= len(name) <= 6 and name.isupper() and name in by_initials
    }
