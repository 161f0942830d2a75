"""Every development delivered or visibly owed: a back-off time for exhausted outbox rows, the
route tags of rows waiting for a usable target, and a per-target tally of failed runs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

UTC_DATETIME = sa.DateTime(timezone=True)

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ADD COLUMN (see 0003): batch mode would copy and drop alert_outbox on SQLite.


def upgrade() -> None:
    op.add_column("alert_outbox", sa.Column("next_attempt_at", UTC_DATETIME, nullable=True))
    op.add_column("alert_outbox", sa.Column("route_tags", sa.Text(), nullable=True))
    op.create_table(
        "alert_targets",
        sa.Column("target_key", sa.Text(), nullable=False),
        sa.Column("failed_runs", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_failed_at", UTC_DATETIME, nullable=True),
        sa.Column("last_ok_at", UTC_DATETIME, nullable=True),
        sa.Column("operators_alerted_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("target_key", name=op.f("pk_alert_targets")),
    )


def downgrade() -> None:
    op.drop_table("alert_targets")
    op.drop_column("alert_outbox", "route_tags")
    op.drop_column("alert_outbox", "next_attempt_at")
