"""Text made safe for every backend before it is stored.

PostgreSQL refuses NUL characters in text columns, and lone surrogates (what undecodable bytes
become with `surrogateescape`) cannot be encoded as UTF-8 at all. Both are dropped or replaced
here, the same way on SQLite and PostgreSQL, so a bad byte costs a character, never a record."""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar, overload

from laborwatch.domain import Article, ArticleAnalysis, Figure

T = TypeVar("T")
# Lone surrogates: undecodable bytes kept by `surrogateescape`, or broken UTF-16 pairs.
_SURROGATE = re.compile("[\ud800-\udfff]")


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: None) -> None: ...
def clean_text(value: str | None) -> str | None:
    """`value` without NUL characters and with anything not encodable as UTF-8 replaced by
    U+FFFD (the replacement character)."""
    if value is None:
        return None
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return value


_ARTICLE_TEXT_FIELDS = ("source", "title", "text", "url", "guid", "author", "summary", "raw")
_FIGURE_TEXT_FIELDS = ("text", "sentence", "subject")


def _cleaned(obj: T, fields: tuple[str, ...]) -> T:
    changes = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, str):
            fixed = clean_text(value)
            if fixed != value:
                changes[name] = fixed
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def clean_article(article: Article) -> Article:
    return _cleaned(article, _ARTICLE_TEXT_FIELDS)


def clean_figure(figure: Figure) -> Figure:
    return _cleaned(figure, _FIGURE_TEXT_FIELDS)


def clean_analysis(analysis: ArticleAnalysis) -> ArticleAnalysis:
    figures = [clean_figure(figure) for figure in analysis.figures]
    if all(new is old for new, old in zip(figures, analysis.figures, strict=True)):
        return analysis
    return ArticleAnalysis(analysis.labor_relevant, figures)
