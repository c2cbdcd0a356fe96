"""subscription settings shared by every process

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:56:12.822870
"""

from alembic import op
import sqlalchemy as sa
import chancery.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('subscription_settings',
    sa.Column('event', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('updated_at', chancery.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event', name=op.f('pk_subscription_settings'))
    )
    # Batch mode so SQLite (the embedded mode) can change the column too.
    with op.batch_alter_table('deliveries') as batch_op:
        batch_op.alter_column('cause', existing_type=sa.String(length=250),
                              type_=sa.String(length=450), existing_nullable=False)


def downgrade() -> None:

    with op.batch_alter_table('deliveries') as batch_op:
        batch_op.alter_column('cause', existing_type=sa.String(length=450),
                              type_=sa.String(length=250), existing_nullable=False)
    op.drop_table('subscription_settings')

