"""What a name in an article is: an employer, a union, a person, a regulator or a source.

An employer shows itself by a legal or corporate suffix, by acting as the subject of a business
verb ("Cloudbase is cutting") or by following "workers at" / "a deal with"; persons (a title
before, "said he" after), regulators and the news outlets quoted as sources are set aside.
`article_names` scores an article's names by mentions and that evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

from laborwatch.parsers.subject_names import (
    LEGAL_SUFFIX,
    NOT_ORG_WORDS,
    NameMention,
    name_mentions,
)

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
_CORP_NAME = re.compile(rf"^(?P<base>.+?),?\s+(?:{_CORP_SUFFIX})$")
_ORG_VERB_AFTER = re.compile(
    r"^(?:'s\s+(?:(?:more than |nearly |about |some |roughly |almost )?\d[\d,.]*\s+)?"
    r"(?:plant|plants|factory|workers|employees|workforce|stores|headquarters|facility"
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
    r"|reached (?:a|an) (?:deal|agreement|tentative)|is seeking))(?!\w)",
)
_UNION_NAME = re.compile(
    r"\b(?:Union|Workers|Teamsters|Federation|Association|Brotherhood|Guild|Coalition|Council"
    r"|SEIU|AFSCME|UAW|AFL-CIO|Local\s+\d+|Machinists|Steelworkers|Nurses|Employees"
    r"|Order of Police|FOP|F\.O\.P\.)\b"
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
    r"|Bloomberg|White House|Attorney General|Attorney's Office|District Attorney"
    r"|Inspector General|Prosecutors?)\b"
)
_EMPLOYER_BEFORE = re.compile(
    r"(?:(?:agreement|contract|deal|negotiations|talks|bargaining|dispute|strike|lockout"
    r"|settlement) with|(?:workers|employees|staff|nurses|pilots|drivers|teachers|strike|layoffs"
    r"|jobs|cuts|plant|walkout|union|unions|members|positions) at|(?:employed|laid off|hired"
    r"|owned|operated|acquired|fired|locked out) by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


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
        or LEGAL_SUFFIX.search(joined)
        or AGENCY.search(name)
        or INSTITUTION.search(name)
    )


# Names made of nothing but an institution's kind: "the School District", "the University".
GENERIC_INSTITUTION = re.compile(
    r"(?:(?:Public|Unified|Community|State|Medical|Health|School|Fire|Police|City|County)\s+)*"
    r"(?:District|Schools?|University|College|Hospitals?|Center|System|Department|Council"
    r"|Company|Corporation|Board|Authority)"
)
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
    short_forms = _acronyms(mentions, lowercase_words)
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
    # "the School District" in a story about the "Philadelphia School District" is that one.
    for generic in [n for n in employers if GENERIC_INSTITUTION.fullmatch(n)]:
        spelled = max((m for m in mentions if m.endswith(" " + generic)), key=len, default=None)
        if spelled is not None:
            employers[spelled] += employers.pop(generic)
            short_forms.setdefault(generic, spelled)
    # "Acme" and "Acme Logistics Inc." are one employer: the short form's mentions count too.
    for name in list(employers):
        first = name.split()[0]
        if first != name and first in mentions and first not in NOT_ORG_WORDS:
            employers[name] += mentions[first]
            employers.pop(first, None)
            short_forms.setdefault(first, name)
    return ArticleNames(
        employers, unions, mentions, frozenset(persons), lowercase_words, short_forms
    )


def _acronyms(mentions: Counter[str], lowercase_words: AbstractSet[str]) -> dict[str, str]:
    """Acronyms standing for a longer name the article spells out: "ILA" for "International
    Longshoremen's Association", "GM" for "General Motors", "SPEEA" for "Society of Professional
    Engineering Employees [in Aerospace]"; and an acronym before a common word, as a headline
    writes it ("UAW Strike").
    """
    by_initials: dict[str, str] = {}
    for name in mentions:
        words = re.split(r"[\s-]+", name)
        if len(words) > 1:
            by_initials.setdefault("".join(w[0] for w in words if w[:1].isupper()), name)
    found: dict[str, str] = {}
    for name in mentions:
        if 2 <= len(name) <= 6 and name.isupper():
            full = by_initials.get(name) or next(
                (n for i, n in by_initials.items() if len(i) >= 3 and name.startswith(i)), None
            )
            if full is not None:
                found[name] = full
    for name in mentions:
        first, _, rest = name.partition(" ")
        if first in found and rest and rest.lower() in lowercase_words:
            found[name] = found[first]
    return found
