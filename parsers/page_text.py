"""The article in a page: find the element that holds the story, then clean it.

1. Scripts, styles and the like go; page furniture (html_boilerplate) is set aside, so its
   paragraphs do not count when looking for the story.
2. Every paragraph scores the length of its text for its parent and, less, for the elements
   above (readability's idea); text between <br>s counts like a paragraph, link text does not.
   Of the best-scoring elements, the one with the least link text wins; a schema.org
   articleBody element is taken instead when its text is at least half that score. A story
   split into several blocks of one class (between pictures or ads) is read whole.
3. Inside the chosen element(s), furniture, headlines, figures and captions, date lines, link
   lists and widget labels ("Advertisement", "Share") are removed before the text is walked out.
"""

from __future__ import annotations

from lxml.etree import _Element as Element

from laborwatch.parsers.html_boilerplate import is_furniture
from laborwatch.parsers.html_cleanup import clean_container
from laborwatch.parsers.html_tree import (
    BLOCK_MARK,
    DROP_ALWAYS,
    assemble,
    normalise,
    remove_element,
    strip_residual_markup,
    tag_name,
    text_of,
    walk,
)

_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td"})
_TEXT_HOLDERS = frozenset({"div", "section", "article", "main", "td", "span", "font", "center"})
_MIN_PARAGRAPH = 25
_SCHEMA_SHARE = 0.5  # a schema.org articleBody's text length against the best score
_TOP = 8  # candidates weighed for their links
_MIN_PART = 100  # score of a split-off block of the story

Scores = dict[Element, float]


def _own_text_length(element: Element) -> int:
    """Length of the text directly in `element`: its text and its children's tails (text split
    by <br>s or inline tags, not wrapped in <p>)."""
    length = len((element.text or "").strip())
    for child in element:
        if child.tail:
            length += len(child.tail.strip())
        if tag_name(child) in {"b", "strong", "em", "i", "span", "font", "u"}:
            length += len("".join(child.itertext()).strip())
    return length


def _excluded(root: Element) -> set[Element]:
    """Furniture elements and everything inside them: their paragraphs must not count. Those
    that wrap a named article element are spared (ASP.NET pages wrap all in a <form>)."""
    wrappers: set[Element] = set()
    for element in root.iter("article", "main", "div", "section"):
        if _is_named(element) and not is_furniture(element, element.tag):
            wrappers.update(element.iterancestors())
    excluded: set[Element] = set()
    for element in root.iter():
        if element in excluded:
            continue
        name = tag_name(element)
        if name is None or name in {"html", "body", "form"} or element in wrappers:
            continue
        if is_furniture(element, name):
            excluded.update(element.iter())
    return excluded


def _scores(root: Element, excluded: set[Element]) -> Scores:
    """Readability-style scores: each paragraph's text length, shared with its ancestors."""
    scores: Scores = {}
    for element in root.iter():
        name = tag_name(element)
        if name in _PARAGRAPH_TAGS:
            length = len(" ".join("".join(element.itertext()).split()))
        elif name in _TEXT_HOLDERS:
            length = _own_text_length(element)
        else:
            continue
        if length < _MIN_PARAGRAPH or element in excluded:
            continue
        weight = float(length)
        for level, ancestor in enumerate(element.iterancestors()):
            if level > 4:
                break
            divider = 1 if level == 0 else (2 if level == 1 else level * 3)
            scores[ancestor] = scores.get(ancestor, 0.0) + weight / divider
    return scores


def _link_density(element: Element) -> float:
    text = len("".join(element.itertext()).strip())
    if not text:
        return 1.0
    links = sum(len("".join(a.itertext()).strip()) for a in element.iter("a"))
    return links / text


def _is_named(element: Element) -> bool:
    return element.tag in ("article", "main") or element.get("itemprop") == "articleBody"


def _schema_body(root: Element, excluded: set[Element], best: float) -> Element | None:
    """The longest schema.org articleBody element, when its text is a fair share of the best
    score (a publisher's own mark of the story beats a list of teasers that scores higher)."""
    found = [
        (len(text_of(e)), e)
        for e in root.iter()
        if e.get("itemprop") == "articleBody" and e not in excluded
    ]
    if not found:
        return None
    length, element = max(found, key=lambda pair: pair[0])
    return element if length >= best * _SCHEMA_SHARE else None


def _nearest_article(element: Element) -> Element | None:
    return next(element.iterancestors("article"), None)


def _parts(body: Element, best: Element, excluded: set[Element], scores: Scores) -> list[Element]:
    """`best` and the blocks of the same story split off it: elements with the same tag and
    class elsewhere in the same <article> (or page), holding paragraph text, in page order."""
    css = best.get("class")
    if not css:
        return [best]
    article = _nearest_article(best)
    parts: list[Element] = []
    for element in body.iter(best.tag):
        if element is not best and (
            element.get("class") != css
            or element in excluded
            or scores.get(element, 0.0) < _MIN_PART
            or _nearest_article(element) is not article
            or any(a is best or a in parts for a in element.iterancestors())
            or any(a is element for a in best.iterancestors())
        ):
            continue
        parts.append(element)
    return parts


def _choose(root: Element, excluded: set[Element]) -> list[Element]:
    """The element(s) holding the article, in page order."""
    body = root.find("body")
    if body is None:
        body = root
    scores = _scores(body, excluded)
    if not scores:
        return [body]
    top = sorted(scores.items(), key=lambda item: item[1])[-_TOP:]
    best, best_score = max(top, key=lambda item: item[1] * (1 - _link_density(item[0])))
    schema = _schema_body(body, excluded, best_score)
    if schema is not None:
        return [schema]
    return _parts(body, best, excluded, scores)


def article_body(root: Element, title: str) -> str:
    """The article text of a parsed page (the tree is modified)."""
    for element in list(root.iter(*DROP_ALWAYS)):
        remove_element(element)
    excluded = _excluded(root)
    pieces: list[str] = []
    for container in _choose(root, excluded):
        clean_container(container, title)
        walk(container, pieces)
        pieces.append(BLOCK_MARK)
    return strip_residual_markup(normalise(assemble(pieces)))
