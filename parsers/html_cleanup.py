"""Cleaning the element that holds an article: what inside it is still not the story.

Furniture (html_boilerplate), the headline, figures with their captions, date and author lines,
lists of links and one-word widget labels ("Advertisement", "Close") are removed; the text after
a removed element stays."""

from __future__ import annotations

import re

from lxml.etree import _Element as Element

from laborwatch.parsers.html_boilerplate import is_comment_section, is_furniture, name_words
from laborwatch.parsers.html_tree import remove_element, tag_name


def _words(text: str) -> list[str]:
    """A word list written as text."""
    return text.split()


_LIST_TAGS = frozenset({"ul", "ol", "dl", "table", "div", "section"})
_DATE_WORDS = frozenset({"date", "time", "published", "updated", "timestamp", "posted", "meta"})
_LABELS = frozenset(
    _words("""
    advertisement advertisements advert ad ads sponsored close caption captions share
    read more continue reading see more show more load more loading more comments
    back to gallery skip navigation skip to content print email tweet facebook twitter
    linkedin pinterest reddit whatsapp flipboard copy link image photo video iklan
    anzeige publicidad publicité werbung
    """)
)
_LABEL_PHRASES = frozenset(
    {
        "read more",
        "continue reading",
        "see more",
        "show more",
        "load more",
        "back to gallery",
        "skip navigation",
        "skip to content",
        "copy link",
        "you may also like",
        "more from",
        "more stories",
        "related",
        "related articles",
        "related stories",
        "related posts",
        "related content",
        "don t miss",
        "about the author",
        "share this",
        "share this story",
        "share this article",
        "subscribe",
        "sign up",
        "tags",
        "topics",
        "see also",
        "most popular",
        "most read",
        "image",
        "photo",
    }
)
_NON_WORD = re.compile(r"[\W_]+")
_WRAPPER_SHARE = 0.4


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_share(element: Element, text_length: int) -> float:
    if not text_length:
        return 0.0
    links = sum(len(" ".join("".join(a.itertext()).split())) for a in element.iter("a"))
    return links / text_length


def _is_label(text: str) -> bool:
    """A widget label: "Advertisement", "Share", "Read more" and the like, or a bare number."""
    plain = _NON_WORD.sub(" ", text.lower()).strip()
    if not plain:
        return bool(text)  # only punctuation: "___", "|", "•"
    if plain.isdigit() and len(plain) <= 3:
        return True
    if plain in _LABEL_PHRASES:
        return True
    words = plain.split()
    return len(words) <= 3 and all(word in _LABELS for word in words)


def _doomed(element: Element, name: str, title: str, total: int) -> bool:
    if name in {"figure", "time", "h1"}:
        return True
    if is_furniture(element, name, strict=True):
        # A wrapper holding most of the article is not furniture, whatever its name or tag
        # says; readers' comments are never the story.
        return is_comment_section(element) or len(_text(element)) < total * _WRAPPER_SHARE
    if name in {"h2", "h3"} and title and _text(element) == title:
        return True
    words = name_words(element)
    if words and any(w in _DATE_WORDS for w in words) and len(_text(element)) < 80:
        return True
    if name in _LIST_TAGS or name == "p":
        text = _text(element)
        share = _link_share(element, len(text))
        if name in {"ul", "ol", "dl"} and share > 0.5:
            return True
        if share > 0.8 and len(text) < 300:
            return True
        if name != "p" and _is_label(text):
            return True
    elif name in {"span", "a", "strong", "b", "small", "em", "i"} and _is_label(_text(element)):
        return True
    return False


def clean_container(container: Element, title: str) -> None:
    """Remove what is not the story from inside `container` (in place)."""
    doomed: list[Element] = []
    skip: set[Element] = set()
    total = len(_text(container))
    for element in container.iterdescendants():
        name = tag_name(element)
        if name is None:
            continue
        parent = element.getparent()
        if parent in skip:
            skip.add(element)
            continue
        if _doomed(element, name, title, total):
            doomed.append(element)
            skip.add(element)
    for element in doomed:
        remove_element(element)
    for paragraph in list(container.iter("p", "div", "span", "li")):
        if _is_label(_text(paragraph)) and paragraph is not container:
            remove_element(paragraph)
