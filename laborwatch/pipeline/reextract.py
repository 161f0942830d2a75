"""Re-run extraction over the stored articles, from what was received, without fetching again."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from laborwatch.domain import Article
from laborwatch.parsers.analyze import analyze_article
from laborwatch.parsers.html_text import extract_article_text, html_to_text
from laborwatch.parsers.text import normalize_text
from laborwatch.storage.store import Store

_PAGE = re.compile(r"<(?:html|body|article|main)\b", re.IGNORECASE)
_FRAGMENT = re.compile(r"<(?:p|div|br|span|li|h[1-6])\b", re.IGNORECASE)


def text_from_raw(article: Article) -> str:
    """The article text as today's parsers read what was received: a fetched page (its bytes),
    an HTML fragment from a feed, or plain text as it was stored."""
    raw = article.raw or ""
    page: bytes | str | None = article.page  # as fetched; else a stored page's decoded text
    if page is None and _PAGE.search(raw[:20_000]):
        page = raw
    if page is not None:
        _, body = extract_article_text(page)
        return body or article.text
    if _FRAGMENT.search(raw):
        return normalize_text(html_to_text(raw))
    return article.text


@dataclass(slots=True)
class ReextractChange:
    article_id: int
    title: str
    before: int
    after: int
    added: list[tuple[str, str, str, float]]
    removed: list[tuple[str, str, str, float]]


def reextract_articles(
    store: Store,
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
    apply: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, list[ReextractChange]]:
    """Extract every stored article again; with `apply`, store the new figures. Returns the
    number of articles read and the articles whose figures differ. `progress` hears (articles
    read, articles stored) after each one."""
    changes: list[ReextractChange] = []
    seen = 0
    total = store.counts()["articles"] if progress is not None else 0
    for article_id, article in store.iter_articles_for_reextract():
        seen += 1
        if progress is not None:
            progress(seen, max(total, seen))
        analysis = analyze_article(article.title, text_from_raw(article), aliases)
        before = store.article_figures(article_id)
        after: list[tuple[str, str, str, float]] = [
            (f.subject, f.metric, str(f.unit), float(f.value)) for f in analysis.figures
        ]
        if sorted(before) == sorted(after):
            continue
        added = [f for f in after if f not in before]
        removed = [f for f in before if f not in after]
        changes.append(
            ReextractChange(article_id, article.title, len(before), len(after), added, removed)
        )
        if apply:
            store.replace_figures(article_id, analysis)
    return seen, changes
