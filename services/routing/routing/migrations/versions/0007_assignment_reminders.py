"""reminders sent now by the mayor's office: when last, how many

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:10:00
"""

import sqlalchemy as sa
from alembic import op

import chancery.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('assignments', sa.Column('last_reminded_at',
                                           chancery.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('assignments', sa.Column('reminder_count', sa.Integer(), nullable=False,
                                           server_default='0'))


def downgrade() -> None:
    op.drop_column('assignments', 'reminder_count')
    op.drop_column('assignments', 'last_reminded_at')
