"""The status lookup's counters on the real PostgreSQL: every web worker sees the same ones."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from chancery.errors import NotFound, TooManyRequests
from chancery.idempotency import StoredResponse
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from chancery_testing import wired_service
from intake.adapters.lookups import CounterKeys
from intake.adapters.models import LookupCounter
from intake.bootstrap import bootstrap
from intake.config import load_settings
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))


@pytest.fixture
def workers(database_url: str, tmp_path) -> Iterator[tuple[ServiceWiring, ServiceWiring]]:
    """Two wirings on one database, as two gunicorn workers would be."""
    settings, first = wired_service(tmp_path, load_settings, bootstrap, database_url=database_url)
    second = bootstrap(settings)
    yield first, second
    first.engine.dispose()
    second.engine.dispose()


def _registered(wiring: ServiceWiring) -> tuple[str, str]:
    response = wiring.extensions["letters"].register(
        RegisterLetter(
            direction="incoming",
            kind="complaint",
            channel="email",
            language="lt",
            subject="Dėl gatvės apšvietimo",
            addressee={"kind": "mayor"},
            correspondent={"type": "person", "name": "Ona Žemaitytė"},
        ),
        CLERK,
        str(uuid.uuid4()),
        None,
        lambda r: StoredResponse(
            201, {"number": r.letter.registration_number, "code": r.access_code}
        ),
    )
    return response.body["number"], response.body["code"]


def _wrong(code: str) -> str:
    return "".join("A" if ch != "A" else "B" for ch in code)


def test_one_workers_count_refuses_on_the_other(workers):
    first, second = workers
    number, code = _registered(first)
    for wiring in (first, second, first, second, first):
        with pytest.raises(NotFound):
            wiring.extensions["status"].citizen_status(number, _wrong(code), "203.0.113.9")
    with pytest.raises(TooManyRequests):
        second.extensions["status"].citizen_status(number, code, "203.0.113.9")
    assert (
        second.extensions["status"].citizen_status(number, code, "198.51.100.7").status
        == "registered"
    )


def test_concurrent_wrong_codes_are_all_counted(workers):
    first, second = workers
    number, code = _registered(first)
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
