"""HTML to plain text: the body of an article page, and the text of a feed's HTML fields.

The output is plain text meant for figure extraction and for alerts: no tags, no scripts, no
comments, paragraphs separated by one blank line, unicode NFC-normalised.

Trees are built and searched with lxml directly (the same libxml2 HTML parser BeautifulSoup's
"lxml" builder drives): a 40 KB news page takes about 2 ms instead of 20 ms through bs4's
Python-level tree, and page extraction runs once per fetched article."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator

from bs4 import UnicodeDammit
from lxml import etree
from lxml.etree import _Element as Element

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


_parsers = threading.local()  # an lxml parser must not be used by two threads at once


def _parser() -> etree.HTMLParser:
    parser: etree.HTMLParser | None = getattr(_parsers, "html", None)
    if parser is None:
        # The text is already decoded (decode_html) and re-encoded as UTF-8, so the parser must
        # not believe a <meta charset> inside it.
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        _parsers.html = parser
    return parser


def _tree(html: str | bytes) -> Element | None:
    """The document's root element (<html>), or None for a document with nothing in it."""
    text = decode_html(html) if isinstance(html, bytes) else html
    try:
        return etree.fromstring(text.encode("utf-8", errors="replace"), _parser())
    except etree.ParserError:  # "Document is empty"
        return None


def _name(element: Element) -> str | None:
    """Lower-case tag name; None for comments, processing instructions and entities."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


def _walk(root: Element, out: list[str]) -> None:
    """Append the text under `root` in document order, with block and line marks; dropped
    elements keep their tail (the text after them belongs to the parent). Iterative, so a
    deeply nested hostile page cannot exhaust the stack."""
    if root.text:
        out.append(root.text)
    stack: list[tuple[Element, Iterator[Element]]] = [(root, iter(root))]
    while stack:
        parent, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:  # closing an element below root: its block mark, then its tail
                name = _name(parent)
                if name in _BLOCK_TAGS:
                    out.append(_BLOCK_MARK)
                elif name in _CELL_TAGS:
                    out.append(" ")
                if parent.tail:
                    out.append(parent.tail)
            continue
        name = _name(child)
        if name is None or name in _DROP_ALWAYS or name == "br":
            if name == "br":
                out.append(_LINE_MARK)
            if child.tail:
                out.append(child.tail)
            continue
        if name in _BLOCK_TAGS:
            out.append(_BLOCK_MARK)
        if child.text:
            out.append(child.text)
        stack.append((child, iter(child)))


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


def _markup_text(html: str) -> str:
    root = _tree(html)
    if root is None:
        return ""
    pieces: list[str] = []
    _walk(root, pieces)
    return _normalise(_assemble(pieces))


def _strip_line_markup(line: str) -> str:
    for _ in range(3):
        if not _TAG_LIKE.search(line):
            return line
        line = _markup_text(line).replace("\n", " ")
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
    return _strip_residual_markup(_markup_text(html))


def _text_of(element: Element) -> str:
    """The element's text pieces, each stripped, joined by one space (bs4's
    get_text(" ", strip=True))."""
    return " ".join(piece for piece in (s.strip() for s in element.itertext()) if piece)


def _remove(element: Element) -> None:
    """Take `element` and its content out of the tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _with_attribute(root: Element, name: str, value: str) -> list[Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e.get(name) == value]


def _article_wrappers(root: Element) -> set[Element]:
    """Elements that contain the article (an ASP.NET-style page wraps all in a <form>)."""
    wrappers: set[Element] = set()
    holders = list(root.iter("article", "main")) + _with_attribute(root, "itemprop", "articleBody")
    for holder in holders:
        for parent in holder.iterancestors():
            if parent in wrappers:
                break
            wrappers.add(parent)
    return wrappers


def _is_boilerplate(element: Element, name: str, wrappers: set[Element]) -> bool:
    if name in _NEVER_DROP or element in wrappers:
        return False
    if name in _BOILERPLATE_TAGS:
        return True
    attrs = element.attrib
    if not attrs:
        return False
    role = str(attrs.get("role") or "").lower()
    if role in {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}:
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    ident = f"{' '.join((attrs.get('class') or '').split())} {attrs.get('id') or ''}"
    return bool(_UNLIKELY.search(ident)) and not _MAYBE_CANDIDATE.search(ident)


def _paragraph_text_length(element: Element) -> int:
    return sum(len(_text_of(p)) for p in element.iterchildren("p"))


def _choose_container(root: Element) -> Element:
    """The element holding the article: schema.org articleBody, <article>, <main>, or else the
    element whose direct <p> children carry the most text (readability's core idea)."""
    body = root.find("body")
    if body is None:
        body = root
    searches = (
        _with_attribute(body, "itemprop", "articleBody"),
        list(body.iter("article")),
        list(body.iter("main")),
        _with_attribute(body, "role", "main"),
    )
    for candidates in searches:
        if candidates:
            lengths = [(len(_text_of(c)), i) for i, c in enumerate(candidates)]
            length, index = max(lengths, key=lambda pair: (pair[0], -pair[1]))
            if length >= 200:
                return candidates[index]
    best_tag = body
    best_score = 0
    parents: dict[Element, None] = {}  # document order, each parent once
    for paragraph in body.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            parents.setdefault(parent, None)
    for parent in parents:
        score = _paragraph_text_length(parent)
        if score > best_score:
            best_tag, best_score = parent, score
    # A container with only a little paragraph text is likely a fragment; use the whole body then.
    if best_score < 200:
        return body
    return best_tag


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
    return _strip_residual_markup(_SPACES.sub(" ", _normalise(text).replace("\n", " ")).strip())


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
    footers and asides; paragraphs are separated by blank lines. Either part may be empty."""
    root = _tree(html)
    if root is None:
        return "", ""
    title = _page_title(root)
    for element in list(root.iter(*_DROP_ALWAYS)):
        _remove(element)
    wrappers = _article_wrappers(root)
    doomed = []
    for element in root.iter():
        name = _name(element)
        if name is not None and _is_boilerplate(element, name, wrappers):
            doomed.append(element)
    for element in doomed:
        _remove(element)  # one inside an already removed one just leaves a detached subtree
    container = _choose_container(root)
    pieces: list[str] = []
    _walk(container, pieces)
    body = _strip_residual_markup(_normalise(_assemble(pieces)))
    return title, body
