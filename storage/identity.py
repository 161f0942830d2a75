"""What makes two articles the same story: guid, canonical URL, or the hash of the text."""

from __future__ import annotations

import hashlib
import unicodedata

from laborwatch.domain import Article
from laborwatch.parsers.urls import canonical_url

# PostgreSQL cannot index a btree entry much over 2.7 kB; tracking-laden URLs can be longer.
MAX_KEY_BYTES = 1024


def index_safe(value: str) -> str:
    """`value` itself when short enough for a unique index, else a stable digest standing for it."""
    encoded = value.encode("utf-8")
    if len(encoded) <= MAX_KEY_BYTES:
        return value
    return "sha256:" + hashlib.sha256(encoded).hexdigest()


def link_key(url: str | None) -> str:
    """How the link an article was seen through is kept ("" when the entry had none)."""
    return index_safe((url or "").strip())


def guid_key(source: str, guid: str | None) -> str | None:
    """A guid that is safe to compare across sources.

    URL-, URN- and tag-style guids are global by construction; bare ones ("12345") are only
    unique within their feed, so they are scoped by the source to avoid merging two unrelated
    stories that happen to share a number."""
    if guid is None or not guid.strip():
        return None
    value = guid.strip()
    if "://" in value or value.lower().startswith(("urn:", "tag:")):
        return index_safe(value)
    return index_safe(f"{source}#{value}")


def article_canonical_url(url: str | None) -> str | None:
    """parsers owns what "the same URL" means; storage only skips absent links."""
    if url is None or not url.strip():
        return None
    return index_safe(canonical_url(url))


def content_hash(article: Article) -> str:
    """sha256 of the normalised text: the same wire story carried by five outlets hashes alike.

    An article without text is identified by its title and link instead, so that two different
    empty entries are not taken for one."""
    text = " ".join(unicodedata.normalize("NFKC", article.text or "").casefold().split())
    if not text:
        text = "\x00".join(
            ["no-text", (article.title or "").strip(), (article.url or article.guid or "").strip()]
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
