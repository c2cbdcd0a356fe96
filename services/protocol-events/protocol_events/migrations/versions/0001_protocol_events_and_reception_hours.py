"""protocol events and reception hours

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 04:37:01.563644
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

    op.create_table('events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('protocol_level', sa.String(length=20), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('description', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('department_code', sa.String(length=50), nullable=False),
    sa.Column('starts_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('ical_uid', sa.String(length=200), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('ical_uid', name=op.f('uq_events_ical_uid')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_events_visit_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_department_code'), ['department_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)

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
    op.create_table('officials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('staff_subject', sa.String(length=200), nullable=True),
    sa.Column('addressee_kind', sa.String(length=20), nullable=False),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('feed_token_hash', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officials')),
    sa.UniqueConstraint('feed_token_hash', name=op.f('uq_officials_feed_token_hash'))
    )
    with op.batch_alter_table('officials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officials_staff_subject'), ['staff_subject'], unique=False)

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

    op.create_table('precedence_lists',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('ranks', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_precedence_lists'))
    )
    op.create_table('resources',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources'))
    )
    op.create_table('accreditations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('outlet', sa.String(length=300), nullable=False),
    sa.Column('journalist', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('badge_number', sa.String(length=30), nullable=True),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_accreditations_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accreditations')),
    sa.UniqueConstraint('event_id', 'badge_number', name='uq_accreditations_badge')
    )
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accreditations_event_id'), ['event_id'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('official_id', sa.String(length=36), nullable=False),
    sa.Column('starts_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('visitor_name', sa.String(length=300), nullable=False),
    sa.Column('visitor_email', sa.String(length=254), nullable=True),
    sa.Column('visitor_phone', sa.String(length=50), nullable=True),
    sa.Column('visitor_language', sa.String(length=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('booked_by', sa.String(length=200), nullable=False),
    sa.Column('booked_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_reason', sa.Text(), nullable=True),
    sa.Column('reminder_sent_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('handed_to_intake_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('intake_key', sa.String(length=200), nullable=True),
    sa.Column('handed_over_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_appointments_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_due', ['starts_at', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_status'), ['status'], unique=False)
        batch_op.create_index('uq_appointments_live_slot', ['official_id', 'starts_at'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))

    op.create_table('budget_lines',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_budget_lines_event_id_events')),
    sa.PrimaryKeyConstraint('event_id', 'category', name=op.f('pk_budget_lines'))
    )
    op.create_table('event_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_history_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_history'))
    )
    with op.batch_alter_table('event_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_history_event_id'), ['event_id'], unique=False)

    op.create_table('participants',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=True),
    sa.Column('organisation', sa.String(length=300), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('rank', sa.String(length=60), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('official_id', sa.String(length=36), nullable=True),
    sa.Column('host', sa.Boolean(), nullable=False),
    sa.Column('guest_of_honour', sa.Boolean(), nullable=False),
    sa.Column('speaks', sa.Boolean(), nullable=False),
    sa.Column('created_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participants_event_id_events')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_participants_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants'))
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_official_id'), ['official_id'], unique=False)

    op.create_table('programme_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('title', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('starts_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=True),
    sa.Column('counterpart', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_programme_items_event_id_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_items'))
    )
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_items_event_id'), ['event_id'], unique=False)

    op.create_table('reception_hours',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('official_id', sa.String(length=36), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start', sa.Time(), nullable=False),
    sa.Column('end', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_reception_hours_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_hours'))
    )
    with op.batch_alter_table('reception_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reception_hours_official_id'), ['official_id'], unique=False)

    op.create_table('cost_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('planned', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('actual', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('incurred_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_cost_lines_event_id_events')),
    sa.ForeignKeyConstraint(['item_id'], ['programme_items.id'], name=op.f('fk_cost_lines_item_id_programme_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_lines'))
    )
    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_lines_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cost_lines_incurred_on'), ['incurred_on'], unique=False)

    op.create_table('resource_bookings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('resource_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=True),
    sa.Column('starts_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('booked_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_resource_bookings_event_id_events')),
    sa.ForeignKeyConstraint(['item_id'], ['programme_items.id'], name=op.f('fk_resource_bookings_item_id_programme_items')),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_bookings_resource_id_resources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_bookings'))
    )
    with op.batch_alter_table('resource_bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_bookings_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_bookings_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_resource_bookings_span', ['resource_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('visitor_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appointment_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_visitor_log_appointment_id_appointments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_log'))
    )
    with op.batch_alter_table('visitor_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitor_log_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visitor_log_at'), ['at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visitor_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visitor_log_at'))
        batch_op.drop_index(batch_op.f('ix_visitor_log_appointment_id'))

    op.drop_table('visitor_log')
    with op.batch_alter_table('resource_bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_resource_bookings_span')
        batch_op.drop_index(batch_op.f('ix_resource_bookings_item_id'))
        batch_op.drop_index(batch_op.f('ix_resource_bookings_event_id'))

    op.drop_table('resource_bookings')
    with op.batch_alter_table('cost_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_lines_incurred_on'))
        batch_op.drop_index(batch_op.f('ix_cost_lines_event_id'))

    op.drop_table('cost_lines')
    with op.batch_alter_table('reception_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reception_hours_official_id'))

    op.drop_table('reception_hours')
    with op.batch_alter_table('programme_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_items_event_id'))

    op.drop_table('programme_items')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_official_id'))
        batch_op.drop_index(batch_op.f('ix_participants_event_id'))

    op.drop_table('participants')
    with op.batch_alter_table('event_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_history_event_id'))

    op.drop_table('event_history')
    op.drop_table('budget_lines')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('uq_appointments_live_slot', postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
        batch_op.drop_index(batch_op.f('ix_appointments_status'))
        batch_op.drop_index('ix_appointments_due')

    op.drop_table('appointments')
    with op.batch_alter_table('accreditations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accreditations_event_id'))

    op.drop_table('accreditations')
    op.drop_table('resources')
    op.drop_table('precedence_lists')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent', postgresql_where=sa.text('published_at IS NULL'), sqlite_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    with op.batch_alter_table('officials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officials_staff_subject'))

    op.drop_table('officials')
    op.drop_table('inbox')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))
        batch_op.drop_index(batch_op.f('ix_events_department_code'))

    op.drop_table('events')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_object')

    op.drop_table('audit_log')
