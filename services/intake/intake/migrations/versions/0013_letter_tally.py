"""the statistics' daily tally per register, kept on every write

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 21:00:00

Decision 0065: a year's statistics read about 100,000 index entries at a
city's scale. The tally keeps, per local day and register, how many incoming
letters that are not voided have each value of kind, addressee, status and
channel. Filled here from the letters, counted by the municipality's local day
(the runner passes its time zone); intake keeps it on every write from then on.
"""

from collections import Counter
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

from chancery.db import UTCDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    tally = op.create_table(
        'letter_tally',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('register_code', sa.String(length=50), nullable=False),
        sa.Column('dimension', sa.String(length=10), nullable=False),
        sa.Column('value', sa.String(length=30), nullable=False),
        sa.Column('letters', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'register_code', 'dimension', 'value',
                                name=op.f('pk_letter_tally')),
    )
    config = op.get_context().config
    assert config is not None  # chancery.runtime.migrate passes one, with the zone
    _fill(tally, ZoneInfo(config.attributes['time_zone']))


def _fill(tally: sa.Table, zone: ZoneInfo) -> None:
    letters = sa.table('letters', sa.column('registered_at', UTCDateTime()), *(
        sa.column(name) for name in (
            'register_code', 'kind', 'addressee_kind', 'status', 'channel', 'direction')))
    counted = (
        sa.select(letters.c.registered_at, letters.c.register_code, letters.c.kind,
                  letters.c.addressee_kind, letters.c.status, letters.c.channel)
        .where(letters.c.direction == 'incoming', letters.c.status != 'voided')
    )
    totals: Counter = Counter()
    bind = op.get_bind()
    for row in bind.execute(counted.execution_options(yield_per=BATCH)):
        day = row.registered_at.astimezone(zone).date()
        for dimension, value in (('kind', row.kind), ('addressee', row.addressee_kind),
                                 ('status', row.status), ('channel', row.channel)):
            totals[(day, row.register_code, dimension, value or 'none')] += 1
    rows = [{'day': day, 'register_code': register, 'dimension': dimension, 'value': value,
             'letters': count} for (day, register, dimension, value), count in totals.items()]
    for start in range(0, len(rows), BATCH):
        op.bulk_insert(tally, rows[start:start + BATCH])


def downgrade() -> None:
    op.drop_table('letter_tally')
