"""send rates shared by every sender replica

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rate_buckets',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('tokens', sa.Float(), nullable=False),
    sa.Column('counted_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('channel')
    )


def downgrade() -> None:
    op.drop_table('rate_buckets')
