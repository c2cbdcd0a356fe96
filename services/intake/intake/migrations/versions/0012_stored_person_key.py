"""a letter stores its data subject's key, which the export's audit lists

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:00:00

Decision 0087: the export listed its letters' data subjects by folding each
correspondent's e-mail or name as it read them (decision 0079), a third of
its time before the first line at a million letters. The key is now a column.
On PostgreSQL the database derives it from the correspondent (a generated
column, the export's very expression, so the lists and their hashes stay the
same and no writer can forget it); adding it rewrites the table once, with its
indexes, in one statement. On SQLite Python writes it, as it listed them
(chancery.audit.person_key), and fills the letters there are in batches. An index
of the export's period, visibility and key lets the list be read from it alone.
"""

from alembic import op
import sqlalchemy as sa

from chancery.audit import person_key
from chancery.db import JSONDocument

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# chancery.audit.subject_key_sql of the correspondent's e-mail, else name, frozen here.
PERSON_KEY_SQL = (
    "NULLIF(\"left\"(lower(btrim(regexp_replace(COALESCE(NULLIF(correspondent ->> 'email', ''), "
    "correspondent ->> 'name'), '\\s+', ' ', 'g'))), 200), '')"
)
BATCH = 5000


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.add_column('letters', sa.Column('person_key', sa.String(length=200),
                                           sa.Computed(PERSON_KEY_SQL, persisted=True),
                                           nullable=True))
    else:
        op.add_column('letters', sa.Column('person_key', sa.String(length=200), nullable=True))
        _fill_keys()
    op.create_index('ix_letters_export_subjects', 'letters',
                    ['year', 'registered_at', 'confidentiality', 'person_key'], unique=False)


def _fill_keys() -> None:
    letters = sa.table('letters', sa.column('id', sa.String(36)),
                       sa.column('correspondent', JSONDocument),
                       sa.column('person_key', sa.String(200)))
    connection, after = op.get_bind(), ''
    while True:
        rows = connection.execute(
            sa.select(letters.c.id, letters.c.correspondent)
            .where(letters.c.id > after).order_by(letters.c.id).limit(BATCH)).all()
        if not rows:
            return
        connection.execute(
            letters.update().where(letters.c.id == sa.bindparam('letter_id'))
            .values(person_key=sa.bindparam('key')),
            [{'letter_id': row.id,
              'key': person_key(row.correspondent.get('email') or row.correspondent.get('name'))}
             for row in rows])
        after = rows[-1].id


def downgrade() -> None:
    op.drop_index('ix_letters_export_subjects', table_name='letters')
    op.drop_column('letters', 'person_key')
