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


ARTICLES_PER_CHUNK = 500
# A page costs a fetch, and one host's pages come a few per second: a chunk of 500 pages from one
# site would take minutes before its commit, and a run killed (or timed out) meanwhile would keep
# nothing. Chunks close at this many pages, so work is committed every minute or so.
PAGES_PER_CHUNK = 200


def plan_chunks(pending: list[PendingArticle]) -> list[list[PendingArticle]]:
    """`pending`, in order, cut into chunks of at most ARTICLES_PER_CHUNK articles and
    PAGES_PER_CHUNK page fetches."""
    chunks: list[list[PendingArticle]] = []
    current: list[PendingArticle] = []
    pages = 0
    for item in pending:
        current.append(item)
        pages += item.page is not None
        if len(current) >= ARTICLES_PER_CHUNK or pages >= PAGES_PER_CHUNK:
            chunks.append(current)
            current, pages = [], 0
    if current:
        chunks.append(current)
    return chunks
