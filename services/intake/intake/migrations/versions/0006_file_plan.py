"""the file plan: case files per year, letters filed in them, archive transfers, destruction acts

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
import chancery.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_files',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('parent_code', sa.String(length=50), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('department_code', sa.String(length=50), nullable=False),
    sa.Column('retention_years', sa.Integer(), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('medium', sa.String(length=20), nullable=False),
    sa.Column('kinds', sa.String(length=300), nullable=False),
    sa.Column('closed_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('transferred_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('destroyed_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_files')),
    sa.UniqueConstraint('year', 'code', name=op.f('uq_case_files_year'))
    )
    op.create_index(op.f('ix_case_files_year'), 'case_files', ['year'], unique=False)
    op.create_table('archive_transfers',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('drafted_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('drafted_by', sa.String(length=200), nullable=False),
    sa.Column('approved_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.String(length=200), nullable=True),
    sa.Column('transferred_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('transferred_by', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_archive_transfers'))
    )


    op.create_table('destruction_acts',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('approvals', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('drafted_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('drafted_by', sa.String(length=200), nullable=False),
    sa.Column('executed_at', chancery.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('letters_destroyed', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('number', name=op.f('pk_destruction_acts'))
    )


def downgrade() -> None:
    op.drop_table('destruction_acts')
    op.drop_table('archive_transfers')
    op.drop_index(op.f('ix_case_files_year'), table_name='case_files')
    op.drop_table('case_files')
