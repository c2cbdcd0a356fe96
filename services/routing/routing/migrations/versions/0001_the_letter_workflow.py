"""the letter workflow

Revision ID: 0001
Revises:
Create Date: 2026-11-22 03:01:15.533330
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

    op.create_table('departments',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('names', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('parent', sa.String(length=50), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('head', sa.String(length=200), nullable=True),
    sa.Column('members', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_departments'))
    )
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
    sa.Column('registration_number', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('addressee_kind', sa.String(length=20), nullable=True),
    sa.Column('addressee_department_code', sa.String(length=50), nullable=True),
    sa.Column('sender_organisation', sa.Text(), nullable=True),
    sa.Column('confidentiality', sa.String(length=20), nullable=False),
    sa.Column('received_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('status_changed_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('department_code', sa.String(length=50), nullable=True),
    sa.Column('copy_departments', sa.Text(), nullable=False),
    sa.Column('rule_name', sa.String(length=200), nullable=True),
    sa.Column('routed_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('deadline', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('deadline_source', sa.Text(), nullable=True),
    sa.Column('extension', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('extended_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('forward_by', sa.Date(), nullable=False),
    sa.Column('executor', sa.String(length=200), nullable=True),
    sa.Column('answered_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reply_letter_id', sa.String(length=36), nullable=True),
    sa.Column('reply_registration_number', sa.String(length=60), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_executor'), ['executor'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_registration_number'), ['registration_number'], unique=False)
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

    op.create_table('routing_rules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('match', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('responsible', sa.String(length=50), nullable=False),
    sa.Column('copies', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('deadline', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules'))
    )
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_rules_position'), ['position'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('department_code', sa.String(length=50), nullable=False),
    sa.Column('executor', sa.String(length=200), nullable=True),
    sa.Column('assigned_by', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_soon_notified_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_notified_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_assignments_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_executor'), ['executor'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_status'), ['status'], unique=False)

    op.create_table('endorsements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=False),
    sa.Column('reply_subject', sa.Text(), nullable=False),
    sa.Column('reply_summary', sa.Text(), nullable=True),
    sa.Column('reply_language', sa.String(length=2), nullable=False),
    sa.Column('circuit', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('requested_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_endorsements_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_status'), ['status'], unique=False)

    op.create_table('letter_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=False),
    sa.Column('at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_history_letter_id_letters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_history'))
    )
    with op.batch_alter_table('letter_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_history_letter_id'), ['letter_id'], unique=False)

    op.create_table('endorsement_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('endorsement_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('approver', sa.String(length=200), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['endorsement_id'], ['endorsements.id'], name=op.f('fk_endorsement_decisions_endorsement_id_endorsements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsement_decisions'))
    )
    with op.batch_alter_table('endorsement_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsement_decisions_endorsement_id'), ['endorsement_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('endorsement_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsement_decisions_endorsement_id'))

    op.drop_table('endorsement_decisions')
    with op.batch_alter_table('letter_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_history_letter_id'))

    op.drop_table('letter_history')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_status'))
        batch_op.drop_index(batch_op.f('ix_endorsements_letter_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_status'))
        batch_op.drop_index(batch_op.f('ix_assignments_letter_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_executor'))
        batch_op.drop_index(batch_op.f('ix_assignments_due_date'))
        batch_op.drop_index(batch_op.f('ix_assignments_department_code'))

    op.drop_table('assignments')
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_rules_position'))

    op.drop_table('routing_rules')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent', postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_status'))
        batch_op.drop_index(batch_op.f('ix_letters_registration_number'))
        batch_op.drop_index(batch_op.f('ix_letters_executor'))
        batch_op.drop_index(batch_op.f('ix_letters_due_date'))
        batch_op.drop_index(batch_op.f('ix_letters_department_code'))

    op.drop_table('letters')
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')
    op.drop_table('departments')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')

    op.drop_table('audit_log')

