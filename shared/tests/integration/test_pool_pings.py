"""The pool pings a PostgreSQL connection that rested, not one back from a request a moment ago.

The database drops a pooled connection (``pg_terminate_backend``, as a restart
or a fail-over would) while it rests in the pool; what the next user sees
depends on how long it rested (decision 67).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from chancery.db import is_database_unavailable, make_engine

pytestmark = pytest.mark.integration


def _engine(database_url: str, ping_after_idle: float) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=1, ping_after_idle=ping_after_idle)
    yield engine
    engine.dispose()


@pytest.fixture
def pinging_every_time(database_url: str) -> Iterator[Engine]:
    yield from _engine(database_url, ping_after_idle=0.0)


@pytest.fixture
def pinging_after_an_hour(database_url: str) -> Iterator[Engine]:
    yield from _engine(database_url, ping_after_idle=3600.0)


def _backend_of(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _drop(engine: Engine, backend: int) -> None:
    """End ``backend`` from another connection and wait until the server has let it go."""
    admin = make_engine(str(engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        with admin.connect() as conn:
            assert conn.execute(
                text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": backend}
            ).scalar_one()
    finally:
        admin.dispose()


def test_a_rested_connection_the_database_dropped_is_replaced_before_use(
    pinging_every_time: Engine,
) -> None:
    backend = _backend_of(pinging_every_time)
    _drop(pinging_every_time, backend)
    assert _backend_of(pinging_every_time) != backend


def test_a_connection_back_a_moment_ago_is_used_unpinged_and_its_failure_renews_the_pool(
    pinging_after_an_hour: Engine,
) -> None:
    backend = _backend_of(pinging_after_an_hour)
    _drop(pinging_after_an_hour, backend)
    with pytest.raises(DBAPIError) as failed:
        _backend_of(pinging_after_an_hour)
    assert is_database_unavailable(failed.value)  # answered 503 with Retry-After
    assert _backend_of(pinging_after_an_hour) != backend
