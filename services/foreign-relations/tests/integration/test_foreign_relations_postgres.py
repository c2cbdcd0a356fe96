"""Foreign relations on the real PostgreSQL and RabbitMQ: letters and their destruction over
the broker, the agreement and translation timers racing themselves."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection
from sqlalchemy import select

from chancery.idempotency import StoredResponse
from chancery.messages.catalogue import contract
from chancery.messages.outbox import OutgoingMessage, prepare_message
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology
from chancery.personal_data import ERASED_TEXT
from chancery.runtime import ServiceWiring, worker
from chancery_testing import run_together, sample_payloads, wait_for, wired_service
from foreign_relations.adapters.models import InboundLetter, Invitation
from foreign_relations.bootstrap import bootstrap
from foreign_relations.config import load_settings
from foreign_relations.usecases.agreements import Agreements
from foreign_relations.usecases.partners import Partners
from foreign_relations.usecases.translations import Translations

pytestmark = pytest.mark.integration


def wire(database_url: str, broker_url: str, directory: Path) -> ServiceWiring:
    """Foreign relations' production wiring on ``database_url`` and ``broker_url``."""
    _, wiring = wired_service(
        directory, load_settings, bootstrap, {"BROKER_URL": broker_url}, database_url=database_url
    )
    return wiring


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    wired = wire(database_url, "memory://", tmp_path)
    yield wired
    wired.engine.dispose()


def outbox_messages(wiring: ServiceWiring, message_type: str) -> list[dict[str, Any]]:
    outbox = wiring.tables.outbox
    with wiring.engine.connect() as conn:
        return [
            json.loads(body)
            for body in conn.execute(
                select(outbox.c.body)
                .where(outbox.c.message_type == message_type)
                .order_by(outbox.c.created_at)
            ).scalars()
        ]


def _outgoing(producer: str, message_type: str, payload: dict[str, Any]) -> OutgoingMessage:
    envelope = prepare_message(producer, message_type, 1, payload, str(uuid.uuid4()))
    return OutgoingMessage(
        id=envelope.message_id,
        exchange=contract(message_type, 1).exchange,
        routing_key=envelope.routing_key,
        message_type=message_type,
        body=envelope.to_json().encode(),
        headers={},
    )


def _publish(broker_url: str, *messages: OutgoingMessage) -> None:
    """``messages`` published (and confirmed) on the broker, its topology declared first."""
    with Connection(broker_url) as connection:
        declare_topology(connection, 5)
    publisher = ConfirmingAmqpPublisher(broker_url)
    try:
        assert publisher.publish(list(messages)) == {}
    finally:
        publisher.close()


@contextmanager
def _consuming(wiring: ServiceWiring) -> Iterator[None]:
    """The service's worker consuming from the broker while the block runs; then stopped and
    the wiring's engine disposed."""
    consumer = worker(wiring)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        consumer.should_stop = True
        thread.join(10)
        wiring.engine.dispose()


def _registered_invitation(year: int, **letter: Any) -> dict[str, Any]:
    """Intake's ``letter.registered`` of an invitation letter of ``year`` (a random id and
    number) registered now, to the mayor; ``letter`` gives its language, subject, sender."""
    now = datetime.now(UTC)
    return {
        **sample_payloads()["letter.registered"],
        "registration_number": f"G-{year}-{uuid.uuid4().int % 10**5:05d}",
        "kind": "invitation",
        "channel": "email",
        "received_at": now,
        "registered_at": now,
        **letter,
    }


def _routed_to_comm(registered: dict[str, Any]) -> dict[str, Any]:
    """Routing's ``letter.routed`` for intake's ``registered``: to COMM, due in 20 days."""
    return {
        "letter_id": registered["letter_id"],
        "registration_number": registered["registration_number"],
        "department_code": "COMM",
        "due_date": date.today() + timedelta(days=20),
        "routed_at": registered["registered_at"],
        "kind": "invitation",
        "subject": registered["subject"],
        "language": registered["language"],
    }


def test_invitation_letters_over_rabbitmq_await_a_decision(database_url, broker_url, tmp_path):
    wiring = wire(database_url, broker_url, tmp_path)
    registered = _registered_invitation(
        2026,
        language="ka",
        subject="მოწვევა დაძმობილებული ქალაქების ფორუმზე",
        sender={
            "type": "organisation",
            "name": "ნინო ბერიძე",
            "organisation": "თელავის მუნიციპალიტეტი",
            "preferred_language": "ka",
        },
        status_lookup_code="K7Q2M4XPAB",
    )
    letter_id, number = registered["letter_id"], registered["registration_number"]
    # Routing's message first: either order must work.
    _publish(
        broker_url,
        _outgoing("routing", "letter.routed", _routed_to_comm(registered)),
        _outgoing("intake", "letter.registered", registered),
    )
    with _consuming(wiring):

        def invitation() -> Invitation | None:
            with wiring.unit_of_work() as uow:
                return uow.session.scalar(
                    select(Invitation).where(Invitation.letter_id == letter_id)
                )

        found = wait_for(invitation)
        [message] = wait_for(lambda: outbox_messages(wiring, "invitation.awaiting_decision"))
    assert found.status == "proposed"
    assert found.inviter == "თელავის მუნიციპალიტეტი"
    assert found.title == "მოწვევა დაძმობილებული ქალაქების ფორუმზე"
    assert message["payload"]["registration_number"] == number
    assert message["payload"]["letter_id"] == letter_id


