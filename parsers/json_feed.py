"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1) to the same entries as RSS and Atom.

feedparser 6.0 reads only XML feeds. JSON Feed is plain JSON with a small, fixed vocabulary, so
the standard library's `json` is all it takes; what needs care is what feedparser would otherwise
do for us: plain text is escaped before it meets the HTML path, relative links are resolved, and
anything malformed is a clear FeedParseError rather than a crash."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from laborwatch.domain import plausible_published
from laborwatch.parsers.feed_types import FeedEntry, FeedParseError, ParsedFeed

# The spec's version is a URL; some generators write the bare number ("1.1"). Both are taken.
_VERSION = re.compile(r"(?:https?://jsonfeed\.org/version/)?1(?:\.\d+)?/?")


def looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def parse_json_feed(data: bytes, *, base_url: str | None = None) -> ParsedFeed:
    """Parse JSON Feed bytes (UTF-8, as the spec requires). Raises FeedParseError for invalid
    JSON and for JSON that is not a JSON Feed."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        message = f"not a feed: JSON that is not UTF-8 ({exc})"
        raise FeedParseError(message, code="encoding_error") from None
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"not a feed: invalid JSON ({exc})", code="invalid_json") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not _VERSION.fullmatch(version.strip()):
        raise FeedParseError(
            "not a feed: JSON without a jsonfeed.org version (not a JSON Feed)",
            code="not_a_feed",
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("not a feed: JSON Feed without an items list", code="not_a_feed")
    base = _string(document.get("feed_url")) or base_url
    entries = [
        _entry(item, position, base)
        for position, item in enumerate(item for item in items if isinstance(item, dict))
    ]
    return ParsedFeed(title=_string(document.get("title")), entries=entries, bozo_error=None)


def _entry(item: dict[str, Any], position: int, base: str | None) -> FeedEntry:
    content = _string(item.get("content_html"))
    if content is None and (text := _string(item.get("content_text"))) is not None:
        # Plain text goes down the same HTML-to-text path as everything else: escape it so that
        # "a < b" stays text and "<script>" in a plain-text field stays harmless words.
        content = "<p>" + html.escape(text).replace("\n\n", "</p><p>") + "</p>"
    summary = _string(item.get("summary"))
    link = _string(item.get("url")) or _string(item.get("external_url"))
    identifier = item.get("id")
    return FeedEntry(
        title=_string(item.get("title")),
        link=urljoin(base, link) if link and base else link,
        guid=str(identifier) if isinstance(identifier, str | int) else None,
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        author=_author(item),
        summary=html.escape(summary) if summary else None,
        content=content,
        position=position,
        updated=_date(item.get("date_modified")),
    )


def _string(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _date(value: Any) -> datetime | None:
    """RFC 3339, as JSON Feed requires; anything else counts as no date."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    aware = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return plausible_published(aware)


def _author(item: dict[str, Any]) -> str | None:
    # 1.1 has "authors" (a list); 1.0 had "author" (one object).
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [_string(a.get("name")) for a in candidates if isinstance(a, dict)]
    return ", ".join(name for name in names if name) or None
