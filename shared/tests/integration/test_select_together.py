"""Several reads in one round trip, with the audit chain's lock and head or without, and a
read's audit row committed with its INSERT, on the real PostgreSQL and on SQLite.

The rows come back as ``connection.execute`` gives them (UTC times, JSON),
each statement's own; a read's audit row continues the chain and is committed;
the chain's lock, taken with the reads, is let go when the transaction ends.
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
    text,
)
from sqlalchemy.orm import Session

from chancery.audit import (
    CHAIN_LOCK_KEY,
    GENESIS_HASH,
    ChainHead,
    record_read_and_commit,
    select_at_chain_head,
    verify_chain,
)
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


def test_a_read_is_audited_in_the_chain_and_committed(engine: Engine, notes: Table) -> None:
    metadata = MetaData()
    tables = platform_tables(metadata)
    metadata.create_all(engine)
    one, _ = _reads(notes)
    reader = Principal(subject="clerk", roles=frozenset({"registrar"}))
    try:
        heads = []
        for note in (1, 2):
            with Session(engine) as session:
                [found], head = select_at_chain_head(session, tables.audit, [(one, {"id": note})])
                heads.append(head)
                record_read_and_commit(
                    session, tables.audit, head, reader, "note", found[0]["label"], "Ona@Ex.org"
                )
        with Session(engine) as session:
            rows = list(session.execute(select(tables.audit).order_by(tables.audit.c.id)))
            assert [(row.id, row.object_id, row.action, row.person) for row in rows] == [
                (1, "Žemaitė", "read", "ona@ex.org"),
                (2, "Bērziņš", "read", "ona@ex.org"),
            ]
            verification = verify_chain(session, tables.audit)
        assert heads == [ChainHead(0, GENESIS_HASH), ChainHead(1, rows[0].row_hash)]
        assert (verification.rows, verification.broken) == (2, None)
    finally:
        metadata.drop_all(engine)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_the_chains_lock_taken_with_the_reads_is_held_until_the_transaction_ends(
    engine: Engine, notes: Table, database_url: str
) -> None:
    metadata = MetaData()
    tables = platform_tables(metadata)
    metadata.create_all(engine)
    one, _ = _reads(notes)
    elsewhere = make_engine(database_url, pool_size=1)

    def lock_is_free() -> bool:
        with elsewhere.connect() as other:
            return bool(
                other.scalar(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY}
                )
            )

    try:
        with Session(engine) as session:
            [nothing], _ = select_at_chain_head(session, tables.audit, [(one, {"id": 3})])
            assert (nothing, lock_is_free()) == ([], False)
            session.rollback()
            assert lock_is_free()
    finally:
        elsewhere.dispose()
        metadata.drop_all(engine)
