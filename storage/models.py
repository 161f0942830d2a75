"""SQLAlchemy 2 models: the database schema of laborwatch.

The schema itself is created and changed only by the Alembic migrations in storage/migrations;
these classes must stay in step with them (tests/storage checks that a migrated database matches).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# Deterministic constraint names so migrations (batch mode on SQLite included) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")
# The target key of an outbox row waiting for a usable target (routed when one is configured).
UNROUTED = "*"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in, timezone-aware UTC out, on every backend.

    SQLite has no timezone type, so values are stored there as naive UTC text (which also keeps
    string comparison in SQL chronological). A naive value coming in is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SourceRow(Base):
    """A feed or article location, with the fetch state remembered between runs."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    label: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_new_entry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure_score: Mapped[float] = mapped_column(Double, default=0.0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ArticleRow(Base):
    """One story, however many sources carried it. Text and raw are zlib-compressed."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # guid_key is the guid made globally unique (see storage.identity.guid_key); guid is as given.
    guid_key: Mapped[str | None] = mapped_column(Text, unique=True)
    guid: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    author: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    text_z: Mapped[bytes] = mapped_column(LargeBinary)
    raw_z: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The page the text came from, exactly as fetched (revision 0003; raw_z held it decoded before).
    page_z: Mapped[bytes | None] = mapped_column(LargeBinary)
    position: Mapped[int] = mapped_column(Integer, default=0)
    labor_relevant: Mapped[bool] = mapped_column(Boolean, default=False)
    first_source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set once, atomically, by the call that records this article's figures: makes it idempotent.
    figures_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Updated in place (revision 0003): how many times the stored text was replaced, and when.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ArticleSourceRow(Base):
    """Each (source, link) an article was seen through: five outlets, one article, five rows."""

    __tablename__ = "article_sources"
    __table_args__ = (
        UniqueConstraint("article_id", "source_id", "link"),
        # "Which of these links has this source delivered already?" (revision 0002)
        Index("ix_article_sources_source_link", "source_id", "link"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    # storage.identity.link_key: "" when the entry had no link, a digest when it is very long.
    link: Mapped[str] = mapped_column(Text, default="")
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Article.fingerprint of the entry as last delivered here (revision 0003): a new one under
    # the same link is the story updated in place. NULL for rows stored before 0003.
    entry_hash: Mapped[str | None] = mapped_column(String(64))


class FigureRow(Base):
    """A figure as extracted from one article."""

    __tablename__ = "figures"
    __table_args__ = (Index("ix_figures_key", "subject", "metric", "unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Double)
    approx: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class KnownValueRow(Base):
    """The figure history: each distinct value known for a (subject, metric, unit) key, once.

    The unique key makes recording idempotent; the (key, value) index answers "is a value within
    tolerance known?" with a range scan and (key, id) answers "what was recorded last?"."""

    __tablename__ = "known_values"
    __table_args__ = (
        UniqueConstraint("subject", "metric", "unit", "value"),
        Index("ix_known_values_key_recent", "subject", "metric", "unit", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Double)
    text: Mapped[str] = mapped_column(Text)
    approx: Mapped[bool] = mapped_column(Boolean, default=False)
    first_article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    development_id: Mapped[int] = mapped_column(
        ForeignKey("developments.id", ondelete="CASCADE"), index=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DevelopmentRow(Base):
    """A value new for its key, or changed from what was known."""

    __tablename__ = "developments"
    __table_args__ = (
        CheckConstraint("kind IN ('new', 'changed')", name="kind"),
        Index("ix_developments_key", "subject", "metric", "unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))
    new_value: Mapped[float] = mapped_column(Double)
    approx: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    old_value: Mapped[float | None] = mapped_column(Double)
    old_text: Mapped[str | None] = mapped_column(Text)
    old_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # "alerted" or why the development was only recorded; NULL before outcomes were kept.
    outcome: Mapped[str | None] = mapped_column(String(32))


class CorroborationRow(Base):
    """A later article from elsewhere reporting a value a development introduced."""

    __tablename__ = "corroborations"
    __table_args__ = (UniqueConstraint("development_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """One alert to deliver: a development for one notification target, sent exactly once."""

    __tablename__ = "alert_outbox"
    __table_args__ = (
        UniqueConstraint("development_id", "target_key"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')",
            name="status",
        ),
        Index("ix_alert_outbox_status_claimed", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    development_id: Mapped[int] = mapped_column(ForeignKey("developments.id", ondelete="CASCADE"))
    target_key: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(Text)
    # A fresh token per claim call: two runs using the same claimant name still never share rows.
    claim_token: Mapped[str | None] = mapped_column(String(36), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Revision 0004: when an exhausted ('failed') row is tried again, and for a row waiting for
    # a target (target_key UNROUTED) the Apprise tags of the watches it matched (JSON list).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    route_tags: Mapped[str | None] = mapped_column(Text)


class AlertTargetRow(Base):
    """How each notification target fared in recent runs (revision 0004): a streak of failed
    runs alerts the operators once."""

    __tablename__ = "alert_targets"

    target_key: Mapped[str] = mapped_column(Text, primary_key=True)
    failed_runs: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    operators_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# The tables themselves, for Core statements on the hot paths (no ORM bookkeeping per row).
SOURCES = cast(Table, SourceRow.__table__)
ARTICLES = cast(Table, ArticleRow.__table__)
ARTICLE_SOURCES = cast(Table, ArticleSourceRow.__table__)
FIGURES = cast(Table, FigureRow.__table__)
KNOWN_VALUES = cast(Table, KnownValueRow.__table__)
DEVELOPMENTS = cast(Table, DevelopmentRow.__table__)
CORROBORATIONS = cast(Table, CorroborationRow.__table__)
OUTBOX = cast(Table, OutboxRow.__table__)
ALERT_TARGETS = cast(Table, AlertTargetRow.__table__)


def row_counts(session: Session) -> dict[str, int]:
    """Rows of the main tables, for `Store.counts`."""
    tables = {"sources": SOURCES, "articles": ARTICLES, "figures": FIGURES}
    tables["developments"] = DEVELOPMENTS
    return {
        name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in tables.items()
    }
