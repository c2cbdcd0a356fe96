"""the one staff directory of the municipality's people

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:50:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import chancery.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table(
        'staff_members',
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('department_code', sa.String(length=50), nullable=True),
        sa.Column('roles', _json(), nullable=False),
        sa.Column('positions', _json(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('updated_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('subject'))
    op.create_index('ix_staff_members_department_code', 'staff_members', ['department_code'])


def downgrade() -> None:
    op.drop_index('ix_staff_members_department_code', table_name='staff_members')
    op.drop_table('staff_members')
