"""Feed bytes to entries, with feedparser doing the format work.

feedparser only ever sees bytes in a BytesIO: given a str it treats the string as a URL or a file
name and opens it. Before parsing, the DOCTYPE internal subset is cut out of the prolog, because
feedparser keeps plain-text <!ENTITY> declarations and a 110 KB "quadratic blow-up" feed otherwise
takes tens of seconds and gigabytes of memory."""

from __future__ import annotations

import calendar
import io
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from laborwatch.domain import plausible_published
from laborwatch.parsers.feed_types import FeedEntry, FeedParseError, ParsedFeed
from laborwatch.parsers.html_text import html_to_text
from laborwatch.parsers.json_feed import looks_like_json, parse_json_feed

__all__ = ["FeedEntry", "FeedParseError", "ParsedFeed", "parse_feed", "strip_doctype_subset"]


# --- DOCTYPE internal subset stripping -------------------------------------------------------

_MAX_PROLOG_UNITS = 1_000_000  # the subset of a real feed is tiny; past this we stop looking


def _unit_layout(data: bytes) -> tuple[int, str, int]:
    """(code unit width, byte order, BOM length) so ASCII markup can be found in any of the
    encodings an XML prolog may use: UTF-8 and single-byte sets, UTF-16 and UTF-32."""
    boms = (
        (b"\x00\x00\xfe\xff", 4, "big"),
        (b"\xff\xfe\x00\x00", 4, "little"),
        (b"\xfe\xff", 2, "big"),
        (b"\xff\xfe", 2, "little"),
    )
    for bom, width, order in boms:
        if data.startswith(bom):
            return width, order, len(bom)
    if data.startswith(b"\xef\xbb\xbf"):
        return 1, "big", 3
    head = data[:4]
    if head == b"\x00\x00\x00<":
        return 4, "big", 0
    if head == b"<\x00\x00\x00":
        return 4, "little", 0
    if head[:2] == b"\x00<" or head[:4] == b"\x00 \x00<":
        return 2, "big", 0
    if head[:2] == b"<\x00" or head[:4] == b" \x00<\x00":
        return 2, "little", 0
    return 1, "big", 0


class _Units:
    """Reads a byte string as a sequence of code units (characters for ASCII)."""

    def __init__(self, data: bytes, width: int, order: str, start: int) -> None:
        self.data, self.width, self.order = data, width, order
        self.start = start
        self.count = (len(data) - start) // width

    def char(self, index: int) -> str:
        offset = self.start + index * self.width
        value = int.from_bytes(self.data[offset : offset + self.width], self.order)  # type: ignore[arg-type]
        return chr(value) if value < 128 else "\uffff"

    def startswith(self, index: int, text: str, *, fold: bool = False) -> bool:
        if index + len(text) > self.count:
            return False
        got = "".join(self.char(index + i) for i in range(len(text)))
        return got.upper() == text.upper() if fold else got == text

    def find(self, index: int, text: str) -> int:
        for i in range(index, min(self.count, _MAX_PROLOG_UNITS)):
            if self.startswith(i, text):
                return i
        return -1

    def offset(self, index: int) -> int:
        return self.start + index * self.width


def _end_of_subset(units: _Units, index: int) -> int:
    """Index just past the ']' closing an internal subset opened before `index`, or -1."""
    i = index
    limit = min(units.count, _MAX_PROLOG_UNITS)
    while i < limit:
        c = units.char(i)
        if c in "\"'":
            close = units.find(i + 1, c)
            if close < 0:
                return -1
            i = close + 1
        elif units.startswith(i, "<!--"):
            close = units.find(i + 4, "-->")
            if close < 0:
                return -1
            i = close + 3
        elif c == "]":
            return i + 1
        else:
            i += 1
    return -1


