"""Cue scoring for metric classification: how much each metric's cues speak for one figure.

A cue counts in proportion to its weight and inversely to its distance in words from the figure:
the figure's own phrase first ("1,000 layoffs", "people losing their jobs", "150 were laid
off"), then its clause, then the rest of the sentence; a cue across a clause break ("cut 300
jobs at its plant, leaving 1,200 workers") or behind another number counts less. A headline
capitalises every word, so there capitals do not mark names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from laborwatch.parsers.metric_cues import CUES_BY_UNIT
from laborwatch.parsers.text import ascii_lower

_WORD = re.compile(r"[\w$%][\w'.,$%-]*")
# The subject's own locative phrase ("400 workers at a plant in Wilmington, Del., will be out of
# work") stands between a head count and its verb: distances are counted from the verb.
_SUBJECT_PP = re.compile(
    r"\s+(?:at|in|from|across|with)\s+[^;\d]{1,80}?"
    r"(?=\s+(?:will|would|are|were|is|was|have|has|had|could|may|might|must|also|now)\b)"
    r"|\s*[-\u2013\u2014]+[^-\u2013\u2014]{1,80}?[-\u2013\u2014]+(?=\s)",
    re.IGNORECASE,
)
# Only auxiliaries between a head count and its verb: "150 were laid off", "are affected".
_AUX_ONLY = re.compile(
    r"(?:\s+(?:will|would|could|may|might|must|to|be|been|being|are|were|is|was|have|has|had"
    r"|also|now|not|all|still|soon|then))*\s*",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[,;:()|]")
_CLAUSE_BREAK = re.compile(
    r";|:\s|,\s+(?:and|but|while|whereas|leaving|bringing|which|although"
    r"|though|after|before|when|as)\b|\s(?:but|while|whereas|although)\s"
    r"|\sand\s+(?:the|a|an|its|their|his|her)\s",
    re.IGNORECASE,
)


def _is_headline(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) > 0.6 * len(words)


def _is_name(text: str, start: int, end: int) -> bool:
    """A capitalised cue inside a sentence is part of a name; acronyms (WARN, COLA) are not."""
    first = text[start:end].split()[0]
    return start > 0 and first[0].isupper() and not first.isupper()


@dataclass(frozen=True, slots=True)
class _CueHit:
    metric: str
    weight: float
    units: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _SentenceCues:
    hits: tuple[_CueHit, ...]
    word_starts: tuple[int, ...]
    breaks: tuple[int, ...]  # offsets of clause boundaries
    text: str


# Small on purpose: it serves the figures of one article, not a whole run.
@lru_cache(maxsize=128)
def _sentence_cues(sentence: str, unit: str) -> _SentenceCues:
    """The cues for `unit` in a sentence, the start offsets of its words and its clause breaks,
    computed once per sentence and unit (scanning only the cues a unit can use halves the work).
    A headline capitalises every word, so there capitals do not mark names."""
    lowered = ascii_lower(sentence)
    headline = _is_headline(sentence)
    hits = tuple(
        _CueHit(cue.metric, cue.weight, cue.units, match.start(), match.end())
        for cue in CUES_BY_UNIT.get(unit, ())
        for match in cue.pattern.finditer(lowered)
        # "Mercy Valley Health", "Budget Office": names, not cues ("Consumer Price Index" is
        # a name and still not a labor figure)
        if headline or cue.metric == "other" or not _is_name(sentence, match.start(), match.end())
        if not (cue.metric == "rehired" and _negated(lowered, match.start()))
    )
    return _SentenceCues(
        hits,
        tuple(match.start() for match in _WORD.finditer(sentence)),
        tuple(match.start() for match in _CLAUSE_BREAK.finditer(sentence)),
        sentence,
    )


# "won't force the city to bring back 167 officers", "will not receive letters rescinding":
# a negated rehiring is not one.
_NEGATION = re.compile(
    r"(?:\b(?:not|never|no|refus\w+|declin\w+|unable|fail\w*)\b|n't\b)(?:\s+\S+){0,4}\s*$"
)
_NEGATIVE_START = re.compile(r"(?:not|n't|never)\b")


def _negated(lowered: str, start: int) -> bool:
    if _NEGATIVE_START.match(lowered, start):
        return False  # the cue is itself a negation: "did not lose those jobs"
    return _NEGATION.search(lowered, max(0, start - 40), start) is not None


def _hit_score(
    hit: _CueHit, cues: _SentenceCues, span: tuple[int, int, int], unit: str
) -> tuple[float, int, int]:
    """A cue's score by its distance in words from the figure: the figure's own phrase first,
    then its clause, then the rest of the sentence. Returns (score, low, high) where low..high
    is the text between cue and figure."""
    span_start, span_end, verb_from = span
    word_starts = cues.word_starts

    def words_between(start: int, end: int) -> int:
        return bisect.bisect_left(word_starts, end) - bisect.bisect_left(word_starts, start)

    before = hit.end <= span_start
    if before:
        low, high = hit.end, span_start
        distance = words_between(low, high)
    elif hit.start >= span_end:
        low, high = span_end, hit.start
        if _AUX_ONLY.fullmatch(
            cues.text, max(span_end, verb_from) if hit.start >= verb_from else low, high
        ):
            distance = 0  # the head count's own verb: "150 were laid off"
        else:
            distance = words_between(
                max(span_end, verb_from) if hit.start >= verb_from else low, high
            )
    else:
        return hit.weight * (0.5 if hit.metric == "workforce" else 1.0), span_start, span_start
    score = hit.weight / (1 + distance / 3)
    if before and distance <= 3:
        score *= 1.5  # the verb or noun governing the number: "save $100 million"
    elif not before and distance == 0 and unit != "people":
        score *= 2  # the noun the amount measures: "a $3.6 billion deficit", "3% raise"
    elif (
        not before
        and distance <= 1
        and unit == "people"
        and hit.metric != "workforce"
        and not _PUNCT.search(cues.text, low, high)
    ):
        score *= 1.5  # the head count's own participle: "people losing their jobs"
    if any(low <= b < high for b in cues.breaks):
        score *= 0.5  # another clause: "cut 300 jobs at its plant, leaving 1,200 workers"
    return score, low, high


def cue_scores(
    sentence: str,
    span_start: int,
    span_end: int,
    unit: str,
    others: Sequence[tuple[int, int]] = (),
    ignore: Sequence[tuple[int, int]] = (),
) -> dict[str, float]:
    """Score every metric allowed for `unit` by the cues around sentence[span_start:span_end].

    `others` are the spans of the sentence's other numbers: a cue behind one of them counts less.
    """
    cues = _sentence_cues(sentence, unit)
    verb_from = span_end
    if unit == "people":
        pp = _SUBJECT_PP.match(sentence, span_end)
        if pp is not None:
            verb_from = pp.end()
    scores: dict[str, float] = {}
    for hit in cues.hits:
        if unit not in hit.units or any(s <= hit.start and hit.end <= e for s, e in ignore):
            continue
        score, low, high = _hit_score(hit, cues, (span_start, span_end, verb_from), unit)
        if any(low <= s and e <= high for s, e in others):
            score *= 0.3
        if score > scores.get(hit.metric, 0.0):
            scores[hit.metric] = score
    return scores


def cue_weights(text: str, unit: str) -> dict[str, float]:
    """The strongest cue weight per metric anywhere in `text`, regardless of distance."""
    weights: dict[str, float] = {}
    for hit in _sentence_cues(text, unit).hits:
        if unit in hit.units and hit.weight > weights.get(hit.metric, 0.0):
            weights[hit.metric] = hit.weight
    return weights


def has_near_cue(sentence: str, span_start: int, span_end: int, unit: str, window: int = 3) -> bool:
    """True when a cue for `unit` stands within `window` words of the span."""
    cues = _sentence_cues(sentence, unit)
    for hit in cues.hits:
        if unit not in hit.units:
            continue
        if hit.end <= span_start:
            low, high = hit.end, span_start
        elif hit.start >= span_end:
            low, high = span_end, hit.start
        elif unit == "people" and hit.metric == "workforce" and span_start <= hit.start:
            continue  # the head noun itself ("220 members") says who, not what happened
        else:
            return True
        starts = cues.word_starts
        if bisect.bisect_left(starts, high) - bisect.bisect_left(starts, low) <= window:
            return True
    return False
