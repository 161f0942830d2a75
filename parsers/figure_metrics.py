"""Metrics of an article's figures: each figure classified in its sentence, then shared.

`classify_metric` reads one figure in its sentence (with the previous sentence, a list's intro
line and the headline as context); the passes here make figures agree with each other: the two
ends of a range, a restatement ("850 jobs, or about 6%"), a list continuing its first item and a
breakdown of a figure given just before ("Those affected include 120 machinists").
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from laborwatch.domain import Unit
from laborwatch.parsers.metrics import WORKER_NOUNS, classify_metric, has_near_cue, own_metric
from laborwatch.parsers.numbers import NumberMention, range_join
from laborwatch.parsers.tables import is_table_line
from laborwatch.parsers.text import Sentence, fold

_FROM_BEFORE = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_RESTATEMENT = re.compile(r"^[^\d$;.]{0,40}(?:,|\(|--?)\s*(?:or|that is|i\.e\.,?)?\s*$", re.I)
_RESTATED_UNITS = ({"people", "percent"}, {"USD", "percent"})
# "240 employees will be affected, including 38 truck drivers": a part of the same count.
_SUBSET_GAP = re.compile(r"\b(?:including|among them|of whom|of which)\b", re.IGNORECASE)
# "rehire 50 of the police officers and 15 of the firefighters": one verb, two head counts.
_COORDINATION = re.compile(
    r"(?:\s+of\s+(?:the\s+|its\s+|their\s+)?[\w'.-]+(?:\s+[\w'.-]+){0,2})?\s*,?\s*"
    r"(?:and|or|as well as|plus)\s+",
    re.IGNORECASE,
)
_BREAKDOWN = re.compile(
    r"\b(?:includ(?:e|es|ed|ing)|among (?:them|those)|of (?:them|those|whom)|breakdown"
    r"|those (?:affected|being|laid|who))\b",
    re.IGNORECASE,
)
_TOTAL_BEFORE = re.compile(r"(?:,|\bfor)\s+(?:a|the)\s+total\s+of\s+$", re.IGNORECASE)
_RESTATEMENT_MARK = re.compile(
    r"\b(?:total|in all|altogether|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?)\b", re.IGNORECASE
)
_EVENT_METRICS = frozenset(("layoffs", "layoff_notices", "rehired", "strikers"))
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s")


@dataclass(slots=True)
class Candidate:
    mention: NumberMention
    sentence: Sentence
    unit: Unit | None
    head: str | None
    start: int
    end: int
    approx: bool
    dropped: bool = False
    metric: str = "other"


def classify_metrics(
    folded: str,
    title: str,
    sentences: list[Sentence],
    mentions: list[NumberMention],
    figures: list[Candidate],
) -> None:
    index_of = {id(sentence): i for i, sentence in enumerate(sentences)}
    mention_starts = [m.start for m in mentions]
    for figure in figures:
        assert figure.unit is not None
        sentence = figure.sentence
        offset = sentence.start
        low = bisect.bisect_left(mention_starts, sentence.start)
        high = bisect.bisect_left(mention_starts, sentence.end)
        others = [
            (m.start - offset, m.end - offset)
            for m in mentions[low:high]
            if m is not figure.mention and m.end <= sentence.end
        ]
        figure.metric = classify_metric(
            folded[sentence.start : sentence.end],
            figure.start - offset,
            figure.end - offset,
            figure.unit,
            figure.head,
            others=others,
            context=_context(folded, title, sentences, index_of[id(sentence)]),
            frame=_list_intro(folded, sentences, index_of[id(sentence)]),
        )
    _share_breakdown_metrics(folded, index_of, figures)
    _share_list_metrics(folded, figures)
    _share_range_metrics(folded, figures)


def _share_breakdown_metrics(
    folded: str, index_of: dict[int, int], figures: list[Candidate]
) -> None:
    """A head count that breaks down, sums up or restates one given before keeps its metric:
    "The mill will cut 300 jobs. Those affected include 120 machinists", "742 positions
    restored ..., for a total of 1,649", "laid off 164 workers ... A total of 164 workers are
    affected" (FIGURES.md, conventions from real news)."""
    for i, figure in enumerate(figures):
        if figure.unit != "people" or figure.metric not in ("workforce", "other"):
            continue
        source = _restated(folded, figure, figures[:i]) or _broken_down(
            folded, figure, figures[:i], index_of
        )
        if source is not None and source.metric in _EVENT_METRICS:
            figure.metric = source.metric


