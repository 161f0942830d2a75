"""Notification targets: Apprise URLs (plain, or tagged through an Apprise YAML/TEXT config file)
turned into `Target`s with a stable secret-free key (what the outbox stores), a readable name
from the URL's service and host ("webhook 127.0.0.1:9000") and a redacted label."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import apprise

from laborwatch.alerts.apprise_log import captured_apprise_errors
from laborwatch.redaction import looks_like_host, redact


class TargetError(ValueError):
    """A notification URL or config file that cannot be used; the message is redacted."""


@dataclass(frozen=True)
class Target:
    key: str  # "<scheme>-<8 hex of sha256(url)>": stable across runs, safe to store and log
    url: str = field(repr=False)  # carries credentials: never printed
    tags: frozenset[str] = frozenset()
    label: str = ""  # redacted URL
    name: str = ""  # what people read: "webhook 127.0.0.1:9000", "email desk@example.org"

    @property
    def shown(self) -> str:
        return self.name or self.label or self.key

    def __str__(self) -> str:
        return f"{self.shown} ({self.key})"


def target_key(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else "url"
    return f"{scheme}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


_SERVICE_WORDS = {
    "json": "webhook", "jsons": "webhook", "xml": "webhook", "xmls": "webhook",
    "form": "webhook", "forms": "webhook", "mailto": "email", "mailtos": "email",
}  # fmt: skip


def target_name(url: str) -> str:
    """A readable, secret-free name from the URL's service and host: "webhook 127.0.0.1:9000",
    "email desk@example.org", "slack #labor", "discord"."""
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    service = _SERVICE_WORDS.get(scheme, scheme)
    parts = urlsplit(f"x://{rest}")
    query = parse_qs(parts.query)
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        host, port = "", None
    if service == "email":
        to = query.get("to") or query.get("To")
        who = to[0] if to else (f"{parts.username}@{host}" if parts.username else host)
        return redact(f"email {who}".strip())
    if scheme == "slack":
        segments = rest.split("?", 1)[0].split("/")
        channels = [unquote(seg) for seg in segments if seg.startswith(("#", "@", "%23"))]
        return f"slack {channels[0]}" if channels else "slack"
    shown_host = host + (f":{port}" if port else "")
    if service == "webhook" or looks_like_host(shown_host):
        return redact(f"{service} {shown_host}".strip())
    return service


def _unique_names(targets: list[Target]) -> list[Target]:
    """Two targets of one service and host get "#2", "#3" … in their order."""
    seen: dict[str, int] = {}
    named = []
    for target in targets:
        seen[target.name] = seen.get(target.name, 0) + 1
        if seen[target.name] > 1:
            target = replace(target, name=f"{target.name} #{seen[target.name]}")
        named.append(target)
    return named


def _label(url: str) -> str:
    # The query string is configuration noise in a label (and a common place for secrets).
    return redact(url.split("?", 1)[0].rstrip("/"))


def _explain(messages: list[str]) -> str:
    return f": {'; '.join(messages)}" if messages else ""


def _from_url(url: str, position: int) -> Target:
    url = url.strip()
    if not url:
        raise TargetError(f"notification URL #{position} is empty")
    with captured_apprise_errors((url,)) as messages:
        plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise TargetError(
            f"notification URL #{position} ({redact(url)}) is not a valid Apprise URL"
            + _explain(messages)
        )
    return Target(
        key=target_key(url), url=url, tags=frozenset(), label=_label(url), name=target_name(url)
    )


def _from_config(path_text: str) -> list[Target]:
    path = Path(path_text).expanduser()
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(
            f"Apprise config {path}: cannot read it ({exc.__class__.__name__})"
        ) from None
    if not content.strip():
        raise TargetError(f"Apprise config {path}: the file is empty")
    with captured_apprise_errors() as messages:
        config = apprise.AppriseConfig()
        config.add_config(content)
        plugins = config.services()
    if messages:
        # Apprise skips entries it cannot load and goes on; a half-loaded target list would
        # silently drop alerts, so any complaint stops the load.
        raise TargetError(f"Apprise config {path}: invalid entries{_explain(messages)}")
    if not plugins:
        raise TargetError(f"Apprise config {path}: no notification URLs found")
    targets = []
    for plugin in plugins:
        url = str(plugin.url(privacy=False))  # type: ignore[no-untyped-call]
        tags = frozenset(str(tag).lower() for tag in plugin.tags)
        targets.append(
            Target(
                key=target_key(url), url=url, tags=tags, label=_label(url), name=target_name(url)
            )
        )
    return targets


def load_targets(urls: Sequence[str], apprise_config: str | None = None) -> list[Target]:
    """Targets of the plain `urls` (untagged) followed by those of `apprise_config` (tagged).

    Raises TargetError for the first URL or config problem; duplicates (same URL and tags)
    are kept once, so one destination never gets an alert twice."""
    targets = [_from_url(url, position) for position, url in enumerate(urls, start=1)]
    if apprise_config:
        targets.extend(_from_config(apprise_config))
    unique: dict[tuple[str, frozenset[str]], Target] = {}
    for target in targets:
        unique.setdefault((target.key, target.tags), target)
    return _unique_names(list(unique.values()))


def find_target(targets: Sequence[Target], wanted: str) -> Target | None:
    """The target named `wanted` (its name, case-insensitively, or its key)."""
    folded = wanted.strip().casefold()
    for target in targets:
        if folded in (target.name.casefold(), target.key.casefold()):
            return target
    return None
