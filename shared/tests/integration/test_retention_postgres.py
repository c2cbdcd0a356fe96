"""``chancery purge --service S`` on the real PostgreSQL, with a service's own rules."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert

from chancery.cli import main
from chancery.clock import utcnow
from chancery.runtime import purge_job
from chancery_testing import idempotency_row, inbox_row, outbox_row, row_counts, wired_service
from intake.adapters.models import LookupCounter
from intake.bootstrap import bootstrap
from intake.config import load_settings

pytestmark = pytest.mark.integration


def _ago(**delta: float):
    return utcnow() - timedelta(**delta)


def _fill(wiring) -> None:
    tables = wiring.tables
    with wiring.engine.begin() as conn:
        conn.execute(
            insert(tables.outbox),
            [
                outbox_row(created, published)
                for created, published in (
                    (_ago(days=9), _ago(days=8)),
                    (_ago(days=2), _ago(days=2)),
                    (_ago(days=40), None),
                )
            ],
        )
        conn.execute(
            insert(tables.inbox),
            [inbox_row(handled) for handled in (_ago(days=31), _ago(days=1))],
        )
        conn.execute(
            insert(tables.idempotency),
            [idempotency_row(created) for created in (_ago(hours=25), _ago(hours=1))],
        )
        conn.execute(
            insert(LookupCounter.__table__),
            [
                {"key": uuid.uuid4().hex, "failures": 5, "window_ends_at": ends}
                for ends in (_ago(minutes=1), _ago(minutes=-14))
            ],
        )


def _counts(wiring) -> dict[str, int]:
    tables = wiring.tables
    return row_counts(
        wiring.engine,
        {
            "outbox": tables.outbox,
            "inbox": tables.inbox,
            "idempotency": tables.idempotency,
            "lookup_counters": LookupCounter.__table__,
        },
    )


@pytest.fixture
def intake_wiring(database_url, tmp_path):
    _, wiring = wired_service(tmp_path, load_settings, bootstrap, database_url=database_url)
    yield wiring
    wiring.engine.dispose()


def test_the_purge_command_removes_what_is_past_its_period(
    intake_wiring, database_url, monkeypatch, capsys
):
    _fill(intake_wiring)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BROKER_URL", "memory://")
    assert main(["purge", "--service", "intake"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "intake\toutbox\t1 row(s) purged",
        "intake\tinbox\t1 row(s) purged",
        "intake\tidempotency\t1 row(s) purged",
        "intake\tlookup_counters\t1 row(s) purged",
    ]
    assert _counts(intake_wiring) == {
        "outbox": 2,
        "inbox": 1,
        "idempotency": 1,
        "lookup_counters": 1,
    }


def test_the_workers_purge_job_runs_the_same_rules(intake_wiring):
    _fill(intake_wiring)
    job = purge_job(intake_wiring)
    assert (job.name, job.seconds) == ("purge", 3600)
    assert job.run() == {"outbox": 1, "inbox": 1, "idempotency": 1, "lookup_counters": 1}
