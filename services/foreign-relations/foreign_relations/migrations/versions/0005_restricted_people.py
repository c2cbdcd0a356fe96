"""travellers' and partner contacts' restriction of processing (GDPR Art. 18)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:15:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = ('travellers', 'partner_contacts')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('restricted_at', UTCDateTime(timezone=True),
                                          nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('restricted_at')
