"""Migration steps for the platform tables of every service (:func:`chancery.db.platform_tables`).

Each service's own migration tree calls these, so the shared tables change
alike in all five databases. Batch mode lets SQLite (the embedded mode)
alter its tables too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from chancery.audit import HASHED_COLUMNS, chain_rows
from chancery.db import UTCDateTime


def add_audit_chain() -> None:
    """Give ``audit_log`` the data subject, the outcome and the hash chain; chain existing rows."""
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("person", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=20), nullable=False, server_default="allowed")
        )
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_log_person", ["person"], unique=False)
        batch_op.create_index("ix_audit_log_at", ["at"], unique=False)
    audit = sa.table(
        "audit_log",
        *(
            sa.column(name, UTCDateTime() if name == "at" else sa.String())
            for name in (*HASHED_COLUMNS, "row_hash")
        ),
    )
    connection = op.get_bind()
    existing = (
        connection.execute(
            sa.select(*(audit.c[name] for name in HASHED_COLUMNS if name != "prev_hash")).order_by(
                audit.c.id
            )
        )
        .mappings()
        .all()
    )
    for row in chain_rows(existing):
        connection.execute(
            audit.update()
            .where(audit.c.id == row["id"])
            .values(prev_hash=row["prev_hash"], row_hash=row["row_hash"])
        )
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)


def drop_audit_chain() -> None:
    """Undo :func:`add_audit_chain`."""
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_index("ix_audit_log_at")
        batch_op.drop_index("ix_audit_log_person")
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("outcome")
        batch_op.drop_column("person")


def add_audit_subjects() -> None:
    """Give ``audit_log`` the sealed count and hash of an export's data subjects, and their table.

    Existing rows keep both empty, so their hashes hold as they are
    (:func:`chancery.audit.row_hash` covers the two only when set).
    """
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("subjects", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subjects_hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_subjects",
        sa.Column("audit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data_subjects", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name="pk_audit_subjects"),
    )


def drop_audit_subjects() -> None:
    """Undo :func:`add_audit_subjects`."""
    op.drop_table("audit_subjects")
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("subjects_hash")
        batch_op.drop_column("subjects")
