"""Initial schema: sources, articles (+ their sources), figures, figure history (known_values),
developments, corroborations and the alert outbox.

Written against plain SQLAlchemy types (not storage.models) so that later model changes never
rewrite history. Datetimes are timezone-aware; storage.models.UTCDateTime keeps them UTC.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 01:46:31.718669
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_fetched_at", UTC_DATETIME, nullable=True),
        sa.Column("last_new_entry_at", UTC_DATETIME, nullable=True),
        sa.Column("failure_score", sa.Double(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("paused_until", UTC_DATETIME, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_sources_key")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid_key", sa.Text(), nullable=True),
        sa.Column("guid", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", UTC_DATETIME, nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("text_z", sa.LargeBinary(), nullable=False),
        sa.Column("raw_z", sa.LargeBinary(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("labor_relevant", sa.Boolean(), nullable=False),
        sa.Column("first_source_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", UTC_DATETIME, nullable=False),
        sa.Column("figures_recorded_at", UTC_DATETIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["first_source_id"], ["sources.id"], name=op.f("fk_articles_first_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("canonical_url", name=op.f("uq_articles_canonical_url")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
        sa.UniqueConstraint("guid_key", name=op.f("uq_articles_guid_key")),
    )
    op.create_index(
        op.f("ix_articles_first_source_id"), "articles", ["first_source_id"], unique=False
    )

    op.create_table(
        "article_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("seen_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_sources_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_article_sources_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_sources")),
        sa.UniqueConstraint(
            "article_id",
            "source_id",
            "link",
            name=op.f("uq_article_sources_article_id_source_id_link"),
        ),
    )
    op.create_index(
        op.f("ix_article_sources_source_id"), "article_sources", ["source_id"], unique=False
    )

    op.create_table(
        "developments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("new_value", sa.Double(), nullable=False),
        sa.Column("approx", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("old_value", sa.Double(), nullable=True),
        sa.Column("old_text", sa.Text(), nullable=True),
        sa.Column("old_approx", sa.Boolean(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("detected_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("kind IN ('new', 'changed')", name=op.f("ck_developments_kind")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_developments_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_developments_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_developments")),
    )
    op.create_index(
        op.f("ix_developments_article_id"), "developments", ["article_id"], unique=False
    )
    op.create_index(
        op.f("ix_developments_detected_at"), "developments", ["detected_at"], unique=False
    )
    op.create_index(
        "ix_developments_key", "developments", ["subject", "metric", "unit"], unique=False
    )
    op.create_index(op.f("ix_developments_source_id"), "developments", ["source_id"], unique=False)

    op.create_table(
        "figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("approx", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_figures_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figures")),
    )
    op.create_index(op.f("ix_figures_article_id"), "figures", ["article_id"], unique=False)
    op.create_index("ix_figures_key", "figures", ["subject", "metric", "unit"], unique=False)

    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("development_id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("claim_token", sa.String(length=36), nullable=True),
        sa.Column("claimed_at", UTC_DATETIME, nullable=True),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')",
            name=op.f("ck_alert_outbox_status"),
        ),
        sa.ForeignKeyConstraint(
            ["development_id"],
            ["developments.id"],
            name=op.f("fk_alert_outbox_development_id_developments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint(
            "development_id", "target_key", name=op.f("uq_alert_outbox_development_id_target_key")
        ),
    )
    op.create_index(
        op.f("ix_alert_outbox_claim_token"), "alert_outbox", ["claim_token"], unique=False
    )
    op.create_index(
        "ix_alert_outbox_status_claimed", "alert_outbox", ["status", "claimed_at"], unique=False
    )

    op.create_table(
        "corroborations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("development_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_corroborations_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["development_id"],
            ["developments.id"],
            name=op.f("fk_corroborations_development_id_developments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corroborations")),
        sa.UniqueConstraint(
            "development_id", "article_id", name=op.f("uq_corroborations_development_id_article_id")
        ),
    )
    op.create_index(
        op.f("ix_corroborations_article_id"), "corroborations", ["article_id"], unique=False
    )

    op.create_table(
        "known_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("approx", sa.Boolean(), nullable=False),
        sa.Column("first_article_id", sa.Integer(), nullable=False),
        sa.Column("development_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["development_id"],
            ["developments.id"],
            name=op.f("fk_known_values_development_id_developments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_article_id"],
            ["articles.id"],
            name=op.f("fk_known_values_first_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_values")),
        sa.UniqueConstraint(
            "subject",
            "metric",
            "unit",
            "value",
            name=op.f("uq_known_values_subject_metric_unit_value"),
        ),
    )
    op.create_index(
        op.f("ix_known_values_development_id"), "known_values", ["development_id"], unique=False
    )
    op.create_index(
        op.f("ix_known_values_first_article_id"), "known_values", ["first_article_id"], unique=False
    )
    op.create_index(
        "ix_known_values_key_recent",
        "known_values",
        ["subject", "metric", "unit", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_known_values_key_recent", table_name="known_values")
    op.drop_index(op.f("ix_known_values_first_article_id"), table_name="known_values")
    op.drop_index(op.f("ix_known_values_development_id"), table_name="known_values")

    op.drop_table("known_values")
    op.drop_index(op.f("ix_corroborations_article_id"), table_name="corroborations")

    op.drop_table("corroborations")
    op.drop_index("ix_alert_outbox_status_claimed", table_name="alert_outbox")
    op.drop_index(op.f("ix_alert_outbox_claim_token"), table_name="alert_outbox")

    op.drop_table("alert_outbox")
    op.drop_index("ix_figures_key", table_name="figures")
    op.drop_index(op.f("ix_figures_article_id"), table_name="figures")

    op.drop_table("figures")
    op.drop_index(op.f("ix_developments_source_id"), table_name="developments")
    op.drop_index("ix_developments_key", table_name="developments")
    op.drop_index(op.f("ix_developments_detected_at"), table_name="developments")
    op.drop_index(op.f("ix_developments_article_id"), table_name="developments")

    op.drop_table("developments")
    op.drop_index(op.f("ix_article_sources_source_id"), table_name="article_sources")

    op.drop_table("article_sources")
    op.drop_index(op.f("ix_articles_first_source_id"), table_name="articles")

    op.drop_table("articles")
    op.drop_table("sources")
