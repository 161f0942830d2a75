"""Organisation names in an article: employers, unions and the names that are neither.

Names are capitalised runs; an employer shows itself by a legal or corporate suffix, by acting as
the subject of a business verb ("Cloudbase is cutting") or by following "workers at" / "a deal
with"; persons (a title before, "said he" after), regulators and news outlets quoted as sources
are set aside.
"""

from __future__ import annotations

import re
from collections import Counter
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
    r"|Treasurer|Controller|Comptroller|Speaker|Leader|economist|analyst|said|says|told)\s*,?\s*$"
)
_PERSON_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|noted|wrote)\s+(?:he|she|his|her)\b")
AGENCY = re.compile(
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
        or AGENCY.search(name)
        or _INSTITUTION.search(name)
    )


def org_candidates(title: str, text: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
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
            name = clean_org(joined)
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
        if _UNION_NAME.search(name) and not AGENCY.search(name):
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
