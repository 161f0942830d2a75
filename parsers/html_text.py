"""HTML to plain text: the body of an article page, and the text of a feed's HTML fields.

The output is plain text meant for figure extraction and for alerts: no tags, no scripts, no
comments, paragraphs separated by one blank line, unicode NFC-normalised."""

from __future__ import annotations

import re
import unicodedata
import warnings
from typing import Any

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, Tag, UnicodeDammit
from bs4 import ProcessingInstruction as BsProcessingInstruction

try:  # bs4 warns when given text that looks like a URL or a file name; that is fine here.
    from bs4 import MarkupResemblesLocatorWarning

    warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
except ImportError:  # pragma: no cover - older bs4
    pass

# Elements whose content is never article text.
_DROP_ALWAYS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "select",
    "textarea",
    "button",
    "input",
    "head",
    "title",
    "meta",
    "link",
)
# Page furniture around an article: dropped from pages, kept in feed fragments.
_BOILERPLATE_TAGS = ("nav", "footer", "aside", "header", "menu", "dialog")
# Readability's "unlikely candidate" test on class and id, with its "maybe a candidate" escape.
_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|"
    r"header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|"
    r"supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|share|cookie",
    re.IGNORECASE,
)
_MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|mathjax|shadow", re.I)
_NEVER_DROP = frozenset({"html", "body", "article", "main"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "figure",
        "figcaption",
        "address",
        "hr",
        "header",
        "footer",
        "aside",
        "nav",
        "center",
        "details",
        "summary",
        "body",
        "html",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\f\v\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_TAG_LIKE = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_BLOCK_MARK = "\x00"  # never in text after cleaning: marks a paragraph boundary
_LINE_MARK = "\x01"  # a <br>


def decode_html(html: bytes) -> str:
    """Bytes to text the way a browser would, trusting a declared charset only when the bytes
    actually decode with it (pages that say gb2312 but are UTF-8 exist)."""
    dammit = UnicodeDammit(html, is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup
    return html.decode("utf-8", errors="replace")


def _soup(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(decode_html(html) if isinstance(html, bytes) else html, "lxml")


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            name = child.name.lower() if child.name else ""
            if name in _DROP_ALWAYS:
                continue
            if name == "br":
                out.append(_LINE_MARK)
                continue
            block = name in _BLOCK_TAGS
            if block:
                out.append(_BLOCK_MARK)
            _walk(child, out)
            if block:
                out.append(_BLOCK_MARK)
            elif name in _CELL_TAGS:
                out.append(" ")
        elif isinstance(
            child, Comment | Declaration | Doctype | BsProcessingInstruction
        ) or not isinstance(child, NavigableString):
            continue
        else:
            out.append(str(child))


def _assemble(pieces: list[str]) -> str:
    """Join walked pieces into paragraphs: whitespace collapsed, blank line between blocks."""
    raw = "".join(pieces).replace("\n", " ")
    paragraphs = []
    for block in raw.split(_BLOCK_MARK):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split(_LINE_MARK)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))
    return text.replace(_BLOCK_MARK, "").replace(_LINE_MARK, "")


def _strip_line_markup(line: str) -> str:
    for _ in range(3):
        if not _TAG_LIKE.search(line):
            return line
        pieces: list[str] = []
        _walk(_soup(line), pieces)
        line = _normalise(_assemble(pieces)).replace("\n", " ")
    return _TAG_LIKE.sub("", line)


def _strip_residual_markup(text: str) -> str:
    """Text that decoded to markup (double-escaped HTML in a feed) goes through again, line by
    line, so no tag or script reaches a field we store or alert on."""
    if not _TAG_LIKE.search(text):
        return text
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = [_strip_line_markup(line).strip() for line in paragraph.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed summary or content:encoded). Plain text passes
    through with its whitespace tidied. Scripts, styles and comments are dropped."""
    if not html or not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        text = _normalise(html)
        paragraphs = [_SPACES.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text)]
        return "\n\n".join(
            "\n".join(line.strip() for line in p.splitlines() if line.strip())
            for p in paragraphs
            if p
        )
    pieces: list[str] = []
    _walk(_soup(html), pieces)
    return _strip_residual_markup(_normalise(_assemble(pieces)))


def _article_wrappers(soup: BeautifulSoup) -> set[int]:
    """ids of elements that contain the article (an ASP.NET-style page wraps all in a <form>)."""
    wrappers: set[int] = set()
    holders = soup.find_all(["article", "main"]) + soup.find_all(None, {"itemprop": "articleBody"})
    for holder in holders:
        for parent in holder.parents:
            if id(parent) in wrappers:
                break
            wrappers.add(id(parent))
    return wrappers


def _is_boilerplate(tag: Tag, wrappers: set[int]) -> bool:
    if tag.name in _NEVER_DROP or id(tag) in wrappers:
        return False
    if tag.name in _BOILERPLATE_TAGS:
        return True
    attrs = tag.attrs or {}
    role = str(attrs.get("role") or "").lower()
    if role in {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}:
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes: Any = attrs.get("class") or []
    names = " ".join(classes) if isinstance(classes, list) else str(classes)
    ident = f"{names} {attrs.get('id') or ''}"
    return bool(_UNLIKELY.search(ident)) and not _MAYBE_CANDIDATE.search(ident)


def _paragraph_text_length(tag: Tag) -> int:
    return sum(len(p.get_text(" ", strip=True)) for p in tag.find_all("p", recursive=False))


def _choose_container(soup: BeautifulSoup) -> Tag:
    """The element holding the article: schema.org articleBody, <article>, <main>, or else the
    element whose direct <p> children carry the most text (readability's core idea)."""
    body = soup.body or soup
    searches = (
        body.find_all(None, {"itemprop": "articleBody"}),
        body.find_all("article"),
        body.find_all("main"),
        body.find_all(None, {"role": "main"}),
    )
    for found in searches:
        candidates = [t for t in found if isinstance(t, Tag)]
        if candidates:
            best = max(candidates, key=lambda t: len(t.get_text(" ", strip=True)))
            if len(best.get_text(" ", strip=True)) >= 200:
                return best
    best_tag: Tag = body if isinstance(body, Tag) else soup
    best_score = 0
    # Keyed by id(): bs4 hashes a Tag by serialising it, which is slow and merges equal markup.
    parents = {id(p.parent): p.parent for p in body.find_all("p") if isinstance(p.parent, Tag)}
    for parent in parents.values():
        score = _paragraph_text_length(parent)
        if score > best_score:
            best_tag, best_score = parent, score
    # A container with only a little paragraph text is likely a fragment; use the whole body then.
    if best_score < 200:
        return body if isinstance(body, Tag) else soup
    return best_tag


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                return content
    return None


def _clean_line(text: str) -> str:
    return _strip_residual_markup(_SPACES.sub(" ", _normalise(text).replace("\n", " ")).strip())


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—/»·:]{1,2})\s+")


def _page_title(soup: BeautifulSoup) -> str:
    """Headline of a page: publisher metadata first, then <title> without the site name, then the
    first <h1>."""
    meta = _meta(soup, "og:title", "twitter:title", "dc.title", "DC.title", "parsely-title")
    if meta:
        return _clean_line(meta)
    title = _clean_line(soup.title.get_text()) if soup.title else ""
    heading_tag = soup.find("h1")
    heading = _clean_line(heading_tag.get_text(" ")) if isinstance(heading_tag, Tag) else ""
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
    footers and asides; paragraphs are separated by blank lines. Either part may be empty."""
    soup = _soup(html)
    title = _page_title(soup)
    for tag in soup.find_all(_DROP_ALWAYS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    wrappers = _article_wrappers(soup)
    for tag in [t for t in soup.find_all(True) if _is_boilerplate(t, wrappers)]:
        if not tag.decomposed:
            tag.decompose()
    container = _choose_container(soup)
    pieces: list[str] = []
    _walk(container, pieces)
    body = _strip_residual_markup(_normalise(_assemble(pieces)))
    return title, body
