"""Fixtures for the shared library's unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from chancery.db import PlatformTables, make_base, make_engine, platform_tables


@dataclass
class PlatformDatabase:
    """A SQLite file holding only the platform tables (outbox, inbox, idempotency, audit)."""

    engine: Engine
    tables: PlatformTables


@pytest.fixture
def db(tmp_path) -> Iterator[PlatformDatabase]:
    engine = make_engine(f"sqlite:///{tmp_path / 'platform.sqlite3'}")
    base = make_base()
    tables = platform_tables(base.metadata)
    base.metadata.create_all(engine)
    yield PlatformDatabase(engine, tables)
    engine.dispose()
