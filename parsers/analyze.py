"""One call for the pipeline: is the article labor news, and which figures does it report?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from laborwatch.domain import ArticleAnalysis
from parsers.figures import extract_figures
from parsers.relevance import is_labor_relevant


def analyze_article(
    title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
) -> ArticleAnalysis:
    """Relevance plus figures of the body `text` (offsets into `text`).

    Articles that are not labor news yield no figures: their numbers (scores, temperatures,
    quarterly earnings) are not what the monitor tracks, per FIGURES.md.
    """
    if not isinstance(title, str) or not isinstance(text, str):
        raise TypeError("analyze_article needs str title and text")
    relevant = is_labor_relevant(text, title)
    if not relevant:
        return ArticleAnalysis(labor_relevant=False, figures=[])
    return ArticleAnalysis(
        labor_relevant=True, figures=extract_figures(text, title=title, aliases=aliases)
    )
