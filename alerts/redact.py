"""Strip credentials out of text before it reaches a log, an error message or a report.

Apprise URLs carry their secrets in many places: `user:pass@`, tokens as path segments
(`slack://T…/B…/token`), tokens as the "host" (`pbul://accesstoken`), and query values
(`?pass=`, `?apikey=`, `+Authorization=Bearer …`). The rule here errs on the side of hiding
too much: for notification schemes the whole user part and every path segment are hidden,
for web schemes (http, json, form, xml …) the host and ordinary path stay readable so feed
errors remain useful, while passwords, secret-named query values and token-like segments go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"

# Schemes whose host part is a real network host and whose path is an endpoint, not a token.
_WEB_SCHEMES = frozenset(
    {"http", "https", "json", "jsons", "form", "forms", "xml", "xmls", "ftp", "ftps", "file"}
)
# Web hosts whose path is itself the credential.
_SECRET_PATH_HOSTS = (
    "hooks.slack.com",
    "discord.com",
    "discordapp.com",
    "outlook.office.com",
    "webhook.office.com",
    "api.telegram.org",
    "chat.googleapis.com",
)

_URL_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,15})://(?P<rest>[^\s'\"<>`]+)")
_SECRET_KEY_RE = re.compile(
    r"pass|pwd|token|key|secret|auth|access|sig|bearer|cred|session|webhook|private",
    re.IGNORECASE,
)
# A path segment that looks machine-made: long, with both letters and digits.
_TOKEN_SEGMENT_RE = re.compile(r"^(?=[^/]*\d)(?=[^/]*[A-Za-z])[A-Za-z0-9_\-.=~%]{16,}$")
# Bare tokens that show up outside URLs too.
_BARE_TOKEN_RES = (
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{8,}"),  # Slack API tokens
    re.compile(r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}"),  # payment-style API keys
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"),
)


def _hint(segment: str) -> str:
    """Two leading characters are enough to tell targets apart and not enough to guess."""
    return f"{segment[:2]}…" if len(segment) > 4 else MASK


def _redact_query(query: str) -> str:
    parts = []
    for pair in re.split(r"([&;])", query):
        if pair in ("&", ";"):
            parts.append(pair)
            continue
        key, sep, value = pair.partition("=")
        if sep and value and _SECRET_KEY_RE.search(key):
            parts.append(f"{key}={MASK}")
        else:
            parts.append(pair)
    return "".join(parts)


def _split_authority(rest: str) -> tuple[str, str, str, str]:
    """rest (after scheme://) -> (userinfo, host, path, query); the fragment goes with the query."""
    query = ""
    for mark in ("?", "#"):
        if mark in rest:
            rest, _, tail = rest.partition(mark)
            query = mark + tail + query
            break
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        userinfo, host = "", authority
    return userinfo, host, slash + path, query


_IPV4_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_DNS_NAME_RE = re.compile(r"^(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}$")


def _looks_like_host(host: str) -> bool:
    """A real host name or address, as opposed to a token sitting in the host position."""
    if host.startswith("["):  # IPv6 literal
        return True
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return False
    return name == "localhost" or bool(_IPV4_RE.match(name) or _DNS_NAME_RE.match(name))


def _redact_url(scheme: str, rest: str) -> str:
    lower = scheme.lower()
    userinfo, host, path, query = _split_authority(rest)
    if query:
        query = query[0] + _redact_query(query[1:])

    if lower in _WEB_SCHEMES:
        if userinfo:
            user, colon, _password = userinfo.partition(":")
            userinfo = f"{user}:{MASK}" if colon else userinfo
        if any(host.lower().endswith(h) for h in _SECRET_PATH_HOSTS):
            path = "/" + MASK if path.strip("/") else path
        else:
            path = "/".join(
                MASK if _TOKEN_SEGMENT_RE.match(seg) else seg for seg in path.split("/")
            )
        authority = f"{userinfo}@{host}" if userinfo else host
        return f"{scheme}://{authority}{path}{query}"

    # Notification schemes: the user part is always secret (a login, a key or a token).
    shown_host = host if _looks_like_host(host) else _hint(host)
    authority = f"{MASK}@{shown_host}" if userinfo else shown_host
    hidden_path = f"/{MASK}" if path.strip("/") else path
    return f"{scheme}://{authority}{hidden_path}{query}"


def _redact_match(match: re.Match[str]) -> str:
    rest = match.group("rest")
    # Prose punctuation right after a URL ("…/hook: failed", "see https://x.org.") is not
    # part of it, and would make a host:port look like a token.
    body = rest.rstrip(".,;:!?)]}")
    return _redact_url(match.group("scheme"), body) + rest[len(body) :]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """Return `text` with URL credentials, token-like values and every given secret masked."""
    if not text:
        return text
    # Explicit secrets first (longest first so a secret containing another is hidden whole),
    # in raw and URL-quoted spelling since tokens usually appear inside URLs.
    for secret in sorted({s for s in secrets if s and s.strip()}, key=len, reverse=True):
        for spelling in {secret, quote(secret, safe=""), quote(secret, safe="/:")}:
            text = text.replace(spelling, MASK)
    text = _URL_RE.sub(_redact_match, text)
    for pattern in _BARE_TOKEN_RES:
        text = pattern.sub(MASK, text)
    return text
