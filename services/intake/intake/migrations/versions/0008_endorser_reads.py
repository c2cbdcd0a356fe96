"""whom a reply's endorsement circuit waits for: that approver reads the letter

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 13:00:00
"""

from alembic import op
import sqlalchemy as sa

from chancery.db import UTCDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('letters') as batch:
        batch.add_column(sa.Column('endorser_role', sa.String(30), nullable=True))
        batch.add_column(sa.Column('endorser_changed_at', UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('letters') as batch:
        batch.drop_column('endorser_changed_at')
        batch.drop_column('endorser_role')
