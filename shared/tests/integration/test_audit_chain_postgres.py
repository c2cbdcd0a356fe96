"""Concurrent audited reads on PostgreSQL append to one chain that verifies."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select, update
from sqlalchemy.orm import Session

from chancery.audit import (
    person_key,
    record_access,
    record_export,
    subject_key_sql,
    subjects_hash,
    verify_chain,
)
from chancery.cli import main
from chancery.db import make_engine, platform_tables
from chancery.principal import Principal
from chancery_testing import run_together

pytestmark = pytest.mark.integration
WRITERS, READS_EACH = 8, 15


def test_concurrent_writers_never_fork_the_chain(database_url, monkeypatch, capsys):
    metadata = MetaData()
    audit = platform_tables(metadata).audit
    engine = make_engine(database_url, pool_size=WRITERS)
    metadata.create_all(engine)

    def reader(number: int) -> None:
        principal = Principal(f"reader-{number}", frozenset({"registrar"}))
        for read in range(READS_EACH):
            with Session(engine) as session:
                record_access(
                    session,
                    audit,
                    principal,
                    "read",
                    "letter",
                    [f"{number}-{read}-a", f"{number}-{read}-b"],
                    {f"{number}-{read}-a": "Ona Žemaitytė"},
                )
                session.commit()

    errors = run_together(WRITERS, reader)
    try:
        assert errors == [None] * WRITERS
        with Session(engine) as session:
            assert (
                session.scalar(select(func.count()).select_from(audit)) == WRITERS * READS_EACH * 2
            )
            result = verify_chain(session, audit)
        assert result.broken is None
        assert result.rows == WRITERS * READS_EACH * 2
        monkeypatch.setenv("DATABASE_URL", database_url)
        assert main(["audit", "verify", "--service", "intake"]) == 0
        with engine.begin() as connection:
            connection.execute(update(audit).where(audit.c.id == 57).values(actor="somebody-else"))
        assert main(["audit", "verify", "--service", "intake"]) == 1
        assert "broken at row 57 (" in capsys.readouterr().err
    finally:
        engine.dispose()


def test_the_database_lists_and_hashes_an_exports_subjects_as_python_does(database_url):
    metadata = MetaData()
    tables = platform_tables(metadata)
    source = Table("exported_rows", metadata, Column("person", String(300)))
    engine = make_engine(database_url, pool_size=1)
    metadata.create_all(engine)
    people = [
        "Ona\t Žemaitytė ",
        "ONA ŽEMAITYTĖ",
        "ნინო ბერიძე",
        "Jānis Bērziņš",
        "ilze@example.org",
        "Zoë",
        "ábc",
        "abd",
        None,
        " ",
        "x" * 250,
    ]
    try:
        with Session(engine) as session:
            session.execute(insert(source), [{"person": person} for person in people])
            count = record_export(
                session,
                tables.audit,
                tables.audit_subjects,
                Principal("clerk-ona", frozenset({"registrar"})),
                "protocol_book",
                "2025-01-01/2025-12-31",
                # The key as a table derives it (decision 0087), of the rows' subjects.
                select(subject_key_sql(source.c.person)),
            )
            session.commit()
            keys = {key for person in people if (key := person_key(person)) is not None}
            row = session.execute(select(tables.audit)).one()
            listed = session.scalar(select(tables.audit_subjects.c.data_subjects))
            assert count == row.subjects == len(keys) == 8
            assert listed == "\n".join(sorted(keys))
            assert row.subjects_hash == subjects_hash(keys)
            assert verify_chain(session, tables.audit, tables.audit_subjects).broken is None
    finally:
        engine.dispose()
