"""Index article_sources by (source_id, link) for the "links already seen" lookup of a rerun;
it also serves every lookup by source_id alone, so that single-column index goes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_article_sources_source_link", "article_sources", ["source_id", "link"], unique=False
    )
    op.drop_index("ix_article_sources_source_id", table_name="article_sources")


def downgrade() -> None:
    op.create_index(
        "ix_article_sources_source_id", "article_sources", ["source_id"], unique=False
    )
    op.drop_index("ix_article_sources_source_link", table_name="article_sources")
