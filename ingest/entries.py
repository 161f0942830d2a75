"""Feed entries as articles: plain text from their markup, a fingerprint of each version, and
which entries carry only a summary, so their page is fetched and read instead."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from laborwatch.domain import Article, SourceError
from laborwatch.ingest.fetch_result import FetchResult
from laborwatch.parsers.article_files import first_sentence
from laborwatch.parsers.feeds import FeedEntry
from laborwatch.parsers.html_text import extract_article_text, html_to_text
from laborwatch.redaction import public_link, redact_url

# A feed entry whose only text is a summary this short (or visibly cut off) gets its page fetched.
PARTIAL_SUMMARY_CHARS = 500
TRUNCATION = re.compile(
    r"(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|more»|more »)\s*$", re.I
)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """An article whose page is still to be fetched (read_source with fetch_pages=False):
    `index` into SourceBatch.articles, the page URL, and whether the page's title may replace
    the article's (only when the feed entry had none)."""

    index: int
    url: str
    use_page_title: bool


def plain_line(text: str | None) -> str:
    return " ".join(html_to_text(text).split()) if text else ""


def needs_page(entry: FeedEntry, summary_text: str) -> bool:
    if entry.content is not None or not entry.link:
        return False
    if not entry.link.lower().startswith(("http://", "https://")):
        return False
    return len(summary_text) < PARTIAL_SUMMARY_CHARS or bool(TRUNCATION.search(summary_text))


def entry_fingerprint(entry: FeedEntry) -> str:
    """What identifies this version of a feed entry: an outlet that updates a story in place
    keeps its link and GUID but changes its text, title or dates."""
    parts = [
        entry.title or "",
        entry.link or "",
        entry.summary or "",
        entry.content or "",
        entry.published.isoformat() if entry.published else "",
        entry.updated.isoformat() if entry.updated else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def entry_to_article(source: str, entry: FeedEntry) -> Article | None:
    """A feed entry as an Article with plain-text title, text, author and summary (no markup
    survives, even from text/plain fields feedparser leaves unsanitised); None if it is empty."""
    raw = entry.content or entry.summary or ""
    text = html_to_text(raw)
    summary = html_to_text(entry.summary) if entry.summary else None
    title = plain_line(entry.title) or first_sentence(text)
    if not title and not text:
        return None
    return Article(
        source=source,
        title=title,
        text=text or title,
        url=public_link(entry.link),  # the page is fetched from entry.link itself
        guid=entry.guid,
        published=entry.published,
        author=plain_line(entry.author) or None,
        summary=summary or None,
        raw=raw or None,
        position=entry.position,
        fingerprint=entry_fingerprint(entry),
    )


def page_fetch_error(source: str, url: str, result: FetchResult) -> SourceError | None:
    """The error to record when a page fetch gave nothing usable (the summary is kept). A page
    that robots.txt refused is no error: it was not asked for (ingest/robots.py logs it)."""
    if result.robots_disallowed:
        return None
    if result.error or not result.body:
        reason = result.error or f"HTTP {result.status} with an empty body"
        return SourceError(
            source, f"page {redact_url(url)}: {reason}; kept the feed summary", "fetch"
        )
    return None


def apply_page(
    source: str, article: Article, request: PageRequest, body: bytes
) -> SourceError | None:
    """Use a fetched page for a summary-only article: its text when longer than the summary,
    its title when the feed entry had none. A page that cannot be read keeps the summary."""
    try:
        page_title, text = extract_article_text(body)
    except Exception as exc:  # lxml failures on hostile pages must not end the batch
        link = redact_url(request.url)
        return SourceError(source, f"page {link}: cannot extract text ({exc})", "extract")
    if len(text) > len(article.text):
        article.text = text
        article.page, article.raw = body, None
    if request.use_page_title and page_title:
        article.title = page_title
    return None


def page_requests(pairs: list[tuple[FeedEntry, Article]]) -> list[PageRequest]:
    return [
        PageRequest(index, entry.link or "", use_page_title=not entry.title)
        for index, (entry, article) in enumerate(pairs)
        if needs_page(entry, article.summary or article.text)
    ]
