"""the confidentiality of a letter's contact; webhooks' entitlements

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the tables too.
    with op.batch_alter_table('letter_contacts') as batch_op:
        batch_op.add_column(sa.Column('confidentiality', sa.String(length=20),
                                      server_default='normal', nullable=False))
    with op.batch_alter_table('webhooks') as batch_op:
        batch_op.add_column(sa.Column('receives_confidential', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('receives_personal_data', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('webhooks') as batch_op:
        batch_op.drop_column('receives_personal_data')
        batch_op.drop_column('receives_confidential')
    with op.batch_alter_table('letter_contacts') as batch_op:
        batch_op.drop_column('confidentiality')
