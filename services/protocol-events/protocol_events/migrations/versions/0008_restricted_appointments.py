"""a visitor's restriction of processing (GDPR Art. 18) marked on their appointments

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:10:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restricted_at', UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_column('restricted_at')
