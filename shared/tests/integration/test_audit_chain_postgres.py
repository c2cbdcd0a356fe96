"""Concurrent audited reads on PostgreSQL append to one chain that verifies."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import MetaData, func, select, update
from sqlalchemy.orm import Session

from chancery.audit import record_access, verify_chain
from chancery.auth import Principal
from chancery.cli import main
from chancery.db import make_engine, platform_tables

pytestmark = pytest.mark.integration
WRITERS, READS_EACH = 8, 15


def test_concurrent_writers_never_fork_the_chain(database_url, monkeypatch, capsys):
    metadata = MetaData()
    audit = platform_tables(metadata).audit
    engine = make_engine(database_url, pool_size=WRITERS)
    metadata.create_all(engine)
    start, failures = threading.Barrier(WRITERS), []

    def reader(number: int) -> None:
        principal = Principal(f"reader-{number}", frozenset({"registrar"}))
        start.wait()
        try:
            for read in range(READS_EACH):
                with Session(engine) as session:
                    record_access(session, audit, principal, "read", "letter",
                                  [f"{number}-{read}-a", f"{number}-{read}-b"],
                                  {f"{number}-{read}-a": "Ona Žemaitytė"})
                    session.commit()
        except Exception as exc:  # the test reports any writer's failure
            failures.append(exc)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert failures == []
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(audit)) == \
                WRITERS * READS_EACH * 2
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
