"""The one redaction of laborwatch: credentials never leave the process.

Every place that lets text out — CLI output and errors, log records (`log_redaction`), the
run's artifacts, alert errors stored in the outbox, Prefect events — passes it through
`redact(text, secrets)`; a single URL about to be shown goes through `redact_url(url)`. Both
apply the same rule to every URL they see:

- the user part (`user:password@`) is always hidden: `https://***@host/…`;
- query (and `#key=value` fragment) values are hidden unless the name is a harmless one
  (`page`, `format`, `to`, `sslmode` …): `?token=***&page=2`;
- for web and database schemes (http(s), json, form, xml, sqlite, postgresql …) host and path
  stay readable, minus path segments that look machine-made (`/hooks/a8F3k2j4H5g6d7s8`) and
  the whole path of hosts whose path is the credential (hooks.slack.com, discord.com …);
- for notification schemes (slack://, mailto://, pbul:// …) every path segment is hidden and a
  host that is not a real host name (a token in the host position) shows two characters.

Outside URLs, Slack/API-style tokens, long mixed-case base62 words, `Bearer …` and
`password=…` are hidden. Explicit
`secrets` (e.g. the configured Apprise and feed URLs) are hidden wherever they appear, raw or
URL-quoted — and so are their parts (`secrets_of`): a Slack token quoted alone in Apprise's
error text ("Token (TIiaj…) was specified") is masked although the URL never appears.

Ground floor: imports nothing of ours, so every floor may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import quote, unquote

MASK = "***"

# Schemes whose host is a real network host and whose path is an endpoint, not a token.
_WEB_SCHEMES = frozenset(
    {"http", "https", "json", "jsons", "form", "forms", "xml", "xmls", "ftp", "ftps", "file"}
    | {"ws", "wss", "sqlite", "postgresql", "postgres", "mysql", "mariadb", "oracle", "mssql"}
    | {"redis", "rediss", "amqp", "amqps"}
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
# Query names whose values say how, not who: shown. Every other value is hidden.
_HARMLESS_KEYS = frozenset(
    {"page", "per_page", "limit", "offset", "count", "format", "fmt", "output", "type", "mode"}
    | {"lang", "hl", "locale", "sort", "order", "category", "cat", "tag", "tags", "section"}
    | {"feed", "view", "id", "q", "s", "query", "search", "year", "month", "day", "edition"}
    | {"sslmode", "charset", "driver", "timeout", "connect_timeout", "application_name", "uri"}
    | {"to", "cc", "bcc", "from", "name", "overflow", "priority", "region", "channel", "topic"}
)

_URL_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,30})://(?P<rest>[^\s'\"<>`]+)")
_TOKEN_PART_RE = re.compile(r"(?=[^-_.~]*\d)(?=[^-_.~]*[A-Za-z])[A-Za-z0-9%=]+")
_IPV4_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_DNS_NAME_RE = re.compile(r"^(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\.?$")
# Tokens that show up outside URLs too.
_BARE_TOKEN_RES = (
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{8,}"),  # Slack API tokens
    re.compile(r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}"),  # payment-style API keys
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"),
    # A base62 word of 20+ with upper and lower case and digits (webhook, bot and API tokens
    # quoted alone); hex digests have no upper case, run labels and slugs have dashes.
    re.compile(r"(?<![\w-])(?=\w*[a-z])(?=\w*[A-Z])(?=\w*\d)\w{20,}(?![\w-])", re.ASCII),
)
_KEY_VALUE_RE = re.compile(
    r"(?i)\b(?P<key>password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)"
    r"(?P<sep>\s*=\s*)(?P<value>[^\s&;,'\")\]}]+)"
)
# A value quoted in an error is a secret's part when it is at least this long.
_MIN_PART = 6
_MIN_PASSWORD = 4


def looks_like_token(segment: str) -> bool:
    """Machine-made: 16+ characters, and a run of 8+ mixing letters and digits (or two such
    shorter runs). Slugs like `acme-layoffs-2024-11-05` and plain words are not tokens."""
    if len(segment) < 16:
        return False
    mixed = [part for part in re.split(r"[-_.~]", segment) if _TOKEN_PART_RE.fullmatch(part)]
    return any(len(part) >= 8 for part in mixed) or len(mixed) >= 2


def _hint(segment: str) -> str:
    """Two leading characters are enough to tell targets apart and not enough to guess."""
    return f"{segment[:2]}…" if len(segment) > 4 else MASK


def _mask_pairs(pairs: str, secret: Callable[[str, str], bool]) -> str:
    """`key=value&…` with the value masked where `secret(name, value)` says so."""
    parts = []
    for pair in re.split(r"([&;])", pairs):
        key, sep, value = pair.partition("=")
        masked = sep and value and secret(unquote(key), value)
        parts.append(f"{key}={MASK}" if masked else pair)
    return "".join(parts)


def _redact_pairs(pairs: str) -> str:
    return _mask_pairs(
        pairs,
        lambda key, value: (
            key.lstrip("+-:").lower() not in _HARMLESS_KEYS or looks_like_token(value)
        ),
    )


def _split(rest: str) -> tuple[str, str, str, str, str]:
    """rest (after scheme://) -> (userinfo, host, path, query, fragment), marks included."""
    rest, hash_mark, fragment = rest.partition("#")
    rest, question, query = rest.partition("?")
    authority, slash, path = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        userinfo, host = "", authority
    return userinfo, host, slash + path, question + query, hash_mark + fragment


def looks_like_host(host: str) -> bool:
    """A real host name or address, as opposed to a token sitting in the host position."""
    if host.startswith("["):  # IPv6 literal
        return True
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return False
    return name == "localhost" or bool(_IPV4_RE.match(name) or _DNS_NAME_RE.match(name))


def _redact_url(scheme: str, rest: str) -> str:
    userinfo, host, path, query, fragment = _split(rest)
    query = query[:1] + _redact_pairs(query[1:])
    if "=" in fragment:
        fragment = fragment[:1] + _redact_pairs(fragment[1:])
    authority_user = f"{MASK}@" if userinfo else ""
    base = scheme.lower().split("+", 1)[0]
    if base in _WEB_SCHEMES:
        if any(host.lower().endswith(h) for h in _SECRET_PATH_HOSTS):
            path = "/" + MASK if path.strip("/") else path
        else:
            path = "/".join(MASK if looks_like_token(seg) else seg for seg in path.split("/"))
        return f"{scheme}://{authority_user}{host}{path}{query}{fragment}"
    # Notification schemes: the user part and the path are secret (a login, a key, a token).
    shown_host = host if looks_like_host(host) else _hint(host)
    hidden_path = f"/{MASK}" if path.strip("/") else path
    return f"{scheme}://{authority_user}{shown_host}{hidden_path}{query}{fragment}"


def _redact_match(match: re.Match[str]) -> str:
    rest = match.group("rest")
    # Prose punctuation right after a URL ("…/hook: failed", "see https://x.org.") is not
    # part of it, and would make a host:port look like a token.
    body = rest.rstrip(".,;:!?)]}")
    return _redact_url(match.group("scheme"), body) + rest[len(body) :]


def secrets_of(value: str) -> set[str]:
    """The value itself and, for a URL, its credentials (`credentials_of`)."""
    found = {value} if value and value.strip() else set()
    return found | credentials_of(value)


def credentials_of(url: str) -> set[str]:
    """The parts of a URL that are credentials: user and password, a token in the host
    position, a notification URL's path segments, machine-made web path segments and hidden
    query values. Short parts are left out (they would mask ordinary words). For URLs that are
    shown (a feed, the database) give these, not the URL, as secrets."""
    match = _URL_RE.search(url or "")
    if not match:
        return set()
    web = match.group("scheme").lower().split("+", 1)[0] in _WEB_SCHEMES
    userinfo, host, path, query, fragment = _split(match.group("rest"))
    user, _, password = userinfo.partition(":")
    candidates = [user] if not web else []
    found = {unquote(password)} if len(password) >= _MIN_PASSWORD else set()
    if not web and not looks_like_host(host):
        candidates.append(host)
    segments = [unquote(s) for s in path.split("/") if s]
    candidates += segments if not web else [s for s in segments if looks_like_token(s)]
    for pair in re.split(r"[&;]", f"{query[1:]}&{fragment[1:]}"):
        key, sep, item = pair.partition("=")
        if sep and unquote(key).lstrip("+-:").lower() not in _HARMLESS_KEYS:
            candidates.append(unquote(item))
    found.update(c for c in candidates if len(c) >= _MIN_PART)
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with URL credentials, token-like values and every given secret (and its parts,
    see `secrets_of`) masked."""
    if not text:
        return text
    # A secret URL becomes its redacted form (the reader still sees which target), its parts
    # and every other secret become the mask. Longest first, so a secret containing another is
    # hidden whole; raw and URL-quoted spellings, since tokens usually appear inside URLs.
    replacements: dict[str, str] = {}
    for secret in secrets:
        for part in secrets_of(secret):
            replacements[part] = _redact_whole(part) if part == secret else MASK
    for secret in sorted(replacements, key=len, reverse=True):
        for spelling in {secret, quote(secret, safe=""), quote(secret, safe="/:")}:
            text = text.replace(spelling, replacements[secret])
    text = _URL_RE.sub(_redact_match, text)
    for pattern in _BARE_TOKEN_RES:
        text = pattern.sub(MASK, text)
    return _KEY_VALUE_RE.sub(lambda m: f"{m.group('key')}{m.group('sep')}{MASK}", text)


def _redact_whole(secret: str) -> str:
    match = _URL_RE.fullmatch(secret.strip())
    return _redact_match(match) if match else MASK


def redact_url(url: str) -> str:
    """One URL (a feed, a database, a target) made fit to show: the rule of `redact`. Not an
    absolute URL (a path): shown without its query and fragment."""
    text = url.strip()
    if "://" not in text:
        return text.split("?", 1)[0].split("#", 1)[0]
    return redact(text)


# Query names whose values are credentials in an article link: a subscriber token, a signed
# URL's signature, a session. Other values (`?p=1234`, `?id=…`) are what makes the link work.
_SECRET_LINK_KEY = re.compile(
    r"(?i)^(?:.*[_-])?(?:token|tok|key|apikey|secret|password|passwd|pwd|pass|auth|authorization"
    r"|sig|signature|session|sessionid|sid|jwt|credential|credentials|code)$"
)


def public_link(url: str | None) -> str | None:
    """An article link fit to show and send: without a user part, and with the values of
    credential-named query parameters masked (`?token=***&page=2`); everything else kept, so
    the link still opens the story."""
    if not url or "://" not in url or ("@" not in url and "=" not in url):
        return url
    scheme, _, rest = url.partition("://")
    _user, host, path, query, fragment = _split(rest)  # the user part is dropped
    if query:
        query = "?" + _mask_pairs(query[1:], lambda key, _value: bool(_SECRET_LINK_KEY.match(key)))
    return f"{scheme}://{host}{path}{query}{fragment}"
