"""the audit trail's data subject, outcome and hash chain

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:45:00
"""

from chancery.platform_migrations import add_audit_chain, drop_audit_chain

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_audit_chain()


def downgrade() -> None:
    drop_audit_chain()
