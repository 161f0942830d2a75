"""Scoring page text against hand-marked article text: the one place the project does it.

The metric is the one of the article-extraction benchmark in `../shared/pages` (its
`evaluate.py`): word tokens (`\\w+`), shingles of four tokens, per page true/false positives and
negatives counted over shingle multisets and normalised to sum to one; precision and recall are
averaged over pages, F1 is their harmonic mean. The quality guard test and the page-text
benchmark both call `score_pages`."""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from laborwatch.parsers.html_text import extract_article_text

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
_SHINGLE = 4

Counts = tuple[float, float, float]


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(
        tuple(tokens[i : i + _SHINGLE]) for i in range(max(1, len(tokens) - _SHINGLE + 1))
    )


def shingle_counts(true: str, pred: str) -> Counts:
    """(tp, fp, fn) of one page, normalised to sum to one (as the benchmark does)."""
    expected, got = _shingles(true), _shingles(pred)
    tp = float(sum((expected & got).values()))
    fp = float(sum((got - expected).values()))
    fn = float(sum((expected - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass(slots=True)
class PageScore:
    f1: float
    precision: float
    recall: float
    pages: int
    per_page: dict[str, Counts] = field(default_factory=dict)
    milliseconds: list[float] = field(default_factory=list)


def summarise(per_page: dict[str, Counts]) -> PageScore:
    """Benchmark precision, recall and F1 over pages' (tp, fp, fn)."""
    counts = list(per_page.values())
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PageScore(f1, precision, recall, len(counts), per_page)


def page_files(pages_dir: Path) -> list[Path]:
    return sorted((pages_dir / "html").glob("*.html.gz"))


def score_pages(
    pages_dir: Path,
    extract: Callable[[bytes], tuple[str, str]] = extract_article_text,
) -> PageScore:
    """Score `extract` (bytes of a page → (title, text)) on every page of a benchmark folder
    (`html/<key>.html.gz` and `ground-truth.json`), timing each call."""
    truth = json.loads((pages_dir / "ground-truth.json").read_text(encoding="utf-8"))
    per_page: dict[str, Counts] = {}
    milliseconds: list[float] = []
    for path in page_files(pages_dir):
        key = path.name.split(".")[0]
        data = gzip.decompress(path.read_bytes())
        started = time.perf_counter()
        _, text = extract(data)
        milliseconds.append((time.perf_counter() - started) * 1000)
        per_page[key] = shingle_counts(truth[key].get("articleBody", ""), text)
    score = summarise(per_page)
    score.milliseconds = milliseconds
    return score
