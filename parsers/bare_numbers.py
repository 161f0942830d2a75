"""Units for numbers that carry no noun of their own, and numbers that are not figures at all.

"3,783 being laid off", "the number of cuts is 99", "5,800 at Stellantis, 3,600 at GM": a bare
number takes the unit its verb, its link word or the figure it continues gives it, or is
dropped. Descending pairs ("25,713 to 9,791") are vote tallies; a number alone in a table cell
counts what its column header names.
"""

from __future__ import annotations

import itertools
import re

from laborwatch.parsers.figure_metrics import Candidate
from laborwatch.parsers.head_nouns import PEOPLE_NOUNS, THING_NOUNS
from laborwatch.parsers.nonfigures import mentions_vote
from laborwatch.parsers.numbers import NumberMention, range_join
from laborwatch.parsers.tables import TableCell

_PEOPLE_VERB_BEFORE = re.compile(
    r"\b(?:laid\s+off|lay(?:ing|s)?\s+off|cut(?:s|ting)?|eliminat\w+|hir(?:e|ed|es|ing)"
    r"|employ(?:s|ed|ing)?|furlough\w*|recall\w*|rehir\w+|notif\w+|affect\w*|impact\w*|fir(?:ed|ing)"
    r"|dismiss\w*|terminat\w+|add(?:s|ed|ing)?|shed(?:s|ding)?|idl\w+|strik\w+|represent\w*"
    r"|reinstat\w+|displac\w+)\s*$",
    re.IGNORECASE,
)
_LINK_WORD = re.compile(
    r"\b(?:to|from|and|or|while|versus|vs|compared|with|another|than|plus|including|of)\b"
    r"|[,;\u2013\u2014]|\s-\s",
    re.IGNORECASE,
)
_PEOPLE_ALT = "|".join(sorted((re.escape(w) for w in PEOPLE_NOUNS), key=len, reverse=True))
# "The number of union members stood at 14.4 million", "its workforce totals 9,000".
_PEOPLE_LINK_BEFORE = re.compile(
    rf"\b(?:{_PEOPLE_ALT}|workforce|work force|force|headcount|membership|staffing|employment"
    r"|payrolls?|ranks|cuts|layoff total|job losses)\b"
    r"[^\d$%]{0,40}?(?::|\b(?:stood at|stands at"
    r"|totaled|totalled|totals|reached|rose to|fell to|grew to|dropped to|declined to|climbed to"
    r"|shrank to|swelled to|numbered|numbers|was|were|is|are|be|to|at|from|of|top|tops|topped"
    r"|(?:increased|rose|grew|fell|dropped|declined|decreased|climbed|jumped) by"
    r"|hit|hits|exceeded|exceeds|surpassed))\s*$",
    re.IGNORECASE,
)
_CROWD_BEFORE = re.compile(r"\b(?:crowd|attendance|audience|gathering) of\s*$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_ANAPHORA_BEFORE = re.compile(
    r"\b(?:another|an additional|a further|an extra|(?:a|the) total of)\s+$", re.I
)
# "3,783 being laid off", "About 150 were laid off": the verb after says who is counted.
_PEOPLE_VERB_AFTER = re.compile(
    r"\s+(?:(?:were|was|are|is|will|would|could|have|had|has)\s+)?(?:be\s+|been\s+|being\s+)?"
    r"(?:laid\s+off|fired|dismissed|furloughed|let\s+go|rehired|recalled|hired|terminated"
    r"|on\s+strike|notified)\b",
    re.IGNORECASE,
)


def year_like(mention: NumberMention) -> bool:
    digits = mention.integer_digits
    return (
        not mention.words
        and not mention.has_comma
        and len(digits) == 4
        and 1800 <= int(digits) <= 2100
        and mention.value == int(digits)
    )


def drop_vote_tallies(folded: str, candidates: list[Candidate]) -> None:
    """'25,713 to 9,791' and '12-3': a descending pair of plain numbers is a tally, not a range."""
    for left, right in itertools.pairwise(candidates):
        a, b = left.mention, right.mention
        if a.kind != "plain" or b.kind != "plain" or not range_join(folded, a, b):
            continue
        voting = mentions_vote(left.sentence.text)
        descending = a.value > b.value and not _FROM_BEFORE.search(folded, 0, left.start)
        if voting or descending:
            left.dropped = right.dropped = True


def read_table_columns(cells: list[TableCell], candidates: list[Candidate]) -> None:
    """A number alone in a table cell counts what its column header names ("Workers Affected")."""
    by_start = {cell.start: cell for cell in cells}
    for candidate in candidates:
        if candidate.unit is not None or candidate.dropped:
            continue
        cell = by_start.get(candidate.mention.start)
        if cell is None or cell.end != candidate.mention.end or not cell.header:
            continue
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", cell.header)]
        people = next((w for w in words if w in PEOPLE_NOUNS), None)
        if people is not None or "affected" in words or "headcount" in words:
            candidate.unit, candidate.head = "people", people
        else:
            thing = next((w for w in words if w in THING_NOUNS), None)
            if thing is not None:
                candidate.unit, candidate.head = "count", thing


def resolve_bare_numbers(folded: str, candidates: list[Candidate]) -> None:
    """Give a number without a noun the unit of the figure it continues, or drop it."""
    for i, candidate in enumerate(candidates):
        if candidate.unit is not None or candidate.dropped:
            continue
        mention = candidate.mention
        if year_like(mention) or (mention.value != int(mention.value)):
            candidate.dropped = True
            continue
        previous = next((c for c in reversed(candidates[:i]) if not c.dropped), None)
        following = candidates[i + 1] if i + 1 < len(candidates) else None
        if (
            following is not None
            and following.unit in ("people", "count")
            and not following.dropped
            and range_join(folded, mention, following.mention)
        ):
            candidate.unit, candidate.head = following.unit, following.head
            continue
        before = folded[max(candidate.sentence.start, candidate.start - 80) : candidate.start]
        if _PEOPLE_LINK_BEFORE.search(before) or _CROWD_BEFORE.search(before):
            candidate.unit = "people"  # "bringing its headcount to 9,400", "a crowd of 38,112"
            continue
        if (
            previous is not None
            and previous.unit in ("people", "count")
            and not previous.dropped
            and previous.sentence is candidate.sentence
        ):
            gap = folded[previous.end : candidate.start]
            if len(gap.split()) <= 8 and _LINK_WORD.search(gap):
                candidate.unit, candidate.head = previous.unit, previous.head
                continue
        before = folded[max(candidate.sentence.start, candidate.start - 80) : candidate.start]
        verb_after = _PEOPLE_VERB_AFTER.match(folded, candidate.end)
        if (
            verb_after
            or _PEOPLE_VERB_BEFORE.search(before[-40:])
            or _PEOPLE_LINK_BEFORE.search(before)
        ):
            candidate.unit = "people"
            continue
        if _ANAPHORA_BEFORE.search(before[-30:]):
            # "Another 250 will return to work": the last head count in the story continues.
            earlier = next(
                (c for c in reversed(candidates[:i]) if c.unit in ("people", "count")), None
            )
            if earlier is not None:
                candidate.unit, candidate.head = earlier.unit, earlier.head
                continue
        candidate.dropped = True
