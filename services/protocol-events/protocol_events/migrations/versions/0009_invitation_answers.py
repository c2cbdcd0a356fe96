"""invitations' answers: each participant's accepted, declined or tentative, and the
digest of the one-click link their invitation carried

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:40:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.String(20), nullable=True))
        batch_op.add_column(sa.Column('answered_at', UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('answered_by', sa.String(200), nullable=True))
        batch_op.add_column(sa.Column('answer_token_hash', sa.String(64), nullable=True))
        batch_op.create_unique_constraint('uq_participants_answer_token_hash',
                                          ['answer_token_hash'])


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint('uq_participants_answer_token_hash', type_='unique')
        batch_op.drop_column('answer_token_hash')
        batch_op.drop_column('answered_by')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer')
