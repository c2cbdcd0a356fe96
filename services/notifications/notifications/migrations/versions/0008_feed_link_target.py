"""what an in-app notice is about: a letter's number or an own task, for its link

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:00:00
"""

from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feed') as batch:
        batch.add_column(sa.Column('registration_number', sa.String(60), nullable=True))
        batch.add_column(sa.Column('assignment_id', sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feed') as batch:
        batch.drop_column('assignment_id')
        batch.drop_column('registration_number')
