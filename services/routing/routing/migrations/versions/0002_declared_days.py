"""declared calendar days; how the forwarding date was computed

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:40:00
"""

from alembic import op
import sqlalchemy as sa
import chancery.db
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decree', sa.Text(), nullable=True),
    sa.Column('hours_of', sa.Integer(), nullable=True),
    sa.Column('declared_by', sa.String(length=200), nullable=False),
    sa.Column('declared_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.add_column('letters', sa.Column('forwarding', sa.JSON().with_variant(
        postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))


def downgrade() -> None:
    op.drop_column('letters', 'forwarding')
    op.drop_table('calendar_days')
