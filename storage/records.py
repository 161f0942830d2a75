"""What the store hands back: plain records, no sessions or rows attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from laborwatch.domain import Development, FetchState


@dataclass
class ArticleOutcome:
    article_id: int
    is_new: bool
    duplicate_of: int | None
    # A story this source delivered before under the same link, now with another text: the
    # stored text was replaced and its figures are to be recorded (and diffed) again.
    revised: bool = False

    @property
    def needs_figures(self) -> bool:
        return self.is_new or self.revised


@dataclass
class StoredArticle:
    outcome: ArticleOutcome
    developments: list[Development]  # empty unless the article is new or revised


@dataclass
class OutboxItem:
    id: int
    target_key: str  # UNROUTED ("*") while no usable target was configured
    attempts: int
    last_error: str | None
    development: Development
    status: str = "pending"
    next_attempt_at: datetime | None = None


@dataclass
class SourceRow:
    key: str
    label: str | None
    state: FetchState


@dataclass(frozen=True)
class SourceStateUpdate:
    """A source's fetch state to commit with the articles it covers (`Store.store_articles`)."""

    key: str
    state: FetchState
    label: str | None = None


@dataclass(frozen=True)
class TargetRun:
    """How a notification target did in a run, as `Store.record_target_run` tallies it."""

    target_key: str
    failed_runs: int  # runs in a row with a failed delivery (0 after a good one)
    operators_due: bool  # the streak just reached the threshold: tell the operators once


@dataclass
class AlertRoutes:
    """Where the developments of one stored article alert: target keys per development id
    (UNROUTED to wait for a usable target) and, for waiting ones, their watches' Apprise tags."""

    targets: dict[int, list[str]]
    tags: dict[int, list[str]]
