"""FIGURES.md scoring: figure detection P/R/F1, metric accuracy and relevance P/R.

Both sides are deduplicated per article by (unit, value), keeping the first occurrence, so a
figure repeated in headline and body counts once. A prediction matches a gold figure when the
units agree and the value is within 0.5%.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from laborwatch.domain import METRICS, UNITS, Figure
from laborwatch.parsers.analyze import analyze_article

VALUE_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class ScoredFigure:
    unit: str
    value: float
    metric: str
    text: str = ""

    @classmethod
    def from_figure(cls, figure: Figure) -> ScoredFigure:
        return cls(figure.unit, float(figure.value), figure.metric, figure.text)

    @classmethod
    def from_gold(cls, item: Mapping[str, Any]) -> ScoredFigure:
        unit, metric = item.get("unit"), item.get("metric")
        if unit not in UNITS:
            raise ValueError(f"gold figure {item!r}: unit must be one of {UNITS}")
        if metric not in METRICS:
            raise ValueError(f"gold figure {item!r}: metric must be one of {METRICS}")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"gold figure {item!r}: value must be a number")
        return cls(str(unit), float(value), str(metric), str(item.get("text", "")))


@dataclass(slots=True)
class ArticleResult:
    """Gold and predicted labels of one article."""

    id: str
    gold_relevant: bool
    predicted_relevant: bool
    gold: list[ScoredFigure]
    predicted: list[ScoredFigure]


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    metric_correct: int = 0
    relevance_tp: int = 0
    relevance_fp: int = 0
    relevance_fn: int = 0
    articles: int = 0
    missed: list[tuple[str, ScoredFigure]] = field(default_factory=list)
    spurious: list[tuple[str, ScoredFigure]] = field(default_factory=list)
    wrong_metric: list[tuple[str, ScoredFigure, ScoredFigure]] = field(default_factory=list)
    wrong_relevance: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def metric_accuracy(self) -> float:
        return _ratio(self.metric_correct, self.true_positives)

    @property
    def relevance_precision(self) -> float:
        return _ratio(self.relevance_tp, self.relevance_tp + self.relevance_fp)

    @property
    def relevance_recall(self) -> float:
        return _ratio(self.relevance_tp, self.relevance_tp + self.relevance_fn)

    def summary(self) -> str:
        return (
            f"articles={self.articles} figures: P={self.precision:.3f} R={self.recall:.3f} "
            f"F1={self.f1:.3f} (tp={self.true_positives} fp={self.false_positives} "
            f"fn={self.false_negatives}) metric_acc={self.metric_accuracy:.3f} "
            f"relevance: P={self.relevance_precision:.3f} R={self.relevance_recall:.3f}"
        )

    def details(self) -> str:
        lines = [
            f"missed {aid}: {f.unit} {f.value:g} {f.metric} {f.text!r}" for aid, f in self.missed
        ]
        lines += [
            f"spurious {aid}: {f.unit} {f.value:g} {f.metric} {f.text!r}"
            for aid, f in self.spurious
        ]
        lines += [
            f"metric {aid}: {g.text!r} gold={g.metric} predicted={p.metric} ({p.text!r})"
            for aid, g, p in self.wrong_metric
        ]
        lines += [f"relevance {aid}" for aid in self.wrong_relevance]
        return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> float:
    # Nothing to find and nothing found is perfect, not a division error.
    return 1.0 if denominator == 0 else numerator / denominator


def dedupe(figures: Iterable[ScoredFigure]) -> list[ScoredFigure]:
    """First occurrence per (unit, value)."""
    seen: set[tuple[str, float]] = set()
    unique: list[ScoredFigure] = []
    for figure in figures:
        key = (figure.unit, round(figure.value, 6))
        if key not in seen:
            seen.add(key)
            unique.append(figure)
    return unique


def values_match(gold: float, predicted: float) -> bool:
    if gold == 0:
        return predicted == 0
    return abs(predicted - gold) <= VALUE_TOLERANCE * abs(gold)


def score_articles(results: Iterable[ArticleResult]) -> Score:
    score = Score()
    for result in results:
        score.articles += 1
        if result.gold_relevant and result.predicted_relevant:
            score.relevance_tp += 1
        elif result.predicted_relevant:
            score.relevance_fp += 1
            score.wrong_relevance.append(f"{result.id}: predicted relevant, gold not")
        elif result.gold_relevant:
            score.relevance_fn += 1
            score.wrong_relevance.append(f"{result.id}: gold relevant, predicted not")
        gold = dedupe(result.gold)
        remaining = dedupe(result.predicted)
        for gold_figure in gold:
            match = next(
                (
                    p
                    for p in remaining
                    if p.unit == gold_figure.unit and values_match(gold_figure.value, p.value)
                ),
                None,
            )
            if match is None:
                score.false_negatives += 1
                score.missed.append((result.id, gold_figure))
                continue
            remaining.remove(match)
            score.true_positives += 1
            if match.metric == gold_figure.metric:
                score.metric_correct += 1
            else:
                score.wrong_metric.append((result.id, gold_figure, match))
        score.false_positives += len(remaining)
        score.spurious.extend((result.id, p) for p in remaining)
    return score


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    id: str
    title: str
    text: str
    labor_relevant: bool
    figures: list[ScoredFigure]


def load_corpus(path: Path) -> list[LabelledArticle]:
    """A JSONL corpus: one {"id","text","title"?,"labor_relevant","figures"} per line."""
    articles: list[LabelledArticle] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            articles.append(
                LabelledArticle(
                    id=str(item["id"]),
                    title=str(item.get("title", "")),
                    text=str(item["text"]),
                    labor_relevant=bool(item["labor_relevant"]),
                    figures=[ScoredFigure.from_gold(f) for f in item["figures"]],
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: bad corpus entry: {error}") from error
    return articles


def load_seed_gold(gold_path: Path, articles_dir: Path) -> list[LabelledArticle]:
    """The seed gold file, with texts read from `articles_dir` by file name."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    articles: list[LabelledArticle] = []
    for item in data["articles"]:
        name = Path(item["file"]).name
        articles.append(
            LabelledArticle(
                id=name,
                title="",
                text=(articles_dir / name).read_text(encoding="utf-8"),
                labor_relevant=bool(item["labor_relevant"]),
                figures=[ScoredFigure.from_gold(f) for f in item["figures"]],
            )
        )
    return articles


