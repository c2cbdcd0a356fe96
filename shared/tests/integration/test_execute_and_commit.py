"""A statement and its transaction's COMMIT sent together (decision 73), on the real PostgreSQL.

What the statement wrote is committed with what ran before it in the
transaction, its row comes back with SQLAlchemy's bind processing applied
(JSONB, UTC times), and a failing statement commits nothing and raises
SQLAlchemy's own error, as ``Connection.execute`` would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, Table, insert, select
from sqlalchemy.exc import IntegrityError

from chancery.db import execute_and_commit, make_engine
from chancery_testing import notes_table

pytestmark = pytest.mark.integration


@pytest.fixture
def notes(database_url: str) -> Iterator[tuple[Engine, Table]]:
    engine = make_engine(database_url, pool_size=1)
    table = notes_table()
    table.create(engine)
    yield engine, table
    table.drop(engine)
    engine.dispose()


def test_the_statement_commits_with_what_ran_before_it(notes: tuple[Engine, Table]) -> None:
    engine, table = notes
    at = datetime(2026, 12, 1, 21, 0, tzinfo=timezone(timedelta(hours=2)))
    with engine.connect() as conn:
        conn.execute(insert(table), {"id": 1, "label": "before"})
        returned = execute_and_commit(
            conn,
            insert(table).returning(table.c.id, table.c.label),
            {"id": 2, "label": "Žemaitė", "body": {"name": "ქეთევან"}, "at": at},
        )
    assert returned == (2, "Žemaitė")
    with engine.connect() as other:
        rows = other.execute(select(table).order_by(table.c.id)).all()
    assert [(row.id, row.label) for row in rows] == [(1, "before"), (2, "Žemaitė")]
    assert rows[1].body == {"name": "ქეთევან"}
    assert rows[1].at == at.astimezone(UTC)


def test_a_failing_statement_commits_nothing(notes: tuple[Engine, Table]) -> None:
    engine, table = notes
    with engine.connect() as conn:
        conn.execute(insert(table), {"id": 1, "label": "first"})
        conn.commit()
        conn.execute(insert(table), {"id": 2, "label": "in the failed transaction"})
        with pytest.raises(IntegrityError):
            execute_and_commit(
                conn, insert(table), {"id": 1, "label": "again", "body": None, "at": None}
            )
        conn.rollback()
        # The connection is usable again after the rollback.
        assert conn.execute(select(table.c.label)).scalars().all() == ["first"]
