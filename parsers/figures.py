"""Figures in an article: numbers with a unit, a metric, a hedge flag, a sentence and a subject.

The pipeline: `find_numbers` reads every numeric expression; `nonfigures` blocks dates, codes
and votes; the words after a plain number decide its unit (people, things, durations); numbers
standing alone borrow the unit of a figure they continue ("81 state agencies down to 57") or of
the verb before them ("laid off about 300"); `metrics` picks the metric from cue words; ranges
share one metric; the subject comes from `subjects`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from laborwatch.domain import Figure, Unit
from laborwatch.parsers.bare_numbers import (
    drop_vote_tallies,
    read_table_columns,
    resolve_bare_numbers,
    year_like,
)
from laborwatch.parsers.figure_metrics import Candidate, classify_metrics
from laborwatch.parsers.head_nouns import (
    TIME_NOUNS,
    head_noun,
    non_figure_noun,
)
from laborwatch.parsers.nonfigures import blocked_spans, in_blocked, is_vote_percent
from laborwatch.parsers.numbers import NumberMention, find_numbers
from laborwatch.parsers.relevance import is_labor_relevant
from laborwatch.parsers.subjects import SubjectResolver
from laborwatch.parsers.tables import table_cells
from laborwatch.parsers.text import Sentence, fold, split_sentences

_HEDGE_BEFORE = re.compile(
    r"(?:\b(?:nearly|about|roughly|approximately|approx\.|around|more\s+than|over|at\s+least"
    r"|fewer\s+than|less\s+than|up\s+to|almost|some|as\s+many\s+as|as\s+much\s+as|as\s+high\s+as"
    r"|as\s+few\s+as|as\s+little\s+as|as\s+low\s+as|just\s+under|just\s+over|just\s+shy\s+of"
    r"|an\s+estimated|estimated|close\s+to|upwards?\s+of|in\s+excess\s+of|well\s+over|well\s+above"
    r"|north\s+of|better\s+than|a\s+little\s+over|a\s+little\s+more\s+than|slightly\s+more\s+than"
    r"|slightly\s+less\s+than|under|below|above|no\s+fewer\s+than|no\s+less\s+than|no\s+more\s+than"
    r"|not\s+quite|circa|an?\s+approximate|approximate|roughly\s+about|nearly\s+about"
    r"|somewhere\s+around|around\s+about)|~)\s*$",
    re.IGNORECASE,
)
_HEDGE_AFTER = re.compile(
    r"(?:-plus\b|\+|\s+plus\b(?!\s+(?:\$|\d))|\s+or\s+more\b|\s+or\s+so\b|-odd\b|\s+odd\b)",
    re.IGNORECASE,
)
_GLUED_SUFFIX = re.compile(r"-([A-Za-z]+)")
_MEMBERSHIP_NOUNS = frozenset(("members", "member", "membership"))
# "850 jobs, or about 6% of its workforce", "12% of its staff, or roughly 540 employees"
_RESTATEMENT = re.compile(r"^[^\d$;.]{0,40}(?:,|\(|--?)\s*(?:or|that is|i\.e\.,?)?\s*$", re.I)
_EMPLOYMENT = re.compile(
    r"\b(?:employ\w*|workforce|work force|headcount|staff\w*|payrolls?|jobs"
    r"|(?<!credit )(?<!european )unions?)\b",
    re.I,
)
_RESTATED_UNITS = ({"people", "percent"}, {"USD", "percent"})
# "240 employees will be affected, including 38 truck drivers": a part of the same count.
_SUBSET_GAP = re.compile(r"\b(?:including|among them|of whom|of which)\b", re.IGNORECASE)
_ADDRESS_AFTER = re.compile(
    r"\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][a-z]+\.?\s+){1,3}"
    r"(?:St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Dr|Drive|Way|Lane|Ln|Pkwy|Parkway|Ct|Court"
    r"|Pl|Place|Hwy|Highway)\b\.?"
)
_DISTRIBUTED_AFTER = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?[A-Z]")
_NUMBER_BEFORE_DASH = re.compile(r"(\d[\d,]*(?:\.\d+)?)-$")
_NUMBER_AFTER_DASH = re.compile(r"-(\d[\d,]*(?:\.\d+)?)")
_TO_BEFORE = re.compile(r"\bfrom\b[^.;]{1,40}\bto\s+$")
# "one plant manager said" goes on to another noun; "one shift." does not.
_SINGULAR_WORD = re.compile(r"\s+([a-z]+)\b(?![ \t]+[a-z]+(?:er|or|ist|ian|ant|ee)s?\b)")
# Things a labor story counts one of: "cut to one shift", "one plant in Arkansas".
_ONE_THINGS = frozenset(
    [
        "shift",
        "plant",
        "factory",
        "mill",
        "store",
        "facility",
        "district",
        "hospital",
        "warehouse",
        "location",
        "school",
        "office",
        "site",
        "mine",
    ]
)
# "all eight of the city's unions", "eight of 12 rail unions": a count of a set, not a pick.
_WHOLE_SET_BEFORE = re.compile(r"\ball\s+$", re.IGNORECASE)
_OF_NUMBER_AFTER = re.compile(r"\s+of\s+\d", re.IGNORECASE)
# Wire-service sourcing ("two people familiar with the matter") and vote turnout ("of the 11,800
# pilots who voted") name people without counting anything the story is about.
_NOT_A_HEAD_COUNT_AFTER = re.compile(
    r"\s+(?:(?:who\s+(?:are\s+|were\s+)?)?(?:familiar\s+with|briefed\s+on|knowledgeable\s+about"
    r"|with\s+(?:direct\s+)?knowledge\s+of|close\s+to\s+the\s+(?:matter|talks|negotiations|deal))"
    r"|who\s+(?:asked|spoke|requested|declined|were\s+not\s+authori[sz]ed)"
    r"|(?:who|that)\s+(?:voted|cast\s+(?:a\s+)?ballots?|took\s+part\s+in\s+the\s+(?:vote|ballot)))\b",
    re.IGNORECASE,
)
_LABOR_ONLY_METRICS = frozenset(
    ("layoffs", "layoff_notices", "rehired", "strikers", "concessions", "wages", "benefits")
)
_STORY_SENTENCES = 3
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s")


def extract_figures(
    text: str,
    *,
    title: str = "",
    aliases: Mapping[str, Sequence[str]] | None = None,
    labor_relevant: bool | None = None,
) -> list[Figure]:
    """Every figure in `text`, in text order; offsets index into `text`.

    `title` is not searched for figures but helps to find the subject; `aliases` maps a
    canonical subject to the other names it goes by. `labor_relevant` (computed when not
    given) tells whether a head count without an employment cue can be a workforce: the
    members of a credit union and the crowd at a game are not one.
    """
    folded = fold(text)
    sentences = split_sentences(text)
    if not sentences:
        return []
    starts = [sentence.start for sentence in sentences]
    blocked = blocked_spans(folded)
    mentions = find_numbers(text)
    candidates: list[Candidate] = []
    for mention in mentions:
        index = max(0, bisect.bisect_right(starts, mention.start) - 1)
        candidate = _read_candidate(folded, mention, sentences[index], blocked)
        if candidate is not None:
            candidates.append(candidate)
    drop_vote_tallies(folded, candidates)
    if "|" in folded or "\t" in folded:
        read_table_columns(table_cells(folded), candidates)
    resolve_bare_numbers(folded, candidates)
    kept = [c for c in candidates if not c.dropped and c.unit is not None]
    classify_metrics(folded, title, sentences, mentions, kept)
    if labor_relevant is None:
        labor_relevant = is_labor_relevant(text, title)
    if not labor_relevant:
        _demote_outside_labor(folded, kept, story=len(sentences) >= _STORY_SENTENCES)
    resolver = SubjectResolver(title=title, text=text, aliases=aliases)
    return [_to_figure(text, candidate, resolver) for candidate in kept]


def _demote_outside_labor(folded: str, kept: list[Candidate], *, story: bool) -> None:
    """A box score's "strikes", a prize's "bonus", a fund's "benefit plan": outside labor news
    these words do not make labor figures. A line or two (`story` False) is too little to judge
    the story by, so there the words next to the number decide alone."""
    for candidate in kept:
        sentence = folded[candidate.sentence.start : candidate.sentence.end]
        if (story and candidate.metric in _LABOR_ONLY_METRICS) or (
            candidate.metric == "workforce" and not _EMPLOYMENT.search(sentence)
        ):
            candidate.metric = "other"


def _to_figure(text: str, candidate: Candidate, resolver: SubjectResolver) -> Figure:
    assert candidate.unit is not None
    return Figure(
        text=text[candidate.start : candidate.end],
        value=_clean_value(candidate.mention.value),
        unit=candidate.unit,
        metric=candidate.metric,
        approx=candidate.approx,
        sentence=candidate.sentence.text,
        start=candidate.start,
        end=candidate.end,
        subject=resolver.subject_for(
            candidate.sentence.text,
            union_internal=candidate.metric == "workforce" and candidate.head in _MEMBERSHIP_NOUNS,
            span=(
                candidate.start - candidate.sentence.start,
                candidate.end - candidate.sentence.start,
            ),
            sentence_start=candidate.sentence.start,
        ),
    )


def _clean_value(value: float) -> float:
    # Scaled decimals such as 41.51 * 1e9 pick up float noise; money and heads are whole.
    rounded = round(value, 6)
    return float(int(rounded)) if rounded == int(rounded) else rounded


@dataclass(frozen=True, slots=True)
class _Span:
    """Where a figure's text runs (hedges and glued nouns included) and where its noun starts."""

    start: int
    end: int
    scan_from: int
    approx: bool
    suffix_head: str | None = None  # "860-member", "70,000-person": people, glued on


