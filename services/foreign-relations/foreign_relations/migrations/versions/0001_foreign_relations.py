"""Partner cities, agreements, plans, invitations, trips, visits, translations, projects.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 04:36:30.785986
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
    op.create_index('ix_audit_log_object', 'audit_log', ['object_type', 'object_id'], unique=False)
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
    op.create_table('inbound_letters',
    sa.Column('letter_id', sa.String(length=36), nullable=False),
    sa.Column('registration_number', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('sender', sa.Text(), nullable=True),
    sa.Column('received_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('department_code', sa.String(length=50), nullable=True),
    sa.Column('invitation_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('letter_id', name=op.f('pk_inbound_letters'))
    )
    op.create_table('inbox',
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('message_type', sa.String(length=100), nullable=False),
    sa.Column('handled_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('message_id', name=op.f('pk_inbox'))
    )
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
    op.create_index('ix_outbox_unsent', 'outbox', ['created_at'], unique=False, postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))
    op.create_table('partners',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('relationship', sa.String(length=20), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('areas', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners'))
    )
    op.create_index(op.f('ix_partners_country'), 'partners', ['country'], unique=False)
    op.create_index(op.f('ix_partners_status'), 'partners', ['status'], unique=False)
    op.create_table('projects',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('programme', sa.String(length=300), nullable=False),
    sa.Column('partners', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('department_code', sa.String(length=50), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    op.create_index(op.f('ix_projects_status'), 'projects', ['status'], unique=False)
    op.create_table('agreements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('parties', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('renewal', sa.String(length=20), nullable=False),
    sa.Column('areas', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('documents', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('terms', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('warned_for', sa.Date(), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_agreements_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    op.create_index(op.f('ix_agreements_ends_on'), 'agreements', ['ends_on'], unique=False)
    op.create_index(op.f('ix_agreements_partner_id'), 'agreements', ['partner_id'], unique=False)
    op.create_table('dossier_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_dossier_entries_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_entries'))
    )
    op.create_index(op.f('ix_dossier_entries_partner_id'), 'dossier_entries', ['partner_id'], unique=False)
    op.create_table('invitations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('inviter', sa.Text(), nullable=False),
    sa.Column('inviter_kind', sa.String(length=30), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('respond_by', sa.Date(), nullable=True),
    sa.Column('letter_id', sa.String(length=36), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('received_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('worth_going', sa.Boolean(), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('proposed_head', sa.String(length=200), nullable=True),
    sa.Column('proposed_delegation', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_invitations_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('letter_id', name=op.f('uq_invitations_letter_id'))
    )
    op.create_index(op.f('ix_invitations_partner_id'), 'invitations', ['partner_id'], unique=False)
    op.create_index(op.f('ix_invitations_status'), 'invitations', ['status'], unique=False)
    op.create_table('partner_contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_contacts_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_contacts'))
    )
    op.create_index(op.f('ix_partner_contacts_partner_id'), 'partner_contacts', ['partner_id'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_plans_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans'))
    )
    op.create_index(op.f('ix_plans_partner_id'), 'plans', ['partner_id'], unique=False)
    op.create_table('project_deadlines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('notified_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_deadlines_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_deadlines'))
    )
    op.create_index(op.f('ix_project_deadlines_due_on'), 'project_deadlines', ['due_on'], unique=False)
    op.create_index(op.f('ix_project_deadlines_project_id'), 'project_deadlines', ['project_id'], unique=False)
    op.create_table('proposals',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('referred_to', sa.String(length=200), nullable=True),
    sa.Column('referred_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_proposals_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals'))
    )
    op.create_index(op.f('ix_proposals_partner_id'), 'proposals', ['partner_id'], unique=False)
    op.create_index(op.f('ix_proposals_status'), 'proposals', ['status'], unique=False)
    op.create_table('translations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('source_language', sa.String(length=2), nullable=False),
    sa.Column('target_language', sa.String(length=2), nullable=False),
    sa.Column('letter_id', sa.String(length=36), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('original_task_id', sa.String(length=36), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('translated_text', sa.Text(), nullable=True),
    sa.Column('translator', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['original_task_id'], ['translations.id'], name=op.f('fk_translations_original_task_id_translations')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_translations_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translations'))
    )
    op.create_index(op.f('ix_translations_letter_id'), 'translations', ['letter_id'], unique=False)
    op.create_index(op.f('ix_translations_original_task_id'), 'translations', ['original_task_id'], unique=False)
    op.create_index(op.f('ix_translations_partner_id'), 'translations', ['partner_id'], unique=False)
    op.create_index(op.f('ix_translations_status'), 'translations', ['status'], unique=False)
    op.create_table('visit_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_visit_records_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_records'))
    )
    op.create_index(op.f('ix_visit_records_partner_id'), 'visit_records', ['partner_id'], unique=False)
    op.create_table('visits',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('arrives_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('departs_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('members', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_visits_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    op.create_index(op.f('ix_visits_partner_id'), 'visits', ['partner_id'], unique=False)
    op.create_index(op.f('ix_visits_status'), 'visits', ['status'], unique=False)
    op.create_table('plan_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('plan_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('department_code', sa.String(length=50), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('event_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('trip_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_items_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_items'))
    )
    op.create_index(op.f('ix_plan_items_plan_id'), 'plan_items', ['plan_id'], unique=False)
    op.create_table('trips',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('invitation_id', sa.String(length=36), nullable=True),
    sa.Column('partner_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('departs_on', sa.Date(), nullable=False),
    sa.Column('returns_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('checklist', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('budget', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('programme', sa.Text(), nullable=True),
    sa.Column('report', sa.Text(), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], name=op.f('fk_trips_invitation_id_invitations')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_trips_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trips'))
    )
    op.create_index(op.f('ix_trips_invitation_id'), 'trips', ['invitation_id'], unique=False)
    op.create_index(op.f('ix_trips_partner_id'), 'trips', ['partner_id'], unique=False)
    op.create_index(op.f('ix_trips_status'), 'trips', ['status'], unique=False)
    op.create_table('travellers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('trip_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('head', sa.Boolean(), nullable=False),
    sa.Column('passport_expires_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['trip_id'], ['trips.id'], name=op.f('fk_travellers_trip_id_trips'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travellers'))
    )
    op.create_index(op.f('ix_travellers_trip_id'), 'travellers', ['trip_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_travellers_trip_id'), table_name='travellers')
    op.drop_table('travellers')
    op.drop_index(op.f('ix_trips_status'), table_name='trips')
    op.drop_index(op.f('ix_trips_partner_id'), table_name='trips')
    op.drop_index(op.f('ix_trips_invitation_id'), table_name='trips')
    op.drop_table('trips')
    op.drop_index(op.f('ix_plan_items_plan_id'), table_name='plan_items')
    op.drop_table('plan_items')
    op.drop_index(op.f('ix_visits_status'), table_name='visits')
    op.drop_index(op.f('ix_visits_partner_id'), table_name='visits')
    op.drop_table('visits')
    op.drop_index(op.f('ix_visit_records_partner_id'), table_name='visit_records')
    op.drop_table('visit_records')
    op.drop_index(op.f('ix_translations_status'), table_name='translations')
    op.drop_index(op.f('ix_translations_partner_id'), table_name='translations')
    op.drop_index(op.f('ix_translations_original_task_id'), table_name='translations')
    op.drop_index(op.f('ix_translations_letter_id'), table_name='translations')
    op.drop_table('translations')
    op.drop_index(op.f('ix_proposals_status'), table_name='proposals')
    op.drop_index(op.f('ix_proposals_partner_id'), table_name='proposals')
    op.drop_table('proposals')
    op.drop_index(op.f('ix_project_deadlines_project_id'), table_name='project_deadlines')
    op.drop_index(op.f('ix_project_deadlines_due_on'), table_name='project_deadlines')
    op.drop_table('project_deadlines')
    op.drop_index(op.f('ix_plans_partner_id'), table_name='plans')
    op.drop_table('plans')
    op.drop_index(op.f('ix_partner_contacts_partner_id'), table_name='partner_contacts')
    op.drop_table('partner_contacts')
    op.drop_index(op.f('ix_invitations_status'), table_name='invitations')
    op.drop_index(op.f('ix_invitations_partner_id'), table_name='invitations')
    op.drop_table('invitations')
    op.drop_index(op.f('ix_dossier_entries_partner_id'), table_name='dossier_entries')
    op.drop_table('dossier_entries')
    op.drop_index(op.f('ix_agreements_partner_id'), table_name='agreements')
    op.drop_index(op.f('ix_agreements_ends_on'), table_name='agreements')
    op.drop_table('agreements')
    op.drop_index(op.f('ix_projects_status'), table_name='projects')
    op.drop_table('projects')
    op.drop_index(op.f('ix_partners_status'), table_name='partners')
    op.drop_index(op.f('ix_partners_country'), table_name='partners')
    op.drop_table('partners')
    op.drop_index('ix_outbox_unsent', table_name='outbox', postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
    op.drop_table('inbox')
    op.drop_table('inbound_letters')
    op.drop_table('idempotency_keys')
    op.drop_index('ix_audit_log_object', table_name='audit_log')
    op.drop_table('audit_log')
