"""Organisation names in an article: employers, unions and the names that are neither.

Names are capitalised runs; an employer shows itself by a legal or corporate suffix, by acting as
the subject of a business verb ("Cloudbase is cutting") or by following "workers at" / "a deal
with"; persons (a title before, "said he" after), regulators and news outlets quoted as sources
are set aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache


def _words(block: str) -> frozenset[str]:
    """A lexicon written as a whitespace-separated block."""
    return frozenset(block.split())


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

NOT_ORG_WORDS = _words(
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
    ET EST EDT PT PST PDT CST CDT MT GMT UTC BST America Americans Europeans
    """
)


# Legal forms, with or without their period: "Harlow Axle Co." and "Harlow Axle Co" are one firm.
LEGAL_SUFFIX = re.compile(
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
    Few Several Such Any More Much Other Another Every Only
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
        stripped = LEGAL_SUFFIX.sub("", stripped).strip(" ,")
    return stripped or name


TABLE_ROW_NAME = re.compile(r"^\s*\|?\s*([A-Z][\w&'.,-]*(?:[ ][A-Z&][\w&'.,-]*){0,6})\s*[|\t]")
UNION_REFERENCE = re.compile(r"\b(?:the|its|our|their) (?:union|local|guild|association)\b", re.I)
LIST_ITEM_NAME = re.compile(
    r"^\s*(?:[-*\u2022]|\d+[.)])\s+([A-Z][\w&'.-]*(?:\s+[A-Z&][\w&'.-]*){0,5})\s*[,:(-]"
)


_SENTENCE_OPEN = re.compile(r"(?:[.!?\"'\n]\s*|\s[-:]\s)$")


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
# Words a headline capitalises that no organisation's name goes on with: "UAW Strike Is Now
# Expanding" names the UAW.
_HEADLINE_WORDS = _words(
    """
    Is Are Was Were Will Would Could Can May Might Must Should Now To Be Has Have Had Not Set
    Says Said Get Gets Into From With As At By In On Over After Amid Could Reportedly
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
    title = next(
        (i for i, word in enumerate(words) if i and (word in _TITLES or word in _HEADLINE_WORDS)),
        None,
    )
    if title is not None:
        # "Labor Secretary Marty Walsh": a common word before the title is part of it.
        keep = words[:title]
        words = [] if len(keep) == 1 and keep[0].lower() in lowercase_words else keep
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
            if not name or name in NOT_ORG_WORDS or len(name) < 2:
                continue
            yield NameMention(name, joined, start, match.end())
