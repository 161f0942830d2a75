"""Stories updated in place: the fingerprint of the entry each source last delivered under a
link, and an article's revision count and time. And the fetched page kept as bytes (page_z).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD/DROP COLUMN, never batch mode: on SQLite, batch mode copies and drops the table, and
# dropping `articles` with foreign keys on would cascade-delete every article's rows elsewhere.


def upgrade() -> None:
    op.add_column("article_sources", sa.Column("entry_hash", sa.String(64), nullable=True))
    op.add_column(
        "articles",
        sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.add_column("articles", sa.Column("revised_at", UTC_DATETIME, nullable=True))
    op.add_column("articles", sa.Column("page_z", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "page_z")
    op.drop_column("articles", "revised_at")
    op.drop_column("articles", "revision")
    op.drop_column("article_sources", "entry_hash")
