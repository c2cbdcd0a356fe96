"""the protocol book is searched by subject, summary, correspondent and scan text

Revision ID: 0005
Revises: 0004

PostgreSQL: a trigram index (pg_trgm) on the folded search text answers
``LIKE '%word%'`` for every word; SQLite: an FTS5 table kept in step with
the letters by triggers. Existing letters get their search text here.
"""

from alembic import op
import sqlalchemy as sa
import chancery.db
from intake.domain.searching import search_text

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SQLITE_MIRROR = (
    "CREATE VIRTUAL TABLE letter_search USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER letter_search_insert AFTER INSERT ON letters BEGIN "
    "INSERT INTO letter_search(rowid, body) VALUES (new.rowid, new.search_text); END",
    "CREATE TRIGGER letter_search_update AFTER UPDATE OF search_text ON letters BEGIN "
    "UPDATE letter_search SET body = new.search_text WHERE rowid = new.rowid; END",
    "CREATE TRIGGER letter_search_delete AFTER DELETE ON letters BEGIN "
    "DELETE FROM letter_search WHERE rowid = old.rowid; END",
)


def upgrade() -> None:
    op.add_column('letters', sa.Column('search_text', sa.Text(), nullable=False,
                                       server_default=''))
    op.add_column('attachments', sa.Column('extraction_state', sa.String(length=10),
                                           nullable=False, server_default='pending'))
    op.add_column('attachments', sa.Column('extracted_text', sa.Text(), nullable=True))
    op.add_column('attachments', sa.Column('extraction_error', sa.Text(), nullable=True))
    op.add_column('attachments', sa.Column('extracted_at',
                                           chancery.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_attachments_extraction_state'), 'attachments',
                    ['extraction_state'], unique=False)
    connection = op.get_bind()
    letters = sa.table('letters', sa.column('id'), sa.column('subject'), sa.column('summary'),
                       sa.column('correspondent', chancery.db.JSONDocument),
                       sa.column('search_text'))
    for row in connection.execute(sa.select(letters.c.id, letters.c.subject, letters.c.summary,
                                            letters.c.correspondent)):
        connection.execute(letters.update().where(letters.c.id == row.id).values(
            search_text=search_text(row.subject, row.summary, row.correspondent)))
    if connection.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute('CREATE INDEX ix_letters_search_text_trgm ON letters '
                   'USING gin (search_text gin_trgm_ops)')
    else:
        for statement in SQLITE_MIRROR:
            op.execute(statement)
        op.execute('INSERT INTO letter_search(rowid, body) SELECT rowid, search_text FROM letters')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_letters_search_text_trgm')
    else:
        for trigger in ('insert', 'update', 'delete'):
            op.execute(f'DROP TRIGGER letter_search_{trigger}')
        op.execute('DROP TABLE letter_search')
    op.drop_index(op.f('ix_attachments_extraction_state'), table_name='attachments')
    for column in ('extracted_at', 'extraction_error', 'extracted_text', 'extraction_state'):
        op.drop_column('attachments', column)
    op.drop_column('letters', 'search_text')
