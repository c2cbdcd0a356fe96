"""why a letter waits in routing's triage

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:50:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('letters') as batch:
        batch.add_column(sa.Column('triage_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('letters') as batch:
        batch.drop_column('triage_reason')
