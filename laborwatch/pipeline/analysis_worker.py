"""The function the analysis worker processes run: page text and figure extraction.

Kept apart from flows.steps so that a freshly spawned worker imports only the parsers and the
page-reading code, not Apprise, SQLAlchemy or Prefect: that is seconds of start-up and tens of
megabytes per worker saved."""

from __future__ import annotations

import time
from dataclasses import dataclass

from laborwatch.domain import Article, ArticleAnalysis, SourceError
from laborwatch.ingest.entries import PageRequest, apply_page
from laborwatch.packed import pack_bytes, pack_text
from laborwatch.parsers.analyze import analyze_article


@dataclass(slots=True)
class AnalysisJob:
    location: str
    article: Article
    page: PageRequest | None
    body: bytes | None  # the fetched page, when there is one to use


@dataclass(slots=True)
class AnalysisOutcome:
    article: Article
    analysis: ArticleAnalysis | None  # None: extraction failed, see errors
    errors: list[SourceError]
    seconds: dict[str, float]


def analyse_jobs(jobs: list[AnalysisJob], aliases: dict[str, list[str]]) -> list[AnalysisOutcome]:
    """Page text and figure extraction for a few articles: the CPU-bound part of a run, run in a
    worker process (so it must stay a module-level function of plain, picklable data)."""
    outcomes = []
    for job in jobs:
        errors: list[SourceError] = []
        started = time.perf_counter()
        if job.page is not None and job.body is not None:
            error = apply_page(job.location, job.article, job.page, job.body)
            if error is not None:
                errors.append(error)
        parsed = time.perf_counter()
        analysis: ArticleAnalysis | None = None
        try:
            analysis = analyze_article(job.article.title, job.article.text, aliases)
        except Exception as exc:  # a parser bug on one article must not cost the others
            message = f"extract {job.article.title!r}: {type(exc).__name__}: {exc}"
            errors.append(SourceError(job.location, message, "extract"))
        article = job.article
        if article.raw is not None:
            article.raw_z, article.raw = pack_text(article.raw), None
        if article.page is not None:
            article.page_z, article.page = pack_bytes(article.page), None
        done = time.perf_counter()
        outcomes.append(
            AnalysisOutcome(
                job.article,
                analysis,
                errors,
                {"parse": parsed - started, "extract": done - parsed},
            )
        )
    return outcomes