def _read_candidate(
    folded: str, mention: NumberMention, sentence: Sentence, blocked: list[tuple[int, int]]
) -> Candidate | None:
    if in_blocked(blocked, mention.start, mention.end) or _is_code(folded, mention):
        return None
    span = _read_span(folded, mention, sentence)
    if span is None:
        return None
    start, end, approx = span.start, span.end, span.approx
    if mention.kind == "money":
        return Candidate(mention, sentence, "USD", None, start, end, approx)
    if mention.kind == "percent":
        offset = sentence.start
        sentence_folded = folded[sentence.start : sentence.end]
        if is_vote_percent(sentence_folded, mention.start - offset, mention.end - offset):
            return None
        return Candidate(mention, sentence, "percent", None, start, end, approx)
    if span.suffix_head is not None:
        return Candidate(mention, sentence, "people", span.suffix_head, start, end, approx)
    if _ADDRESS_AFTER.match(folded, mention.end):
        return None  # "440 N. Broad St.", "4900 East Dublin Granville Rd."
    return _counted_candidate(folded, mention, sentence, span)


def _is_code(folded: str, mention: NumberMention) -> bool:
    """ "I-95", "FY16/17", "3/4", a split or score ("88-12") and foreign money are not figures;
    "$300-$400 million", "$1.4-2.1 billion" and "300-400 workers" are ranges."""
    before = folded[max(0, mention.start - 2) : mention.start]
    if len(before) == 2 and before[1] in "-/" and before[0].isalnum():
        left = _NUMBER_BEFORE_DASH.search(folded, max(0, mention.start - 12), mention.start)
        ascending = before[1] == "-" and left is not None and _value(left.group(1)) < mention.value
        if not (before[0].isdigit() and (mention.kind == "money" or ascending)):
            return True
    after = folded[mention.end : mention.end + 2]
    if len(after) == 2 and after[0] == "-" and after[1].isdigit() and mention.kind == "plain":
        right = _NUMBER_AFTER_DASH.match(folded, mention.end)
        if right is not None and _value(right.group(1)) < mention.value:
            return True  # "from 88-12 to 85-15": a split, not a range
    return (len(after) == 2 and after[0] == "/" and after[1].isdigit()) or mention.foreign


