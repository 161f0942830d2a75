"""One call for the pipeline: is the article labor news, and which figures does it report?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from laborwatch.domain import ArticleAnalysis
from laborwatch.parsers.figures import extract_figures
from laborwatch.parsers.relevance import is_labor_relevant


def analyze_article(
    title: str, text: str, aliases: Mapping[str, Sequence[str]] | None = None
) -> ArticleAnalysis:
    """Relevance plus figures of the body `text` (offsets into `text`).

    Every article gets its figures, labor news or not: FIGURES.md counts customers, fans and
    stores as figures too (metric "other" when no labor metric fits), and scoring runs over all
    articles. The pipeline itself only turns figures of labor-relevant articles into
    developments, so the numbers of a box score never alert.
    """
    if not isinstance(title, str) or not isinstance(text, str):
        raise TypeError("analyze_article needs str title and text")
    relevant = is_labor_relevant(text, title)
    return ArticleAnalysis(
        labor_relevant=relevant,
        figures=extract_figures(text, title=title, aliases=aliases, labor_relevant=relevant),
    )
