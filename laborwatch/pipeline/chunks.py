"""What moves between a run's phases two and three: articles waiting for analysis, and chunks
of them analysed."""

from __future__ import annotations

from dataclasses import dataclass

from laborwatch.domain import Article, SourceError
from laborwatch.ingest.entries import PageRequest
from laborwatch.pipeline.report import AnalysedArticle


@dataclass(slots=True)
class PendingArticle:
    """An article to analyse (and maybe to complete with its page) in phase two."""

    source_index: int
    location: str
    article: Article
    page: PageRequest | None


@dataclass(slots=True)
class AnalysedChunk:
    items: list[tuple[int, AnalysedArticle]]  # (source index, article) in diff order
    errors: list[tuple[int, SourceError]]
    seconds: dict[str, float]
