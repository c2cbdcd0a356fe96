"""the trace context of a delivery

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:45:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the table too.
    with op.batch_alter_table('deliveries') as batch_op:
        batch_op.add_column(sa.Column(
            'trace_context',
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
            nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deliveries') as batch_op:
        batch_op.drop_column('trace_context')
