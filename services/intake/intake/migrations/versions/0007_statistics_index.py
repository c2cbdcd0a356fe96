"""statistics count incoming letters per period from one covering index

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every column the statistics read, the period's bound first: a range scan
    # per period that never visits the table (an index-only scan on PostgreSQL).
    op.create_index('ix_letters_statistics', 'letters',
                    ['registered_at', 'direction', 'status', 'kind', 'addressee_kind',
                     'channel'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_letters_statistics', table_name='letters')
