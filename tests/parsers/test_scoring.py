"""The FIGURES.md scorer itself: dedupe, tolerance, P/R/F1, metric accuracy, relevance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from laborwatch.parsers.scoring import ArticleResult, ScoredFigure, load_corpus, score_articles


def _f(unit: str, value: float, metric: str = "other") -> ScoredFigure:
    return ScoredFigure(unit, value, metric)


def test_dedupes_by_unit_and_value_and_matches_within_half_a_percent() -> None:
    result = ArticleResult(
        id="a",
        gold_relevant=True,
        predicted_relevant=True,
        gold=[
            _f("USD", 2e9, "concessions"),
            _f("USD", 2e9, "savings"),
            _f("people", 1000, "layoffs"),
        ],
        predicted=[
            _f("USD", 2.009e9, "concessions"),  # within 0.5%
            _f("people", 1000, "workforce"),  # wrong metric
            _f("count", 1000),  # unit differs: a false positive
        ],
    )
    score = score_articles([result])
    assert (score.true_positives, score.false_positives, score.false_negatives) == (2, 1, 0)
    assert score.metric_accuracy == 0.5
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == 1.0


def test_outside_tolerance_is_a_miss() -> None:
    result = ArticleResult("a", True, True, [_f("USD", 100.0)], [_f("USD", 100.6)])
    score = score_articles([result])
    assert (score.true_positives, score.false_positives, score.false_negatives) == (0, 1, 1)
    assert score.f1 == 0.0


def test_relevance_precision_and_recall() -> None:
    results = [
        ArticleResult("tp", True, True, [], []),
        ArticleResult("fp", False, True, [], []),
        ArticleResult("fn", True, False, [], []),
        ArticleResult("tn", False, False, [], []),
    ]
    score = score_articles(results)
    assert score.relevance_precision == 0.5
    assert score.relevance_recall == 0.5


def test_bad_corpus_entries_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    good = {"id": "a", "text": "t", "labor_relevant": True, "figures": []}
    bad = {
        "id": "b",
        "text": "t",
        "labor_relevant": True,
        "figures": [{"unit": "yen", "value": 1, "metric": "other"}],
    }
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"corpus.jsonl:2"):
        load_corpus(path)
