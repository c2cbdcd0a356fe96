"""Standard Webhooks secrets and their rotation

Existing secrets become ``whsec_`` + the base64 of the same bytes, so the
key every receiver holds signs as before (decision 0020).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:40:00
"""

import base64

from alembic import op
import sqlalchemy as sa

import chancery.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_webhooks = sa.table('webhooks', sa.column('id', sa.String), sa.column('secret', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('webhooks') as batch_op:
        batch_op.add_column(sa.Column('previous_secret', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('previous_secret_until',
                                      chancery.db.UTCDateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    for hook_id, secret in connection.execute(sa.select(_webhooks.c.id, _webhooks.c.secret)):
        if not secret.startswith('whsec_'):
            standard = 'whsec_' + base64.b64encode(secret.encode()).decode()
            connection.execute(_webhooks.update().where(_webhooks.c.id == hook_id)
                               .values(secret=standard))


def downgrade() -> None:
    # Secrets converted by upgrade() get their old text back; new random ones have none,
    # and receivers of those must be given a new secret after a downgrade.
    connection = op.get_bind()
    for hook_id, secret in connection.execute(sa.select(_webhooks.c.id, _webhooks.c.secret)):
        try:
            old = base64.b64decode(secret.removeprefix('whsec_')).decode('ascii')
        except (ValueError, UnicodeDecodeError):
            continue
        if old.isprintable():
            connection.execute(_webhooks.update().where(_webhooks.c.id == hook_id)
                               .values(secret=old))
    with op.batch_alter_table('webhooks') as batch_op:
        batch_op.drop_column('previous_secret_until')
        batch_op.drop_column('previous_secret')
