"""``chancery outbox-lag`` against a real PostgreSQL database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import MetaData, insert

from chancery.cli import main
from chancery.clock import utcnow
from chancery.db import make_engine, platform_tables
from chancery_testing import outbox_row

pytestmark = pytest.mark.integration


def _row(number: int, age_seconds: float, sent: bool) -> dict:
    created = utcnow() - timedelta(seconds=age_seconds)
    return outbox_row(created, created if sent else None, f"00000000-0000-0000-0000-{number:012d}")


def test_outbox_lag_counts_unsent_rows_and_the_oldest_age(database_url, monkeypatch, capsys):
    metadata = MetaData()
    outbox = platform_tables(metadata).outbox
    engine = make_engine(database_url)
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(outbox),
            [_row(1, 3600, sent=True), _row(2, 120, sent=False), _row(3, 5, sent=False)],
        )
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["outbox-lag", "--service", "intake"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("intake: 2 unsent message(s), oldest 12")
    assert 120 <= float(line.split("oldest ")[1].removesuffix(" s")) < 180


def test_outbox_lag_of_an_empty_outbox_is_zero(database_url, monkeypatch, capsys):
    metadata = MetaData()
    platform_tables(metadata)
    engine = make_engine(database_url)
    metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["outbox-lag", "--service", "routing"]) == 0
    assert capsys.readouterr().out.strip() == "routing: 0 unsent message(s), oldest 0.0 s"


def test_outbox_lag_of_an_unmigrated_database_says_so(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["outbox-lag", "--service", "notifications"]) == 2
    err = capsys.readouterr().err
    assert "cannot read the outbox of notifications" in err
    assert "UndefinedTable" in err
