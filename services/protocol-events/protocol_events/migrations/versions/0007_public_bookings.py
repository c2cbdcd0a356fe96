"""residents' own bookings: a hold until confirmed, a link token kept as a digest, counters

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:30:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_LIVE = sa.text("status <> 'cancelled'")
NEW_LIVE = sa.text("status NOT IN ('cancelled', 'expired')")


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_key', sa.String(64), nullable=True))
        batch_op.add_column(sa.Column('hold_expires_at', UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('public_token_hash', sa.String(64), nullable=True))
        batch_op.create_index(batch_op.f('ix_appointments_contact_key'), ['contact_key'])
        batch_op.create_unique_constraint('uq_appointments_public_token_hash',
                                          ['public_token_hash'])
        batch_op.drop_index('uq_appointments_live_slot', postgresql_where=OLD_LIVE,
                            sqlite_where=OLD_LIVE)
        batch_op.create_index('uq_appointments_live_slot', ['official_id', 'starts_at'],
                              unique=True, postgresql_where=NEW_LIVE, sqlite_where=NEW_LIVE)
    op.create_table(
        'booking_counters',
        sa.Column('key', sa.String(64), primary_key=True),
        sa.Column('requests', sa.Integer(), nullable=False),
        sa.Column('window_ends_at', UTCDateTime(timezone=True), nullable=False))
    op.create_index('ix_booking_counters_window_ends_at', 'booking_counters',
                    ['window_ends_at'])


def downgrade() -> None:
    op.drop_index('ix_booking_counters_window_ends_at', table_name='booking_counters')
    op.drop_table('booking_counters')
    op.execute("UPDATE appointments SET status = 'cancelled' WHERE status IN "
               "('pending', 'expired')")
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('uq_appointments_live_slot', postgresql_where=NEW_LIVE,
                            sqlite_where=NEW_LIVE)
        batch_op.create_index('uq_appointments_live_slot', ['official_id', 'starts_at'],
                              unique=True, postgresql_where=OLD_LIVE, sqlite_where=OLD_LIVE)
        batch_op.drop_constraint('uq_appointments_public_token_hash', type_='unique')
        batch_op.drop_index(batch_op.f('ix_appointments_contact_key'))
        batch_op.drop_column('public_token_hash')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('hold_expires_at')
        batch_op.drop_column('contact_key')
