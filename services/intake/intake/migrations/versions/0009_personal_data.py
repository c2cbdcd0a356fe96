"""people's rights: data subjects' requests and each service's answer

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:40:00
"""

from alembic import op
import sqlalchemy as sa

from sqlalchemy.dialects import postgresql

from chancery.db import UTCDateTime

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('personal_data_requests',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('person', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('requested_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_personal_data_requests'))
    )
    op.create_table('personal_data_parts',
    sa.Column('request_number', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=30), nullable=False),
    sa.Column('answered_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('records', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('outcomes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['request_number'], ['personal_data_requests.number'],
                            name=op.f('fk_personal_data_parts_request_number_personal_data_requests')),
    sa.PrimaryKeyConstraint('request_number', 'service', name=op.f('pk_personal_data_parts'))
    )


def downgrade() -> None:
    op.drop_table('personal_data_parts')
    op.drop_table('personal_data_requests')
