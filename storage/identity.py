"""What makes two articles the same story: guid, canonical URL, or the hash of the text."""

from __future__ import annotations

import hashlib
import importlib
import unicodedata
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from laborwatch.domain import Article

# Query parameters that only track the reader; they never select different content.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def guid_key(source: str, guid: str | None) -> str | None:
    """A guid that is safe to compare across sources.

    URL-, URN- and tag-style guids are global by construction; bare ones ("12345") are only
    unique within their feed, so they are scoped by the source to avoid merging two unrelated
    stories that happen to share a number."""
    if guid is None or not guid.strip():
        return None
    value = guid.strip()
    if "://" in value or value.lower().startswith(("urn:", "tag:")):
        return value
    return f"{source}#{value}"


def _fallback_canonical_url(url: str) -> str | None:
    """Lower-case scheme and host, no default port, fragment or tracking parameters, sorted
    query, no trailing slash on the path."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url.strip() or None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING_PARAMS
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _canonicaliser() -> Callable[[str], str | None]:
    # parsers owns URL canonicalisation; use it when present so both agree on what a URL is.
    try:
        module = importlib.import_module("parsers.urls")
    except ImportError:
        return _fallback_canonical_url
    function = getattr(module, "canonical_url", None)
    return function if callable(function) else _fallback_canonical_url


def canonical_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    try:
        return _canonicaliser()(url)
    except ValueError:
        return _fallback_canonical_url(url)


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
