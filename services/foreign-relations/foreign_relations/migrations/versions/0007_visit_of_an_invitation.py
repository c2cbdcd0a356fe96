"""an incoming visit started from the invitation (letter) it follows, one visit per invitation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the table too.
    with op.batch_alter_table('visits') as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.String(36), nullable=True))
        batch_op.create_foreign_key('fk_visits_invitation_id', 'invitations',
                                    ['invitation_id'], ['id'])
        batch_op.create_unique_constraint('uq_visits_invitation_id', ['invitation_id'])


def downgrade() -> None:
    with op.batch_alter_table('visits') as batch_op:
        batch_op.drop_constraint('uq_visits_invitation_id', type_='unique')
        batch_op.drop_constraint('fk_visits_invitation_id', type_='foreignkey')
        batch_op.drop_column('invitation_id')
