"""the audit trail's data subjects of an export, sealed in its row

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:30:00
"""

from chancery.platform_migrations import add_audit_subjects, drop_audit_subjects

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_audit_subjects()


def downgrade() -> None:
    drop_audit_subjects()
