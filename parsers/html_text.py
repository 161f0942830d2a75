"""HTML to plain text: the body of an article page, and the text of a feed's HTML fields.

The output is plain text meant for figure extraction and for alerts: no tags, no scripts, no
comments, paragraphs separated by one blank line, unicode NFC-normalised. The tree work is in
`html_tree`; which part of a page is the article is decided in `page_text`."""

from __future__ import annotations

import re

from lxml.etree import _Element as Element

from laborwatch.parsers.html_tree import (
    SPACES,
    decode_html,
    markup_text,
    normalise,
    parse_tree,
    strip_residual_markup,
)
from laborwatch.parsers.page_text import article_body

__all__ = ["decode_html", "extract_article_text", "html_to_text"]


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed summary or content:encoded). Plain text passes
    through with its whitespace tidied. Scripts, styles and comments are dropped."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        text = normalise(html)
        paragraphs = [SPACES.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
        return "\n\n".join(
            "\n".join(line.strip() for line in p.splitlines() if line.strip())
            for p in paragraphs
            if p
        )
    return strip_residual_markup(markup_text(html))


def _meta(root: Element, *names: str) -> str | None:
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        content = tag.get("content")
        if not content or not content.strip():
            continue
        for key in ("property", "name"):
            value = tag.get(key)
            if value is not None:
                found.setdefault(f"{key}={value}", content)
    for name in names:
        content = found.get(f"property={name}") or found.get(f"name={name}")
        if content:
            return content
    return None


def _clean_line(text: str) -> str:
    return strip_residual_markup(SPACES.sub(" ", normalise(text).replace("\n", " ")).strip())


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—/»·:]{1,2})\s+")


def _page_title(root: Element) -> str:
    """Headline of a page: publisher metadata first, then <title> without the site name, then the
    first <h1>."""
    meta = _meta(root, "og:title", "twitter:title", "dc.title", "DC.title", "parsely-title")
    if meta:
        return _clean_line(meta)
    title_tag = next(root.iter("title"), None)
    title = _clean_line("".join(title_tag.itertext())) if title_tag is not None else ""
    heading_tag = next(root.iter("h1"), None)
    heading = _clean_line(" ".join(heading_tag.itertext())) if heading_tag is not None else ""
    if title:
        parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
        if heading and heading in parts:
            return heading
        if len(parts) > 1 and len(parts[0].split()) >= 3:
            return parts[0]
        return title
    return heading


def extract_article_text(html: str | bytes) -> tuple[str, str]:
    """(title, body text) of an article page. The body leaves out navigation, scripts, comments,
    captions, bylines, related links and other page furniture; paragraphs are separated by blank
    lines. Either part may be empty. This is what the pipeline reads from every fetched page."""
    root = parse_tree(html)
    if root is None:
        return "", ""
    title = _page_title(root)
    return title, article_body(root, title)
