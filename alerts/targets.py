"""Notification targets: Apprise URLs (plain, or tagged through an Apprise YAML/TEXT config file)
turned into `Target`s with a stable secret-free key and a redacted label for logs and reports."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import apprise

from laborwatch.alerts.apprise_log import captured_apprise_errors
from laborwatch.redaction import redact


class TargetError(ValueError):
    """A notification URL or config file that cannot be used; the message is redacted."""


@dataclass(frozen=True)
class Target:
    key: str  # "<scheme>-<8 hex of sha256(url)>": stable across runs, safe to store and log
    url: str = field(repr=False)  # carries credentials: never printed
    tags: frozenset[str] = frozenset()
    label: str = ""  # redacted display form

    def __str__(self) -> str:
        return f"{self.key} ({self.label})"


def target_key(url: str) -> str:
    scheme = url.split("://", 1)[0].lower() if "://" in url else "url"
    return f"{scheme}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


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
    return Target(key=target_key(url), url=url, tags=frozenset(), label=_label(url))


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
        targets.append(Target(key=target_key(url), url=url, tags=tags, label=_label(url)))
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
    return list(unique.values())
