"""URL helpers: one canonical form per article URL. (The log-safe form of a URL, `redact_url`,
lives in `laborwatch.redaction`.)"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from url_normalize import url_normalize

__all__ = ["canonical_url"]

# Query parameters that only track who clicked where; they never change what a page shows.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ncid",
        "cmpid",
        "ref_src",
        "spm",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_")


def _is_tracking(name: str) -> bool:
    lowered = unquote(name).lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The form under which the same article is recognised whatever link led to it.

    url-normalize does the RFC 3986 normalisation (scheme and host case, IDN hosts, default
    ports, dot segments, percent-encoding); on top of it the fragment and tracking parameters
    (utm_*, fbclid, gclid, ...) go; every other parameter stays, in its original order. A string
    that is not an absolute http(s) URL comes back stripped but otherwise unchanged."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return text
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return text
    try:
        normalized = url_normalize(text)
    except (ValueError, UnicodeError):  # e.g. a host that is no valid IDNA name
        return text
    if not normalized:
        return text
    scheme, netloc, path, query, _fragment = urlsplit(normalized)
    kept = [pair for pair in query.split("&") if not _is_tracking(pair.partition("=")[0])]
    return urlunsplit((scheme, netloc, path, "&".join(kept), ""))
