"""Several reads in one round trip, and a read's audit row committed with its INSERT, on the
real PostgreSQL and on SQLite.

The rows come back as ``connection.execute`` gives them (UTC times, JSON),
each statement's own; a read's audit row continues the chain and is committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Engine,
    MetaData,
    Select,
    Table,
    bindparam,
    insert,
    select,
)
from sqlalchemy.orm import Session

from chancery.audit import record_read_and_commit, verify_chain
from chancery.db import make_engine, platform_tables
from chancery.pipelined import select_together
from chancery.principal import Principal
from chancery_testing import notes_table

pytestmark = pytest.mark.integration

AT = datetime(2026, 12, 1, 21, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture(params=["postgresql", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        engine = make_engine(request.getfixturevalue("database_url"), pool_size=1)
    else:
        engine = make_engine(f"sqlite:///{tmp_path}/notes.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def notes(engine: Engine) -> Iterator[Table]:
    table = notes_table()
    table.create(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(table),
            [
                {"id": 1, "label": "Žemaitė", "body": {"name": "ქეთევან"}, "at": AT},
                {"id": 2, "label": "Bērziņš", "body": None, "at": None},
            ],
        )
    yield table
    table.drop(engine)


def _reads(table: Table) -> tuple[Select[Any], Select[Any]]:
    one = select(table).where(table.c.id == bindparam("id"))
    labels = select(table.c.label).where(table.c.id >= bindparam("least")).order_by(table.c.id)
    return one, labels


def test_each_read_gets_its_own_rows_as_sqlalchemy_gives_them(engine: Engine, notes: Table) -> None:
    one, labels = _reads(notes)
    with engine.connect() as conn:
        found, listed = select_together(conn, [(one, {"id": 1}), (labels, {"least": 1})])
        nothing, _ = select_together(conn, [(one, {"id": 3}), (labels, {"least": 3})])
    assert found == [{"id": 1, "label": "Žemaitė", "body": {"name": "ქეთევან"}, "at": AT}]
    assert found[0]["at"].tzinfo == UTC
    assert listed == [{"label": "Žemaitė"}, {"label": "Bērziņš"}]
    assert nothing == []


def test_a_read_is_audited_in_the_chain_and_committed(engine: Engine) -> None:
    metadata = MetaData()
    tables = platform_tables(metadata)
    metadata.create_all(engine)
    reader = Principal(subject="clerk", roles=frozenset({"registrar"}))
    try:
        for letter in ("a", "b"):
            with Session(engine) as session:
                record_read_and_commit(
                    session, tables.audit, reader, "letter", letter, "Ona@Example.org"
                )
        with Session(engine) as session:
            rows = session.execute(select(tables.audit).order_by(tables.audit.c.id))
            assert [(row.id, row.object_id, row.action, row.person) for row in rows] == [
                (1, "a", "read", "ona@example.org"),
                (2, "b", "read", "ona@example.org"),
            ]
            verification = verify_chain(session, tables.audit)
        assert (verification.rows, verification.broken) == (2, None)
    finally:
        metadata.drop_all(engine)
