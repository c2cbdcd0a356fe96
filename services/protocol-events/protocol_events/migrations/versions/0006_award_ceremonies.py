"""award ceremonies: the granting decision and the nominees who become awardees

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:00:00
"""

import sqlalchemy as sa
from alembic import op

from chancery.db import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "award_decisions",
        sa.Column("event_id", sa.String(36), sa.ForeignKey("events.id"), primary_key=True),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("body", sa.String(300), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False))
    op.create_table(
        "award_nominees",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("event_id", sa.String(36), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("organisation", sa.String(300), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("citation", sa.Text(), nullable=True),
        sa.Column("nominated_by", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("certificate_number", sa.String(30), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_id", "certificate_number",
                            name="uq_award_nominees_certificate"))
    op.create_index("ix_award_nominees_event_id", "award_nominees", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_award_nominees_event_id", table_name="award_nominees")
    op.drop_table("award_nominees")
    op.drop_table("award_decisions")
