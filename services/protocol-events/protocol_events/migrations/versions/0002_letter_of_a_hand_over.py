"""the letter a reception topic became

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 05:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the table too.
    with op.batch_alter_table('appointments') as batch_op:
        batch_op.add_column(sa.Column('letter_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('registration_number', sa.String(length=100),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_appointments_intake_key'), ['intake_key'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointments') as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_intake_key'))
        batch_op.drop_column('registration_number')
        batch_op.drop_column('letter_id')
