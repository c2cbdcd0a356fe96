"""the confidentiality of invitation letters and invitations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode so SQLite (the embedded mode) can change the tables too.
    for table in ('inbound_letters', 'invitations'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('confidentiality', sa.String(length=20),
                                          server_default='normal', nullable=False))


def downgrade() -> None:
    for table in ('invitations', 'inbound_letters'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('confidentiality')
