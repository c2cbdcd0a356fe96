"""the status lookup counts wrong codes per number and client, and per client

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa
import chancery.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lookup_counters',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_ends_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lookup_counters'))
    )
    op.create_index(op.f('ix_lookup_counters_window_ends_at'), 'lookup_counters',
                    ['window_ends_at'], unique=False)
    # A plain ALTER TABLE ... DROP COLUMN (PostgreSQL, SQLite >= 3.35): a batch
    # copy of letters would trip over the foreign keys that point at it.
    op.drop_column('letters', 'lookup_locked_until')
    op.drop_column('letters', 'lookup_failures')


def downgrade() -> None:
    op.add_column('letters', sa.Column('lookup_failures', sa.Integer(), nullable=False,
                                       server_default='0'))
    op.add_column('letters', sa.Column('lookup_locked_until',
                                       chancery.db.UTCDateTime(timezone=True), nullable=True))
    op.drop_index(op.f('ix_lookup_counters_window_ends_at'), table_name='lookup_counters')
    op.drop_table('lookup_counters')