def load_realnews(paths: Iterable[Path]) -> list[LabelledArticle]:
    """Real-news gold files (one JSON object per file, `../shared/realnews/README.md`).

    The title is read the way `laborwatch extract` reads a plain text file: its first sentence.
    """
    from laborwatch.parsers.article_files import first_sentence

    articles: list[LabelledArticle] = []
    for path in sorted(paths):
        try:
            item = json.loads(path.read_text(encoding="utf-8"))
            text = str(item["text"])
            articles.append(
                LabelledArticle(
                    id=str(item.get("id") or path.stem),
                    title=first_sentence(text),
                    text=text,
                    labor_relevant=bool(item["labor_relevant"]),
                    figures=[ScoredFigure.from_gold(f) for f in item["figures"]],
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: bad gold file: {error}") from error
    return articles


def evaluate(
    articles: Sequence[LabelledArticle],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> Score:
    """Run `analyze_article` on labelled articles and score it."""
    results = []
    for article in articles:
        analysis = analyze_article(article.title, article.text, aliases)
        results.append(
            ArticleResult(
                id=article.id,
                gold_relevant=article.labor_relevant,
                predicted_relevant=analysis.labor_relevant,
                gold=article.figures,
                predicted=[ScoredFigure.from_figure(f) for f in analysis.figures],
            )
        )
    return score_articles(results)
