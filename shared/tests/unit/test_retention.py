"""Purging what is past its retention period: the platform tables on a real SQLite file."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlalchemy import insert

from chancery.clock import utcnow
from chancery.config import Retention, settings_from_env
from chancery.retention import platform_rules, purge
from chancery_testing import idempotency_row, inbox_row, outbox_row, row_counts

NOW = utcnow()


def _ago(**delta: float):
    return NOW - timedelta(**delta)


def fill(engine, tables) -> None:
    """Rows on either side of every default period, and unsent outbox rows of any age."""

    with engine.begin() as conn:
        conn.execute(
            insert(tables.outbox),
            [
                outbox_row(_ago(days=9), _ago(days=8)),
                outbox_row(_ago(days=8), _ago(days=7, hours=1)),
                outbox_row(_ago(days=6), _ago(days=6)),
                outbox_row(_ago(days=40), None),
            ],
        )
        conn.execute(insert(tables.inbox), [inbox_row(_ago(days=31)), inbox_row(_ago(days=29))])
        conn.execute(
            insert(tables.idempotency),
            [idempotency_row(_ago(hours=25)), idempotency_row(_ago(hours=23))],
        )


def remaining(engine, tables) -> dict[str, int]:
    named = {"outbox": tables.outbox, "inbox": tables.inbox, "idempotency": tables.idempotency}
    return row_counts(engine, named)


def purged_total(service: str, what: str) -> float:
    return (
        REGISTRY.get_sample_value("chancery_purged_rows_total", {"service": service, "what": what})
        or 0.0
    )


def test_purge_removes_only_rows_past_their_period(db, caplog) -> None:
    fill(db.engine, db.tables)
    service = f"test-{uuid.uuid4().hex[:8]}"
    caplog.set_level(logging.DEBUG, logger="chancery.retention")
    counts = purge(db.engine, platform_rules(db.tables, Retention()), service, now=NOW)
    assert counts == {"outbox": 2, "inbox": 1, "idempotency": 1}
    # The unsent row stays however old it is: the relay still owes it to the broker.
    assert remaining(db.engine, db.tables) == {"outbox": 2, "inbox": 1, "idempotency": 1}
    assert purged_total(service, "outbox") == 2
    assert purge(db.engine, platform_rules(db.tables, Retention()), service, now=NOW) == {
        "outbox": 0,
        "inbox": 0,
        "idempotency": 0,
    }
    # Said at INFO when rows went; a run that removed nothing is only a debug line.
    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.DEBUG]


def test_the_periods_are_configurable() -> None:
    retention = settings_from_env(
        "intake",
        {
            "PURGE_OUTBOX_DAYS": "1",
            "PURGE_INBOX_DAYS": "2",
            "PURGE_IDEMPOTENCY_HOURS": "0.5",
            "PURGE_INTERVAL_SECONDS": "60",
        },
    ).retention
    assert retention == Retention(
        outbox=timedelta(days=1),
        inbox=timedelta(days=2),
        idempotency=timedelta(minutes=30),
        interval_seconds=60,
    )
    assert settings_from_env("intake", {}).retention == Retention(
        outbox=timedelta(days=7),
        inbox=timedelta(days=30),
        idempotency=timedelta(hours=24),
        interval_seconds=3600,
    )


def test_shorter_periods_purge_more(db) -> None:
    fill(db.engine, db.tables)
    short = Retention(
        outbox=timedelta(days=1), inbox=timedelta(days=1), idempotency=timedelta(hours=1)
    )
    assert purge(db.engine, platform_rules(db.tables, short), "test", now=NOW) == {
        "outbox": 3,
        "inbox": 2,
        "idempotency": 2,
    }
