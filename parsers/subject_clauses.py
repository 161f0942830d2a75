"""The organisation a figure's own clause or sentence names (issue 15).

A roundup ("Google confirms it just laid off around a thousand employees", "Discord is laying off
17 percent") or a story comparing companies ("eBay revealed its plan to cut around 1,000
positions, while Microsoft announced layoffs affecting 1,900 employees") gives each figure to the
organisation that acts in its clause, before the article's headline subject. An organisation is
a name the article already knows as an employer, or one acting as one right there: a business
verb after it ("Discord is laying off"), a corporate suffix, "X-based" before it. Places, persons,
unions, government agencies, regulators and the outlets quoted as sources are not.
"""

from __future__ import annotations

import re
from functools import lru_cache

from laborwatch.parsers.places import STATES
from laborwatch.parsers.subject_names import NameMention, name_mentions
from laborwatch.parsers.subject_roles import (
    AGENCY,
    GENERIC_INSTITUTION,
    ArticleNames,
    is_person,
    is_regulator,
    is_source,
    is_union,
    named_like_org,
)

# A clause ends at a semicolon, a colon, a dash, a table cell or a conjunction after a comma.
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s(?:--|\u2014|\u2013|-)\s|\s\|\s|\t"
    r"|,?\s+(?:while|whereas)\s+|,\s+(?:and|but|as|although|though|after|before|which)\s+"
)
# The verb an organisation acts with, after a few auxiliaries or an appositive:
# "Google has already let 1,000 employees go", "ICON, the company building homes, filed".
# What follows "cuts" as a verb ("Google cuts 1,000 jobs"), not as a noun ("Draconian cuts to").
_OBJECT = (
    r"(?:\$?\d|its|their|the|a|an|about|around|roughly|nearly|more|over|some|up|back|jobs|staff"
    r"|workers|employees|positions|hours|pay|wages|costs|spending|another)"
)
_ACTS_AFTER = re.compile(
    r"^(?:'s)?(?:,[^,.;]{1,80},)?(?:\s+(?:in|at|of|near)\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3},?)?\s+"
    r"(?:(?:has|have|had|is|are|was|were|will|would|could|may|might|also|just|already|reportedly"
    r"|now|still|then|officially|recently|quietly|again|further|previously|plans to|planned to"
    r"|is set to|set to|expects to|intends to|is expected to|is going to|be|not|n't)\s+){0,3}"
    rf"(?:lay(?:s|ing)?\s+off|laid\s+off|let(?:s|ting)?\s+(?:go|\d)|cut(?:s|ting)?(?=\s+{_OBJECT})|slash\w*"
    r"|trim(?:s|med|ming)?|eliminat\w+|shed(?:s|ding)?|fir(?:e|es|ed|ing)|furlough\w*"
    r"|idl(?:e|es|ed|ing)|clos(?:e|es|ed|ing)|shut(?:s|ting)?|hir(?:e|es|ed|ing)|recall\w*"
    r"|rehir\w+|employ(?:s|ed)?|announc\w+|confirm\w*|reveal\w*|notif\w+|fil(?:e|es|ed|ing)"
    r"|reduc\w+|downsiz\w+|plan(?:s|ned|ning)?|reach(?:es|ed)?|ratif\w+|beg[ai]n|begins"
    r"|start(?:s|ed)?|sell(?:s|ing)?|sold|remov\w+|said its|says its|reported|reports|posted)\b"
)
_BASED_BEFORE = re.compile(r"-based\s+$")
# "a plant in Pontiac", "the Tesla Gigafactory in Del Valle": a place.
_PLACE_BEFORE = re.compile(r"\b(?:in|near|outside|from)\s+$")
_STATE_AFTER = re.compile(r"^,\s+(?:[A-Z][a-z]{1,4}\.(?:[A-Z]\.)?|[A-Z]{2}\b)")


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    names: set[str] = set()
    for state, (postal, abbreviations, capital, cities) in STATES.items():
        names.update((state, postal, *abbreviations, capital, *cities))
    return frozenset(names)


def _is_place(sentence: str, mention: NameMention) -> bool:
    if mention.name in _places():
        return True
    return bool(_STATE_AFTER.match(sentence[mention.end : mention.end + 12]))