def strip_doctype_subset(data: bytes) -> bytes:
    """The document with the internal subset of its DOCTYPE (the `[...]` holding ENTITY
    declarations) removed. The DOCTYPE itself stays, so feedparser still recognises Netscape
    RSS 0.91. Only the prolog is examined; an unterminated subset cuts the rest of the document."""
    width, order, bom = _unit_layout(data)
    units = _Units(data, width, order, bom)
    i = 0
    limit = min(units.count, _MAX_PROLOG_UNITS)
    while i < limit:
        c = units.char(i)
        if c in " \t\r\n":
            i += 1
        elif units.startswith(i, "<?"):
            close = units.find(i + 2, "?>")
            if close < 0:
                return data
            i = close + 2
        elif units.startswith(i, "<!--"):
            close = units.find(i + 4, "-->")
            if close < 0:
                return data
            i = close + 3
        elif units.startswith(i, "<!DOCTYPE", fold=True):
            j = i + 9
            while j < limit:
                c = units.char(j)
                if c in "\"'":
                    close = units.find(j + 1, c)
                    if close < 0:
                        return data
                    j = close + 1
                elif c == "[":
                    end = _end_of_subset(units, j + 1)
                    if end < 0:
                        return data[: units.offset(j)] + _encode_ascii(">", width, order)
                    return data[: units.offset(j)] + data[units.offset(end) :]
                elif c == ">":
                    return data  # a DOCTYPE without an internal subset
                else:
                    j += 1
            return data
        else:
            return data  # the root element (or junk): the prolog is over
    return data


def _encode_ascii(text: str, width: int, order: str) -> bytes:
    return b"".join(ord(c).to_bytes(width, order) for c in text)  # type: ignore[arg-type]


# --- entries ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return None


def _aware_utc(parsed: Any) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return plausible_published(datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC))
    except (OverflowError, ValueError, OSError):
        return None


def _content(entry: Any) -> str | None:
    """The fullest body the entry carries: HTML content before plain text, longest first."""
    contents = entry.get("content") or []
    best: tuple[int, int, str] | None = None
    for item in contents:
        value = _text(item.get("value")) if isinstance(item, dict) else None
        if value is None:
            continue
        is_html = "html" in str(item.get("type") or "")
        key = (1 if is_html else 0, len(value), value)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def _author(entry: Any) -> str | None:
    name = _text(entry.get("author"))
    if name:
        return name
    detail = entry.get("author_detail") or {}
    return _text(detail.get("name")) if isinstance(detail, dict) else None


def _entry(entry: Any, position: int) -> FeedEntry:
    published = _aware_utc(entry.get("published_parsed")) or _aware_utc(entry.get("updated_parsed"))
    return FeedEntry(
        title=_text(entry.get("title")),
        link=_text(entry.get("link")),
        guid=_text(entry.get("id")),
        published=published,
        author=_author(entry),
        summary=_text(entry.get("summary")),
        content=_content(entry),
        position=position,
        updated=_aware_utc(entry.get("updated_parsed")),
    )


def _describe(exc: BaseException | None) -> str | None:
    if exc is None:
        return None
    message = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {message}"[:500]


def parse_feed(
    data: bytes, *, content_type: str | None = None, base_url: str | None = None
) -> ParsedFeed:
    """Parse RSS, Atom, RDF or JSON Feed bytes. Raises FeedParseError when the bytes are not a
    feed at all (empty, HTML page, other JSON, binary); an ill-formed feed that feedparser could
    recover is returned with `bozo_error` saying what was wrong. `content_type` is the HTTP
    Content-Type (its charset counts); `base_url` is where the feed came from, for relative
    links."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_feed takes bytes; a str would make feedparser open it as a URL")
    raw = bytes(data)
    if not raw.strip():
        raise FeedParseError("empty document: no feed in it", code="empty")
    if looks_like_json(raw):
        return parse_json_feed(raw, base_url=base_url)
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    if base_url:
        headers["content-location"] = base_url
        # With any header present feedparser wants a Content-Type; XML lets the prolog decide.
        headers.setdefault("content-type", "application/xml")
    try:
        result = feedparser.parse(
            io.BytesIO(strip_doctype_subset(raw)),
            response_headers=headers or None,
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # feedparser is meant to never raise; if it does, say so clearly
        raise FeedParseError(
            f"feed parser failed: {_describe(exc)}", code="parser_failure"
        ) from exc
    bozo = _describe(result.get("bozo_exception")) if result.get("bozo") else None
    entries = [_entry(entry, position) for position, entry in enumerate(result.get("entries", []))]
    feed_meta = result.get("feed") or {}
    if not result.get("version") and not entries:
        reason = bozo or "no RSS, Atom or RDF root element"
        code = "not_xml_or_feed"
        if bozo and "encoding" in bozo.lower():
            code = "encoding_error"
        raise FeedParseError(f"not a feed: {reason}", code=code)
    title = _text(feed_meta.get("title"))
    plain_title = " ".join(html_to_text(title).split()) if title else None
    return ParsedFeed(title=plain_title or None, entries=entries, bozo_error=bozo)
