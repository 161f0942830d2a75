"""Prefect events for what a run found, so Automations can act on them.

- `laborwatch.development.new` / `laborwatch.development.changed`, one per stored development,
  about the resource `laborwatch.figure.<subject-slug>.<metric>` (labels: subject, metric,
  unit, watch), with one related `watch` resource per matching watch; the payload carries the
  old and new value, the quote, the link and the article.
- `laborwatch.source.unhealthy`, when a source is paused after repeated failures or goes silent
  (on the transition, as the operators' notice), about `laborwatch.source.<slug>`.

Emitted inside the flow run, so Prefect relates each event to the flow run, flow and deployment.
Every text in a payload or label goes through the project's redaction: article links and
source locations can carry tokens, and an alert URL must never leave in an event.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from prefect.events import emit_event

from laborwatch.domain import Development
from laborwatch.pipeline.progress import ProgressEvent, SourceNotice
from laborwatch.redaction import redact

logger = logging.getLogger("laborwatch.flows.events")

DEVELOPMENT_NEW = "laborwatch.development.new"
DEVELOPMENT_CHANGED = "laborwatch.development.changed"
SOURCE_UNHEALTHY = "laborwatch.source.unhealthy"
# Prefect limits an event's size (1.5 MB by default); a quote is a sentence, kept well below.
TEXT_LIMIT = 1000
# A first run over a large backlog stores tens of thousands of developments; past this many in
# one run the rest are counted in one warning instead of flooding the server's event stream.
MAX_DEVELOPMENT_EVENTS = 2000


def slug(text: str, limit: int = 60) -> str:
    """Lowercase letters, digits and dashes: "Connecticut state employees" → connecticut-state-
    employees. Long names are cut and keep a short hash so two of them stay apart."""
    plain = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"
    if len(plain) <= limit:
        return plain
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{plain[: limit - 9].rstrip('-')}-{digest}"


def figure_resource_id(subject: str, metric: str) -> str:
    return f"laborwatch.figure.{slug(subject)}.{metric}"


def _text(value: str | None, secrets: Sequence[str]) -> str | None:
    if value is None:
        return None
    clean = redact(value, secrets)
    return clean if len(clean) <= TEXT_LIMIT else clean[: TEXT_LIMIT - 1] + "…"


def development_event(
    dev: Development, *, alerted: bool, secrets: Sequence[str] = ()
) -> dict[str, Any]:
    """The keyword arguments of `emit_event` for one development."""
    resource = {
        "prefect.resource.id": figure_resource_id(dev.subject, dev.metric),
        "prefect.resource.name": redact(f"{dev.subject} · {dev.metric}", secrets),
        "laborwatch.subject": redact(dev.subject, secrets),
        "laborwatch.metric": dev.metric,
        "laborwatch.unit": dev.unit,
        "laborwatch.watch": redact(",".join(dev.watches), secrets),
        "laborwatch.alerted": str(alerted).lower(),
    }
    related = [
        {
            "prefect.resource.id": f"laborwatch.watch.{slug(name)}",
            "prefect.resource.role": "watch",
            "prefect.resource.name": redact(name, secrets),
        }
        for name in dev.watches
    ]
    payload = {
        "kind": dev.kind,
        "subject": _text(dev.subject, secrets),
        "metric": dev.metric,
        "unit": dev.unit,
        "old_value": dev.old_value,
        "new_value": dev.new_value,
        "old_text": _text(dev.old_text, secrets),
        "new_text": _text(dev.text, secrets),
        "approx": dev.approx,
        "relative_change": dev.relative_change,
        "quote": _text(dev.sentence, secrets),
        "link": _text(dev.article_url, secrets),
        "article": _text(dev.article_title, secrets),
        "published": dev.published.isoformat() if dev.published else None,
        "source": _text(dev.source, secrets),
        "watches": [redact(name, secrets) for name in dev.watches],
        "alerted": alerted,
        "story_updated": dev.story_updated,
    }
    name = DEVELOPMENT_NEW if dev.kind == "new" else DEVELOPMENT_CHANGED
    return {"event": name, "resource": resource, "related": related, "payload": payload}


def source_event(notice: SourceNotice, *, secrets: Sequence[str] = ()) -> dict[str, Any]:
    location = redact(notice.location, secrets)
    return {
        "event": SOURCE_UNHEALTHY,
        "resource": {
            "prefect.resource.id": f"laborwatch.source.{slug(notice.label)}",
            "prefect.resource.name": redact(notice.label, secrets),
            "laborwatch.source": redact(notice.label, secrets),
            "laborwatch.reason": notice.reason,
        },
        "payload": {
            "reason": notice.reason,
            "source": redact(notice.label, secrets),
            "location": location,
            "message": _text(notice.message, secrets),
        },
    }


class EventEmitter:
    """A pass's progress callback that emits the developments and health notices as events.
    Emission is best effort: a failure is logged once and never fails the run."""

    def __init__(self, secrets: Iterable[str] = (), limit: int = MAX_DEVELOPMENT_EVENTS) -> None:
        self._secrets = tuple(s for s in secrets if s)
        self._limit = limit
        self.emitted = 0
        self.developments = 0
        self._warned = False

    def __call__(self, event: ProgressEvent) -> None:
        alerted = event.alerted or (True,) * len(event.developments)
        for dev, was_alerted in zip(event.developments, alerted, strict=True):
            self.developments += 1
            if self.developments <= self._limit:
                self._emit(development_event(dev, alerted=was_alerted, secrets=self._secrets))
        for notice in event.unhealthy:
            self._emit(source_event(notice, secrets=self._secrets))
        if event.stage == "done" and self.developments > self._limit:
            logger.warning(
                "%d development(s) emitted as events, %d more not (at most %d per run)",
                self._limit,
                self.developments - self._limit,
                self._limit,
            )

    def _emit(self, kwargs: dict[str, Any]) -> None:
        try:
            sent = emit_event(**kwargs)
        except Exception as exc:  # e.g. an event too large: skip it, keep the run going
            sent = None
            if not self._warned:
                logger.warning("could not emit %s: %s", kwargs["event"], exc)
                self._warned = True
        if sent is not None:
            self.emitted += 1
