"""Which elements of a page are furniture around an article rather than the article itself.

Class and id names are split into words ("PageBuilder-pageRow" is page, builder, page, row), so
a name is judged by its words, not by the letters it happens to contain: "pageRow" is not a
"pager", "commentary" is not a "comment". Some words mark furniture whatever else the name says
(a `comment-body` is a reader's comment, not the story's body); weaker ones are forgiven when the
name also says it holds the content ("article-header-wrapper" vs "site-header")."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.etree import _Element as Element


def _words(text: str) -> list[str]:
    """A word list written as text."""
    return text.split()


# Tags that hold page furniture, never the article.
FURNITURE_TAGS = frozenset(
    {"nav", "footer", "aside", "menu", "dialog", "form", "figcaption", "header"}
)
# Reader comments, sharing, promotion, related links, captions and credits: whatever else the
# name says.
_STRONG_WORDS = frozenset(
    _words("""
    ad ads adv advert adverts advertisement advertising adslot adunit dfp gpt
    breadcrumb breadcrumbs byline bylines caption captions credit credits
    share shares sharing sharebar sharetools social socials
    related recommended recommendations recirc recirculation trending popular mostread
    newsletter newsletters subscribe subscription signup paywall
    promo promos promotion promoted sponsor sponsored sponsors partner outbrain taboola
    sidebar pagination pager cookie cookies gdpr consent
    tags tagcloud topics taglist author authors bio timestamp
    """)
)
# Prefixes of glued-together names ("sharethis", "relatedposts", "commentlist").
_STRONG_PREFIXES = (
    "advert",
    "adsby",
    "breadcrumb",
    "newsletter",
    "outbrain",
    "promo",
    "recommend",
    "related",
    "share",
    "sidebar",
    "social",
    "sponsor",
    "subscri",
    "taboola",
)
_NOT_FURNITURE = frozenset({"commentary", "commentator", "shareholder", "shareholders"})
# Site furniture unless the name also says content ("article-header" keeps its dateline).
_WEAK_WORDS = frozenset(
    _words("""
    banner combx community extra footer header masthead menu menus modal nav navbar navigation
    navlinks popup remark rss shoutbox skyscraper supplemental toolbar agegate
    overlay skip jump print offscreen rail
    """)
)
_EMBED_WORDS = frozenset({"embed", "embedded"})
_CONTENT_WORDS = frozenset({"article", "body", "content", "main", "story", "entry", "post", "text"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_HIDDEN_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu"}
)


def name_words(element: Element) -> list[str]:
    """The words of an element's class and id, lower case."""
    attrs = element.attrib
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return [word.lower() for word in _WORD.findall(names)]


# Readers' comments: never the story, whatever else the name says.
_COMMENT_WORDS = frozenset({"comment", "comments", "disqus", "respond", "replies", "reply"})
_COMMENT_PREFIXES = ("comment", "disqus")


def _is_comment(word: str) -> bool:
    return word not in _NOT_FURNITURE and (
        word in _COMMENT_WORDS or word.startswith(_COMMENT_PREFIXES)
    )


def _is_strong(word: str) -> bool:
    if word in _NOT_FURNITURE:
        return False
    return word in _STRONG_WORDS or word.startswith(_STRONG_PREFIXES)


def furniture_words(words: list[str], strict: bool) -> bool:
    """True when class/id words name page furniture. Comments always; other furniture words
    are forgiven when the name also says content ("content-with-sidebar", "article-body
    pagination-first"), unless `strict` (inside an article: "article-share" goes)."""
    if any(_is_comment(word) for word in words):
        return True
    if any(word in _EMBED_WORDS for word in words):
        return False  # a post the story quotes ("social-media-embed")
    if strict and any(_is_strong(word) for word in words):
        return True
    if any(word in _CONTENT_WORDS for word in words):
        return False
    return any(_is_strong(word) or word in _WEAK_WORDS for word in words)


def is_hidden(element: Element) -> bool:
    attrs = element.attrib
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    style = str(attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def is_furniture(element: Element, name: str, strict: bool = False) -> bool:
    """Page furniture by tag, role, visibility or class/id words (see furniture_words)."""
    if name in FURNITURE_TAGS:
        return True
    attrs = element.attrib
    if not attrs:
        return False
    role = str(attrs.get("role") or "").lower()
    if role in _HIDDEN_ROLES or is_hidden(element):
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if name == "blockquote":  # a quoted post ("twitter-tweet") unless it is a reader's comment
        return _names_are_comments(names)
    return _names_are_furniture(names, strict)


def is_comment_section(element: Element) -> bool:
    """Readers' comments by class/id words ("comments-area", "comment-body", "disqus_thread")."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return _names_are_comments(names)


@lru_cache(maxsize=4096)
def _names_are_comments(names: str) -> bool:
    return any(_is_comment(word.lower()) for word in _WORD.findall(names))


@lru_cache(maxsize=4096)
def _names_are_furniture(names: str, strict: bool) -> bool:
    return furniture_words([word.lower() for word in _WORD.findall(names)], strict)
