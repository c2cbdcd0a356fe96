"""when a translation's due-soon reminder went out (translation.due_soon, once per task)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:10:00
"""

import sqlalchemy as sa
from alembic import op

import chancery.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the table too.
    with op.batch_alter_table('translations') as batch_op:
        batch_op.add_column(sa.Column('reminded_at', chancery.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('translations') as batch_op:
        batch_op.drop_column('reminded_at')
