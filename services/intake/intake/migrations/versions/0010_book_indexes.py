"""the protocol book's list and export read in the order of an index

Revision ID: 0010
Revises: 0009

Decision 0064: the list pages by the key (registered_at, sequence, id), so
an index in that order makes any page one seek; the export reads in
(year, register_code, sequence) order, so its first row comes from the index
without sorting the period. The index on registered_at alone is a prefix of
the list's and goes. On PostgreSQL the search text keeps ten times the usual
statistics, so the planner estimates how many letters a word matches (with the
default it guessed 100 for a name in 23,000 letters and read them all).
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_letters_list_order', 'letters', ['registered_at', 'sequence', 'id'],
                    unique=False)
    op.create_index('ix_letters_export_order', 'letters', ['year', 'register_code', 'sequence'],
                    unique=False)
    op.drop_index('ix_letters_registered_at', table_name='letters')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE letters ALTER COLUMN search_text SET STATISTICS 1000')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE letters ALTER COLUMN search_text SET STATISTICS -1')
    op.create_index('ix_letters_registered_at', 'letters', ['registered_at'], unique=False)
    op.drop_index('ix_letters_export_order', table_name='letters')
    op.drop_index('ix_letters_list_order', table_name='letters')