def _restated(folded: str, figure: Candidate, earlier: list[Candidate]) -> Candidate | None:
    if not _RESTATEMENT_MARK.search(folded, figure.sentence.start, figure.sentence.end):
        return None
    value = figure.mention.value
    return next((f for f in earlier if f.unit == "people" and f.mention.value == value), None)


def _broken_down(
    folded: str, figure: Candidate, earlier: list[Candidate], index_of: dict[int, int]
) -> Candidate | None:
    low = max(figure.sentence.start, figure.start - 40)
    total = _TOTAL_BEFORE.search(folded, low, figure.start)
    if not (total or _BREAKDOWN.search(folded, low, figure.start)):
        return None
    here = index_of[id(figure.sentence)]
    return next(
        (
            f
            for f in reversed(earlier)
            if f.unit == "people" and here - index_of[id(f.sentence)] <= 1
        ),
        None,
    )


def _context(folded: str, title: str, sentences: list[Sentence], index: int) -> list[str]:
    """Text that speaks for a sentence without cues: the sentence before and the title."""
    context: list[str] = []
    if index > 0:
        previous = sentences[index - 1]
        context.append(folded[previous.start : previous.end])
    if title:
        words = title.split()
        capitalised = sum(1 for word in words if word[:1].isupper())
        # Headline case capitalises every word; read it as plain words, not names.
        context.append(fold(title.lower() if capitalised > 0.6 * len(words) else title))
    return context


def _list_intro(folded: str, sentences: list[Sentence], index: int) -> str:
    """The line that frames a list item or a table row: the last sentence before the list."""
    if _BULLET.match(sentences[index].text):
        in_list = _BULLET.match
    elif is_table_line(sentences[index].text):
        in_list = is_table_line  # type: ignore[assignment]
    elif index > 0 and is_table_line(sentences[index - 1].text):
        # The line under a table ("Total workers affected: 182") sums it up: same frame.
        return _list_intro(folded, sentences, index - 1)
    else:
        return ""
    intro = next((s for s in reversed(sentences[:index]) if not in_list(s.text)), None)
    return "" if intro is None else folded[intro.start : intro.end]


def _share_list_metrics(folded: str, figures: list[Candidate]) -> None:
    """A figure without a cue of its own continues the list it stands in.

    "raises of 4 percent in the first year and 3.5 percent in each of the following years":
    the second percentage is a raise too, whatever words follow it.
    """
    for left, right in itertools.pairwise(figures):
        if left.sentence is not right.sentence:
            continue
        assert right.unit is not None
        gap = folded[left.end : right.start]
        if _RESTATEMENT.match(gap) and {left.unit, right.unit} in _RESTATED_UNITS:
            # "850 jobs, or about 6% of its workforce", "the 38-cent increase, or 2.3 percent":
            # one change stated twice; the side that has a cue names it.
            if left.metric == "other":
                left.metric = right.metric
            else:
                right.metric = left.metric
            continue
        if left.unit != right.unit or len(gap.split()) > 12:
            continue
        if (
            right.unit == "people"
            and right.head not in (None, left.head)
            and not _SUBSET_GAP.search(gap)
            and not _COORDINATION.fullmatch(gap)
        ):
            continue
        offset = right.sentence.start
        sentence = folded[right.sentence.start : right.sentence.end]
        start, end = right.start - offset, right.end - offset
        if has_near_cue(sentence, start, end, right.unit):
            continue
        if own_metric(sentence, start, end, right.unit, right.head) is None:
            right.metric = left.metric


def _share_range_metrics(folded: str, figures: list[Candidate]) -> None:
    """Both ends of a range measure the same thing: "between $10 million and $15 million".

    The end that carries the unit words ("15 percent" in "8 to 10 percent of its workforce")
    was classified with them, so its metric wins; "from 3,200 to 2,400 workers" gives two
    sizes of a workforce.
    """
    for left, right in itertools.pairwise(figures):
        if left.unit != right.unit or not range_join(folded, left.mention, right.mention):
            continue
        if left.mention.borrowed or (left.head is None and right.head is not None):
            left.metric = right.metric
        else:
            right.metric = left.metric
        if (
            left.unit == "people"
            and _FROM_BEFORE.search(folded, 0, left.start)
            and left.metric in ("layoffs", "other")
            and (right.head or "") in WORKER_NOUNS
        ):
            left.metric = right.metric = "workforce"
