"""Intake on the real PostgreSQL: gap-free numbers, idempotency races, Unicode."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from chancery.idempotency import IdempotentRequest, StoredResponse, fingerprint
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.models import Letter
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
CLERK = Principal(subject="clerk-1", roles=frozenset({"registrar"}))


def to_the_mayor(
    subject: str, name: str, kind: str = "letter", channel: str = "post"
) -> RegisterLetter:
    """An incoming letter in Lithuanian to the mayor from the person ``name``."""
    return RegisterLetter(
        direction="incoming",
        kind=kind,
        channel=channel,
        language="lt",
        subject=subject,
        correspondent={"type": "person", "name": name},
        addressee={"kind": "mayor"},
    )


def complaint(index: int) -> RegisterLetter:
    return to_the_mayor(
        f"Skundas dėl gatvės apšvietimo nr. {index}", "Ona Žemaitytė", "complaint", "email"
    )


def register(
    wiring: ServiceWiring, letter: RegisterLetter, idempotent: IdempotentRequest | None = None
) -> StoredResponse:
    return wiring.extensions["letters"].register(
        letter,
        CLERK,
        str(uuid.uuid4()),
        idempotent,
        lambda r: StoredResponse(201, {"number": r.letter.registration_number, "id": r.letter.id}),
    )


def test_100_parallel_registrations_get_100_consecutive_numbers(wiring):
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda i: register(wiring, complaint(i)), range(100)))
    numbers = [r.body["number"] for r in responses]
    assert len(set(numbers)) == 100
    with wiring.unit_of_work() as uow:
        sequences = sorted(uow.session.scalars(select(Letter.sequence)))
        outbox_rows = uow.session.scalar(select(func.count()).select_from(uow.tables.outbox))
    assert sequences == list(range(1, 101))
    assert outbox_rows == 100


def test_concurrent_retries_with_one_idempotency_key_register_one_letter(wiring):
    letter = complaint(1)
    request = IdempotentRequest(
        scope="clerk-1:POST /letters",
        key=str(uuid.uuid4()),
        fingerprint=fingerprint({"subject": letter.subject}),
    )
    barrier = threading.Barrier(8, timeout=60)

    def retry(_: int) -> StoredResponse:
        barrier.wait()
        return register(wiring, letter, request)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(retry, range(8)))
    assert len({r.body["id"] for r in responses}) == 1
    assert sum(not r.replayed for r in responses) == 1
    with wiring.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Letter)) == 1
        assert uow.session.scalar(select(func.count()).select_from(uow.tables.outbox)) == 1
    follow_up = register(wiring, complaint(2))
    assert follow_up.body["number"].endswith("00002")


def test_unicode_survives_postgres_byte_for_byte(wiring):
    subjects = [
        "Skundas dėl šiukšlių Žalgirio g.",
        "Iesniegums par Ķīšezera ielu",
        "განცხადება ქუჩის განათების შესახებ",
        "Kërkesë për ujësjellësin në Çole",
    ]
    ids = [
        register(wiring, to_the_mayor(subject, name)).body["id"]
        for subject, name in zip(
            subjects, ["Ona Žemaitytė", "Jānis Bērziņš", "ნინო ბერიძე", "Arbër Hoxha"], strict=True
        )
    ]
    with wiring.unit_of_work() as uow:
        stored = {letter.id: letter for letter in uow.session.scalars(select(Letter))}
    assert [stored[i].subject.encode() for i in ids] == [s.encode() for s in subjects]
    assert stored[ids[2]].correspondent["name"] == "ნინო ბერიძე"


def test_correspondent_suggestions_read_the_json_name_on_postgresql(wiring):
    register(wiring, complaint(1))
    register(wiring, to_the_mayor("Dėl parko", "Jonas Žemaitis"))
    searches = wiring.extensions["searches"]
    assert [c["name"] for c in searches.correspondents("žemait", 10, CLERK)] == [
        "Jonas Žemaitis",
        "Ona Žemaitytė",
    ]
    assert [c["name"] for c in searches.correspondents("ŽEMAITY", 10, CLERK)] == ["Ona Žemaitytė"]


def test_statistics_group_by_the_local_period_on_postgresql(wiring):
    moments = [
        datetime(2026, 11, 29, 21, 30, tzinfo=UTC),  # Sun 23:30 local: W48, Nov
        datetime(2026, 11, 30, 22, 30, tzinfo=UTC),  # Tue 00:30 local: W49, Dec
        datetime(2026, 6, 30, 21, 30, tzinfo=UTC),
    ]  # 1 July 00:30 in summer time
    for index, moment in enumerate(moments):
        letter_id = register(wiring, complaint(index)).body["id"]
        with wiring.unit_of_work() as uow:
            uow.session.get(Letter, letter_id).registered_at = moment
            uow.commit()
    statistics = wiring.extensions["statistics"]
    by_week = statistics.statistics(date(2026, 11, 23), date(2026, 12, 6), "week", CLERK)
    assert [(p["period"], p["total"]) for p in by_week] == [("2026-W48", 1), ("2026-W49", 1)]
    by_month = statistics.statistics(date(2026, 6, 1), date(2026, 12, 31), "month", CLERK)
    assert [(p["period"], p["total"], p["channel"]) for p in by_month] == [
        ("2026-07", 1, {"email": 1}),
        ("2026-11", 1, {"email": 1}),
        ("2026-12", 1, {"email": 1}),
    ]
