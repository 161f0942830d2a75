"""What a parsed feed is, whatever its format (RSS, Atom, RDF, JSON Feed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class FeedParseError(ValueError):
    """The bytes are not a feed. `code` names the reason for machines, the message for people."""

    def __init__(self, message: str, *, code: str = "not_a_feed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class FeedEntry:
    title: str | None
    link: str | None
    guid: str | None
    published: datetime | None  # timezone-aware UTC
    author: str | None
    summary: str | None  # HTML (sanitised by feedparser) or plain text, as the feed gave it
    content: str | None  # full text (HTML or plain) when the feed carries it
    position: int  # order in the feed, 0 first
    updated: datetime | None = None  # when the feed says the entry last changed, if it does


@dataclass(slots=True)
class ParsedFeed:
    title: str | None  # plain text
    entries: list[FeedEntry]
    bozo_error: str | None  # why the feed is ill-formed, when feedparser had to recover
