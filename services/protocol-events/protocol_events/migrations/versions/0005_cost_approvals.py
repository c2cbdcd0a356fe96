"""cost lines: approval over budget said so, an actual after approval decided on its own

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:55:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cost_lines") as table:
        table.add_column(sa.Column("approved_over_budget", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        table.add_column(sa.Column("actual_status", sa.String(20), nullable=True))
        table.add_column(sa.Column("actual_decided_by", sa.String(200), nullable=True))
        table.add_column(sa.Column("actual_decided_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cost_lines") as table:
        for column in ("actual_decided_at", "actual_decided_by", "actual_status",
                       "approved_over_budget"):
            table.drop_column(column)
