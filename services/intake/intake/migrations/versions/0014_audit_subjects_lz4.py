"""an export's data subjects compressed with lz4

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 15:30:00

A year's protocol-book export seals the list of its data subjects (decision
0079): about 2.3 MB of text at a city's scale, which PostgreSQL's default pglz
compresses in ~25 ms before the export's first byte; lz4 does it in about one.
Rows written before keep pglz (PostgreSQL reads both). A server built without
lz4 keeps the default; SQLite has no such setting.
"""

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _compress_with("lz4")


def downgrade() -> None:
    _compress_with("pglz")


def _compress_with(method: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DO $$ BEGIN EXECUTE 'ALTER TABLE audit_subjects ALTER COLUMN data_subjects "
        f"SET COMPRESSION {method}'; EXCEPTION WHEN feature_not_supported THEN NULL; END $$"
    )
