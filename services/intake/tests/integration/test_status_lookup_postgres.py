"""The status lookup's counters on the real PostgreSQL: every web worker sees the same ones."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from chancery.errors import NotFound, TooManyRequests
from chancery.runtime import ServiceWiring
from chancery_testing import wired_service
from intake.adapters.lookups import CounterKeys
from intake.adapters.models import LookupCounter
from intake.bootstrap import bootstrap
from intake.config import load_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def workers(database_url: str, tmp_path) -> Iterator[tuple[ServiceWiring, ServiceWiring]]:
    """Two wirings on one database, as two gunicorn workers would be."""
    settings, first = wired_service(tmp_path, load_settings, bootstrap, database_url=database_url)
    second = bootstrap(settings)
    yield first, second
    first.engine.dispose()
    second.engine.dispose()


def _wrong(code: str) -> str:
    return "".join("A" if ch != "A" else "B" for ch in code)


def test_one_workers_count_refuses_on_the_other(workers, register_letter):
    first, second = workers
    registered = register_letter(first)
    number, code = registered["number"], registered["code"]
    for wiring in (first, second, first, second, first):
        with pytest.raises(NotFound):
            wiring.extensions["status"].citizen_status(number, _wrong(code), "203.0.113.9")
    with pytest.raises(TooManyRequests):
        second.extensions["status"].citizen_status(number, code, "203.0.113.9")
    assert (
        second.extensions["status"].citizen_status(number, code, "198.51.100.7").status
        == "registered"
    )


def test_concurrent_wrong_codes_are_all_counted(workers, register_letter):
    first, second = workers
    registered = register_letter(first)
    number, code = registered["number"], registered["code"]
    barrier = threading.Barrier(12, timeout=60)

    def guess(index: int) -> None:
        barrier.wait()
        with pytest.raises((NotFound, TooManyRequests)):
            workers[index % 2].extensions["status"].citizen_status(
                f"P-2026-{80000 + index}", _wrong(code), "203.0.113.9"
            )

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(guess, range(12)))
    keys = CounterKeys.of(number, "203.0.113.9")
    with first.unit_of_work() as uow:
        failures = uow.session.scalar(
            select(LookupCounter.failures).where(LookupCounter.key == keys.client)
        )
    assert failures == 12
    assert (
        second.extensions["status"].citizen_status(number, code, "198.51.100.7").status
        == "registered"
    )