def _employer_name(
    sentence: str, mention: NameMention, names: ArticleNames, subject: str
) -> str | None:
    """The employer `mention` names, as the article knows it, or None when it names none."""
    name = names.short_forms.get(mention.name, mention.name)
    if name == subject:
        return name
    if (
        name in names.persons
        or (subject.endswith(" employees") and name in subject.split())
        or _PLACE_BEFORE.search(sentence[max(0, mention.start - 8) : mention.start])
        or is_union(name)
        or is_regulator(name)
        or AGENCY.search(name)
        or _is_place(sentence, mention)
        or is_person(sentence, mention)
        or is_source(sentence, mention)
    ):
        return None
    generic = GENERIC_INSTITUTION.fullmatch(name) is not None
    if name in names.employers and not generic:
        return name
    # "Tyson" in a story about "Tyson Foods" is the same employer under its short name, and
    # "the School District" in one about the "Philadelphia School District".
    longer = next(
        (
            n
            for n in names.employers
            if n.startswith(name + " ") or (generic and n.endswith(" " + name))
        ),
        None,
    )
    if longer is not None or generic:
        return longer
    if _acts(sentence, mention) or named_like_org(mention.joined, name):
        return name
    return None


def _acts(sentence: str, mention: NameMention) -> bool:
    head = sentence[max(0, mention.start - 12) : mention.start]
    tail = sentence[mention.run_end : mention.run_end + 120]
    return bool(_ACTS_AFTER.match(tail) or _BASED_BEFORE.search(head))


def acting_org(sentence: str, names: ArticleNames, subject: str) -> str | None:
    """The first employer acting in `sentence` ("Cape Fear Valley Health is eliminating"), whom
    the next sentences of a paragraph may go on about without naming."""
    for mention in name_mentions(sentence, names.lowercase_words):
        employer = _employer_name(sentence, mention, names, subject)
        if employer is not None and _acts(sentence, mention):
            return employer
    return None


def _clause(sentence: str, at: int) -> tuple[int, int]:
    start, end = 0, len(sentence)
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at:
            end = match.start()
            break
    return start, end


def sentence_orgs(sentence: str, names: ArticleNames, subject: str) -> list[tuple[int, int, str]]:
    """(start, end, employer) for each employer `sentence` names, in order."""
    found = []
    for mention in name_mentions(sentence, names.lowercase_words):
        employer = _employer_name(sentence, mention, names, subject)
        if employer is not None:
            found.append((mention.start, mention.end, employer))
    return found


def clause_org(
    sentence: str, span: tuple[int, int] | None, names: ArticleNames, subject: str
) -> str | None:
    """The employer a figure at `span` of `sentence` belongs to, if its words name one: the
    first named in its clause before it, else one right after it ("1,900 employees at
    Activision Blizzard"), else the first the sentence names (its grammatical subject, as a
    rule) when the figure's clause names no other and has no union acting in it. None when
    the sentence names no employer, "" when it names only others'.
    """
    orgs = sentence_orgs(sentence, names, subject)
    if span is None:
        return orgs[0][2] if orgs else None
    at, figure_end = span
    start, end = _clause(sentence, at)
    if not orgs:
        # "The union is paying striking employees $500 per week": the union's, not a company's.
        return "" if _UNION_ACTS.search(sentence, start, at) else None
    before = [org for s, _e, org in orgs if start <= s < at]
    if before:
        return before[0]
    after = [(s, org) for s, _e, org in orgs if figure_end <= s < end]
    if after:
        # "a $1.2 million grant for workers at Owens Community College": not the grant's owner.
        s, org = after[0]
        return org if _JUST_AFTER.match(sentence[figure_end:s]) else ""
    if _UNION_ACTS.search(sentence, start, at):
        return ""  # "..., which are expected to worsen as the union pushes for a 40 percent"
    # The sentence's subject comes before the figure's clause; one named after it is another's.
    return orgs[0][2] if orgs[0][0] < start else ""


# What joins a head count to its employer: "1,900 employees at", "800 jobs with".
_JUST_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:at|with|from|by)\s+(?:the\s+)?$")
_UNION_ACTS = re.compile(r"\b(?:the|its|their) union\b", re.IGNORECASE)
