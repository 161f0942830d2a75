"""What a run did with each development: "alerted", or why it was only recorded (below
threshold, no watch matched, metric not alerted). NULL for developments stored before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("developments", sa.Column("outcome", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("developments", "outcome")