def _value(digits: str) -> float:
    return float(digits.replace(",", ""))


def _read_span(folded: str, mention: NumberMention, sentence: Sentence) -> _Span | None:
    """The figure's span with its hedges ("nearly 5,000", "300-plus") and glued noun, or None
    for a glued duration or measure ("10-year", "4-pound")."""
    hedge = _hedge_before(folded, max(sentence.start, mention.start - 40), mention.start)
    start = hedge.start() if hedge else mention.start
    hedge_after = _HEDGE_AFTER.match(folded, mention.end)
    if hedge_after is not None:
        return _Span(start, hedge_after.end(), hedge_after.end(), True)
    approx = hedge is not None
    glued = _GLUED_SUFFIX.match(folded, mention.end)
    if glued is not None:
        word = glued.group(1).lower()
        if word in TIME_NOUNS or f"{word}s" in TIME_NOUNS or non_figure_noun(word):
            return None
        if word in ("member", "strong", "person", "worker", "employee"):
            return _Span(start, glued.end(), glued.end(), approx, word)
    return _Span(start, mention.end, mention.end, approx)


def _counted_candidate(
    folded: str, mention: NumberMention, sentence: Sentence, span: _Span
) -> Candidate | None:
    """A plain number: its noun says what it counts ("127 assistant principals"), or it has none
    yet and may continue a figure nearby ("3,600 at GM")."""
    start, end, approx = span.start, span.end, span.approx
    kind, head, head_end, partitive = head_noun(folded, span.scan_from, sentence.end)
    if kind in ("time", "nonfigure"):
        return None
    one = _one_counted_thing(folded, mention.end) if mention.value == 1 else None
    if one is not None:
        return Candidate(mention, sentence, "count", one.group(1), start, one.end(), approx)
    if kind is None and mention.words and mention.value < 10:
        if _DISTRIBUTED_AFTER.match(folded, mention.end) or _TO_BEFORE.search(
            folded, max(0, start - 60), start
        ):
            # "four plants, one in Arkansas and two in Missouri", "from six hospitals to four":
            # parts of a count given just before (kept only if they continue one).
            return Candidate(mention, sentence, None, None, start, end, approx)
        return None  # "the two", "five or six": word numbers need their noun
    if mention.words and mention.value <= 1:
        return None  # "one group", "one of the": the article, not a count
    if kind is None:
        return Candidate(mention, sentence, None, None, start, end, approx)
    adjacent = head_end - mention.end < len(head or "") + 3
    if year_like(mention) and not (kind == "people" and adjacent):
        return None  # "as 2024 progresses", "2023 total sales"
    if partitive and mention.words and mention.value < 10:
        whole = _WHOLE_SET_BEFORE.search(folded, max(0, start - 8), start)
        if not (whole or _OF_NUMBER_AFTER.match(folded, mention.end)):
            return None  # "two of the agencies" names members of a set, not a figure
    unit: Unit = "people" if kind == "people" else "count"
    if head in ("notices", "filings") and "WARN" in folded[mention.end : head_end]:
        unit = "count"  # "over 60 WARN notices were issued": filings, not people
    if kind == "people" and _NOT_A_HEAD_COUNT_AFTER.match(folded, head_end):
        return None  # "two people familiar with the matter", "11,800 pilots who voted"
    if partitive:
        return Candidate(mention, sentence, unit, head, start, end, approx)
    return Candidate(mention, sentence, unit, head, start, max(end, head_end), approx)


def _one_counted_thing(folded: str, position: int) -> re.Match[str] | None:
    """ "one shift", "one district": a single thing of a kind the story counts."""
    word = _SINGULAR_WORD.match(folded, position)
    return word if word is not None and word.group(1) in _ONE_THINGS else None


def _hedge_before(folded: str, low: int, high: int) -> re.Match[str] | None:
    """`_HEDGE_BEFORE.search(folded, low, high)`, tried only where a hedge can begin: at the
    start of a word or a "~" (a search tries every character with the whole alternation)."""
    for position in range(low, high):
        char = folded[position]
        previous = folded[position - 1] if position else " "
        if char == "~" or (char.isalpha() and not (previous.isalnum() or previous == "_")):
            hedge = _HEDGE_BEFORE.match(folded, position, high)
            if hedge is not None:
                return hedge
    return None