def test_a_destruction_act_over_rabbitmq_empties_the_invitation_letter(
    database_url, broker_url, tmp_path
):
    wiring = wire(database_url, broker_url, tmp_path)
    registered = _registered_invitation(
        2020,
        language="sq",
        subject="Ftesë në festivalin e Gjirokastrës",
        summary="Ftesë për delegacionin",
        sender={"type": "person", "name": "Arbër Hoxha", "preferred_language": "sq"},
        status_lookup_code="K7Q2M4XPAC",
    )
    letter_id, number = registered["letter_id"], registered["registration_number"]
    _publish(
        broker_url,
        _outgoing("intake", "letter.registered", registered),
        _outgoing("routing", "letter.routed", _routed_to_comm(registered)),
    )
    with _consuming(wiring):

        def stored() -> tuple[InboundLetter, Invitation] | None:
            with wiring.unit_of_work() as uow:
                invitation = uow.session.scalar(
                    select(Invitation).where(Invitation.letter_id == letter_id)
                )
                return invitation and (uow.session.get(InboundLetter, letter_id), invitation)

        assert wait_for(stored)[1].inviter == "Arbër Hoxha"
        _publish(
            broker_url,
            _outgoing(
                "intake",
                "destruction.executed",
                {
                    "act_number": uuid.uuid4().int % 10**6 + 1,
                    "letter_ids": [letter_id],
                    "registration_numbers": [number],
                    "ordered_at": registered["registered_at"],
                },
            ),
        )
        inbound, invitation = wait_for(
            lambda: (found := stored()) and found[1].title == ERASED_TEXT and found
        )
    assert (invitation.inviter, invitation.summary) == (ERASED_TEXT, ERASED_TEXT)
    assert (inbound.sender, inbound.subject, inbound.summary) == (ERASED_TEXT,) * 3
    assert (invitation.registration_number, inbound.registration_number) == (number, number)
    assert invitation.received_at is not None
    assert invitation.status == "proposed"


def test_the_agreement_timer_run_twice_and_racing_publishes_once(wiring):
    partners: Partners = wiring.extensions["partners"]
    created = partners.create_partner(
        {
            "city": "Daugavpils",
            "country": "LV",
            "relationship": "twin",
            "languages": ["lv"],
            "areas": ["kultūra"],
        },
        None,
        lambda row: StoredResponse(201, {"id": row.id}),
    )
    agreements: Agreements = wiring.extensions["agreements"]
    today = agreements.today()
    for days in (30, 60, 89):
        agreements.create_agreement(
            {
                "partner_id": created.body["id"],
                "title": f"Sutartis {days}",
                "starts_on": date(2021, 5, 1),
                "ends_on": today + timedelta(days=days),
                "renewal": "manual",
            },
            None,
            lambda row: StoredResponse(201, {"id": row.id}),
        )
    counts = run_together(4, lambda _: agreements.announce_expiring(str(uuid.uuid4())))
    assert sum(count for count in counts if isinstance(count, int)) == 3, counts
    assert agreements.announce_expiring(str(uuid.uuid4())) == 0
    messages = outbox_messages(wiring, "agreement.expiring")
    assert sorted(m["payload"]["days_left"] for m in messages) == [30, 60, 89]


def test_the_translation_reminder_racing_itself_publishes_once_per_translation(wiring):
    translations: Translations = wiring.extensions["translations"]
    titles = [f"Vertimas {uuid.uuid4().hex[:6]}" for _ in range(3)]
    for title in titles:
        translations.order(
            {
                "direction": "incoming",
                "source_language": "ka",
                "target_language": "lt",
                "title": title,
                "source_text": "ძვირფასო მეგობრებო!",
                "working_days": 1,
            },
            None,
            lambda row: StoredResponse(201, {"id": row.id}),
        )
    # Two working days ahead covers a translation ordered after hours (counted from tomorrow).
    reminders = Translations(wiring.unit_of_work, translations.profile, 5, 2)
    counts = run_together(4, lambda _: reminders.remind_due_soon(str(uuid.uuid4())))
    assert sum(count for count in counts if isinstance(count, int)) == 3, counts
    assert reminders.remind_due_soon(str(uuid.uuid4())) == 0
    messages = outbox_messages(wiring, "translation.due_soon")
    assert sorted(m["payload"]["title"] for m in messages) == sorted(titles)
