"""What a run found and did, as plain data: printed by the CLI, returned by the flow and turned
into the run's artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from laborwatch.domain import Article, ArticleAnalysis, Development, SourceError


@dataclass(slots=True)
class AnalysedArticle:
    article: Article
    analysis: ArticleAnalysis


@dataclass(slots=True)
class SourceTally:
    """How many articles and figures a source gave, for articles not kept in memory: a run of
    thousands of articles needs their counts in the report, not their text and figures."""

    articles: int = 0
    figures: int = 0


@dataclass(slots=True)
class SourceResult:
    source: str  # the label people see
    location: str
    articles: list[AnalysedArticle]
    errors: list[SourceError]
    not_modified: bool = False
    failed: bool = False
    skipped: str | None = None  # why the source was not fetched this run (backing off)
    health_notices: list[str] = field(default_factory=list)
    tally: SourceTally | None = None  # articles counted here are not in `articles`

    @property
    def article_count(self) -> int:
        return len(self.articles) + (self.tally.articles if self.tally else 0)

    @property
    def figure_count(self) -> int:
        listed = sum(len(a.analysis.figures) for a in self.articles)
        return listed + (self.tally.figures if self.tally else 0)


def development_to_dict(dev: Development) -> dict[str, Any]:
    return {
        "kind": dev.kind,
        "subject": dev.subject,
        "metric": dev.metric,
        "unit": dev.unit,
        "old_value": dev.old_value,
        "new_value": dev.new_value,
        "approx": dev.approx,
        "text": dev.text,
        "old_text": dev.old_text,
        "sentence": dev.sentence,
        "article_title": dev.article_title,
        "article_url": dev.article_url,
        "published": dev.published.isoformat() if dev.published else None,
        "source": dev.source,
        "absolute_change": dev.absolute_change,
        "relative_change": dev.relative_change,
        "watches": list(dev.watches),
        "story_updated": dev.story_updated,
    }


def _status(result: SourceResult) -> str:
    if result.failed:
        return "failed"
    if result.skipped:
        return f"skipped: {result.skipped}"
    return "not modified" if result.not_modified else "ok"


@dataclass(slots=True)
class RunReport:
    run_label: str
    sources_total: int
    sources_done: int = 0
    sources_failed: int = 0
    sources_not_modified: int = 0
    sources_skipped: int = 0
    health_notices: list[str] = field(default_factory=list)
    articles: int = 0
    figures: int = 0
    developments: list[Development] = field(default_factory=list)  # the ones people are told
    recorded_only: list[Development] = field(default_factory=list)  # kept in history, no alert
    alerts: dict[str, int] = field(default_factory=lambda: {"sent": 0, "failed": 0, "pending": 0})
    errors: list[SourceError] = field(default_factory=list)
    per_source: list[dict[str, Any]] = field(default_factory=list)
    # Busy seconds per stage (fetch, parse, extract, store, diff, alert), summed over threads
    # and processes, so they can exceed the run's wall time; read by benchmarks/, not printed.
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def add_source(self, result: SourceResult) -> None:
        self.sources_done += 1
        self.sources_failed += int(result.failed)
        self.sources_not_modified += int(result.not_modified)
        self.sources_skipped += int(result.skipped is not None)
        self.health_notices.extend(result.health_notices)
        figures = result.figure_count
        self.articles += result.article_count
        self.figures += figures
        self.errors.extend(result.errors)
        self.per_source.append(
            {
                "source": result.source,
                "articles": result.article_count,
                "figures": figures,
                "status": _status(result),
                "errors": len(result.errors),
            }
        )

    def summary_line(self) -> str:
        return (
            f"{self.sources_done}/{self.sources_total} sources ({self.sources_failed} failed), "
            f"{self.articles} articles, {self.figures} figures, "
            f"{len(self.developments)} developments ({len(self.recorded_only)} more recorded "
            f"without alert); alerts sent {self.alerts.get('sent', 0)}, "
            f"pending {self.alerts.get('pending', 0)}, failed {self.alerts.get('failed', 0)}; "
            f"{len(self.errors)} error(s)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_label,
            "developments": [development_to_dict(d) for d in self.developments],
            "recorded_only": [development_to_dict(d) for d in self.recorded_only],
            "alerts": {k: self.alerts.get(k, 0) for k in ("sent", "failed", "pending")},
            "errors": [
                {"source": e.source, "kind": e.kind, "message": e.message} for e in self.errors
            ],
            "sources": self.per_source,
            "health": list(self.health_notices),
            "counts": {
                "sources": self.sources_total,
                "sources_failed": self.sources_failed,
                "articles": self.articles,
                "figures": self.figures,
                "developments": len(self.developments),
            },
        }
