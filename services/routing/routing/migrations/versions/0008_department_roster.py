"""departments lose their unused head and members (the staff directory names both)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:45:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('departments')}
    with op.batch_alter_table('departments', schema=None) as batch_op:
        for column in ('members', 'head'):
            if column in present:
                batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column(
            'members', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()),
                                              'postgresql'),
            nullable=False, server_default='[]'))
