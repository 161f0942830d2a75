"""The shared vocabulary of laborwatch: plain dataclasses passed between the core packages.

`parsers` produces `Article`, `Figure` and `ArticleAnalysis`; `storage` turns figures into
`Development`s and keeps the outbox; `alerts` renders and sends developments. Nothing here imports
Prefect, SQLAlchemy or reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

Unit = Literal["USD", "people", "percent", "count"]
UNITS: tuple[str, ...] = ("USD", "people", "percent", "count")

METRICS: tuple[str, ...] = (
    "layoffs",
    "layoff_notices",
    "rehired",
    "workforce",
    "strikers",
    "concessions",
    "savings",
    "spending_cuts",
    "deficit",
    "budget",
    "wages",
    "benefits",
    "other",
)

# Metrics that alert unless the configuration says otherwise (FIGURES.md names, issue #4 default).
DEFAULT_ALERT_METRICS: tuple[str, ...] = (
    "layoffs",
    "layoff_notices",
    "rehired",
    "concessions",
    "wages",
    "benefits",
    "workforce",
    "strikers",
    "deficit",
    "budget",
    "spending_cuts",
)

DevelopmentKind = Literal["new", "changed"]

# What a run does with a development: it alerts, or it is only recorded, for one of these reasons.
ALERTED = "alerted"
BELOW_THRESHOLD = "below threshold"
NO_WATCH_MATCHED = "no watch matched"
METRIC_NOT_ALERTED = "metric not alerted"
CORROBORATION = "corroboration"  # a value already known, reported again by another article
RECORDED_REASONS: tuple[str, ...] = (
    METRIC_NOT_ALERTED,
    BELOW_THRESHOLD,
    NO_WATCH_MATCHED,
    CORROBORATION,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number in an article, as FIGURES.md defines it."""

    text: str  # the exact span, hedge included: "more than 4,000 unionized workers"
    value: float  # whole dollars for USD, the number as written for percent
    unit: Unit
    metric: str  # one of METRICS
    approx: bool
    sentence: str  # the sentence the figure stands in
    start: int  # character offsets of `text` in the analysed text
    end: int
    subject: str  # canonical subject, e.g. "Connecticut state employees"


@dataclass(slots=True)
class Article:
    """A piece of news from any source, before analysis."""

    source: str  # the source key (feed URL or path) it came from
    title: str
    text: str  # normalised plain text that figures are extracted from
    url: str | None = None
    guid: str | None = None
    published: datetime | None = None  # timezone-aware UTC, or None when unknown
    author: str | None = None
    summary: str | None = None
    raw: str | None = None  # the text or HTML as received, before normalisation
    # The article's page exactly as fetched (bytes, undecoded) when its text came from a page:
    # `laborwatch reextract` reads it again, encoding detection included, without fetching.
    page: bytes | None = None
    position: int = 0  # order within its source, used when publish times tie or are unknown
    # `raw` and `page` packed (laborwatch.packed), set in their place once the article is
    # analysed: a run holds hundreds of articles between analysis and storage, and this is what
    # gets stored.
    raw_z: bytes | None = None
    page_z: bytes | None = None
    # The entry as its source delivered it (title, text, link, dates), hashed: a different one
    # under a link the source delivered before means the story was updated in place.
    fingerprint: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    labor_relevant: bool
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class Development:
    """A figure that is new for its (subject, metric, unit) key, or changed from what was known."""

    kind: DevelopmentKind
    subject: str
    metric: str
    unit: Unit
    new_value: float
    approx: bool
    text: str
    sentence: str
    article_title: str
    article_url: str | None
    published: datetime | None
    source: str
    old_value: float | None = None
    old_text: str | None = None
    old_approx: bool = False
    id: int | None = None
    detected_at: datetime | None = None
    also_reported_by: list[str] = field(default_factory=list)  # titles or URLs corroborating it
    # Other new values for the same key in the same article, as shown to people ("about 825"):
    # folded in at rendering so one article does not make a cascade of alerts for one key.
    also_in_article: list[str] = field(default_factory=list)
    watches: list[str] = field(default_factory=list)
    story_updated: bool = False  # found in an update of a story already stored (same link)
    # What the run did with it: ALERTED, or why it was only recorded (RECORDED_REASONS); None
    # when not decided yet, or for a development stored before outcomes were kept.
    outcome: str | None = None

    @property
    def absolute_change(self) -> float | None:
        return None if self.old_value is None else self.new_value - self.old_value

    @property
    def relative_change(self) -> float | None:
        if self.old_value in (None, 0):
            return None
        assert self.old_value is not None
        return (self.new_value - self.old_value) / abs(self.old_value)


@dataclass(frozen=True, slots=True)
class SourceError:
    """A failure recorded for a source or an article; the run goes on with the rest."""

    source: str
    message: str
    kind: str = "error"  # e.g. "fetch", "parse", "extract", "store", "notify"


@dataclass(slots=True)
class FetchState:
    """What we remember about a source between runs: validators, body hash and health."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None  # sha256 of the last body, for servers that ignore validators
    last_status: int | None = None
    last_fetched_at: datetime | None = None
    last_new_entry_at: datetime | None = None
    failure_score: float = 0.0  # weighted: hard failures count more than temporary ones
    consecutive_failures: int = 0
    paused_until: datetime | None = None
    last_error: str | None = None


@dataclass
class HistoryEntry:
    """One known value of a figure, with the article that first reported it."""

    subject: str
    metric: str
    unit: str
    value: float
    text: str
    approx: bool
    article_title: str
    article_url: str | None
    published: datetime | None
    first_seen: datetime


# Publish dates outside these bounds are a feed's or a file's mistake ("Fri, 31 Dec 9999",
# "0001-01-01"): taken as unknown, they cannot reorder a figure's history or break its chart.
EARLIEST_PUBLISHED = datetime(1900, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=2)  # time zones and clocks that run a little ahead


def plausible_published(moment: datetime | None, now: datetime | None = None) -> datetime | None:
    """`moment` (timezone-aware), or None when no news article can have been published then."""
    if moment is None:
        return None
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    return moment if EARLIEST_PUBLISHED <= moment <= latest else None
