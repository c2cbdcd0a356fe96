"""the protocol book

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:25:17.938784
"""

from alembic import op
import sqlalchemy as sa
import chancery.db
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=False),
    sa.Column('object_id', sa.String(length=100), nullable=False),
    sa.Column('trace_id', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_object', ['object_type', 'object_id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('headers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('inbox',
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('message_type', sa.String(length=100), nullable=False),
    sa.Column('handled_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_inbox'))
    )
    op.create_table('letters',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('register_code', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('registration_number', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('subject_folded', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('addressee', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('addressee_kind', sa.String(length=20), nullable=True),
    sa.Column('addressee_department_code', sa.String(length=50), nullable=True),
    sa.Column('correspondent', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('confidentiality', sa.String(length=20), nullable=False),
    sa.Column('received_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('registered_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_changed_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('department_code', sa.String(length=50), nullable=True),
    sa.Column('copy_departments', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('answered_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('in_reply_to_id', sa.String(length=36), nullable=True),
    sa.Column('access_code_hash', sa.String(length=64), nullable=True),
    sa.Column('lookup_failures', sa.Integer(), nullable=False),
    sa.Column('lookup_locked_until', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closing_reason', sa.Text(), nullable=True),
    sa.Column('forwarded_to', sa.Text(), nullable=True),
    sa.Column('file_reference', sa.String(length=100), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['in_reply_to_id'], ['letters.id'], name=op.f('fk_letters_in_reply_to_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.UniqueConstraint('register_code', 'year', 'sequence', name=op.f('uq_letters_register_code')),
    sa.UniqueConstraint('registration_number', name=op.f('uq_letters_registration_number'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_addressee_department_code'), ['addressee_department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_addressee_kind'), ['addressee_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_in_reply_to_id'), ['in_reply_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_registered_at'), ['registered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_status'), ['status'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('exchange', sa.String(length=100), nullable=False),
    sa.Column('routing_key', sa.String(length=200), nullable=False),
    sa.Column('message_type', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['created_at'], unique=False, postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    op.create_table('register_counters',
    sa.Column('register_code', sa.String(length=50), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('register_code', 'year', name=op.f('pk_register_counters'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_attachments_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_letter_id'), ['letter_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_letter_id'))

    op.drop_table('attachments')
    op.drop_table('register_counters')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent', postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_status'))
        batch_op.drop_index(batch_op.f('ix_letters_registered_at'))
        batch_op.drop_index(batch_op.f('ix_letters_received_at'))
        batch_op.drop_index(batch_op.f('ix_letters_kind'))
        batch_op.drop_index(batch_op.f('ix_letters_in_reply_to_id'))
        batch_op.drop_index(batch_op.f('ix_letters_department_code'))
        batch_op.drop_index(batch_op.f('ix_letters_addressee_kind'))
        batch_op.drop_index(batch_op.f('ix_letters_addressee_department_code'))

    op.drop_table('letters')
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')

    op.drop_table('audit_log')

