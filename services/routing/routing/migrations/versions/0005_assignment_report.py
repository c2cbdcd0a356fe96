"""the report an executor writes when an assignment is done

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('assignments', sa.Column('report', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('assignments', 'report')
