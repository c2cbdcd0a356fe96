"""The operator's endpoints over the real RabbitMQ and PostgreSQL: dead letters with their
reasons, replayed to this service only, and the outbox lag."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from kombu import Connection, Producer

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.messages.consumer import REASON_HEADER
from chancery.messages.envelope import Envelope
from chancery.messages.outbox import write_to_outbox
from chancery.messages.topology import dead_letter_name, declare_topology, queue_name
from chancery.runtime import web_app
from chancery_testing import wait_for

pytestmark = pytest.mark.integration


def operator(*roles: str) -> dict[str, str]:
    token = issue_token(
        DEV_JWT_SECRET, list(roles or ("operator",)), subject=f"operator-{uuid.uuid4().hex[:8]}"
    )
    return {"Authorization": f"Bearer {token}"}


def dead_letter(connection: Connection, reason: str) -> str:
    """A message as the worker dead-letters it: the body, its id, the reason header."""
    message_id = str(uuid.uuid4())
    Producer(connection.channel()).publish(
        b'{"type": "invitation.decided"}',
        exchange="",
        routing_key=dead_letter_name("notifications"),
        message_id=message_id,
        type="invitation.decided",
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
        headers={REASON_HEADER: reason, "x-chancery-original-routing-key": "invitation.decided.v1"},
    )
    return message_id


def dead_letters_when(client: Any, count: int, what: str) -> dict[str, Any]:
    """The operator's dead-letter listing once it shows ``count`` of them."""

    def listing() -> dict[str, Any] | None:
        body: dict[str, Any] = client.get("/operations/dead-letters", headers=operator()).get_json()
        return body if len(body["dead_letters"]) == count else None

    return wait_for(listing, what=what)


def test_an_operator_sees_dead_letters_with_reasons_and_replays_one(make_wiring, broker_url):
    wiring = make_wiring("log://", BROKER_URL=broker_url)
    client = web_app(wiring).test_client()
    with Connection(broker_url) as connection:
        declare_topology(connection, 5)
        fixed = dead_letter(connection, "no template invitation_decided in ka")
        other = dead_letter(connection, "payload: {'status': ['Must be one of...']}")

        assert (
            client.get("/operations/dead-letters", headers=operator("department_staff")).status_code
            == 403
        )
        listed = dead_letters_when(client, 2, what="two dead letters")
        assert listed["service"] == "notifications"
        by_id = {letter["message_id"]: letter for letter in listed["dead_letters"]}
        assert by_id[fixed]["reason"] == "no template invitation_decided in ka"
        assert by_id[fixed]["routing_key"] == "invitation.decided.v1"
        assert by_id[fixed]["message_type"] == "invitation.decided"

        replayed = client.post(
            "/operations/dead-letters/replay", headers=operator(), json={"message_ids": [fixed]}
        )
        assert replayed.status_code == 200, replayed.get_json()
        assert replayed.get_json() == {"service": "notifications", "replayed": 1}
        channel = connection.channel()
        back = wait_for(
            lambda: channel.basic_get(queue_name("notifications"), no_ack=True),
            what="the replayed message on notifications' own queue",
        )
        assert back.properties["message_id"] == fixed
        channel.close()
        left = dead_letters_when(client, 1, what="one dead letter left")
        assert left["dead_letters"][0]["message_id"] == other

    bad = client.post(
        "/operations/dead-letters/replay", headers=operator(), json={"message_ids": []}
    )
    assert bad.status_code == 422


def test_the_outbox_lag_counts_unsent_messages_and_the_oldest_age(make_wiring, broker_url):
    wiring = make_wiring("log://", BROKER_URL=broker_url)
    client = web_app(wiring).test_client()
    assert client.get("/operations/outbox", headers=operator()).get_json() == {
        "service": "notifications",
        "unsent": 0,
        "oldest_unsent_seconds": 0.0,
    }
    with wiring.unit_of_work() as uow:
        # A row the relay has not published yet (none runs in this test).
        write_to_outbox(
            uow.session,
            uow.tables.outbox,
            Envelope(
                type="invitation.decided",
                version=1,
                producer="notifications",
                payload={"written": datetime.now(UTC).isoformat()},
                correlation_id="corr",
            ),
        )
        uow.commit()
    lag = client.get("/operations/outbox", headers=operator()).get_json()
    assert lag["unsent"] == 1
    assert lag["oldest_unsent_seconds"] >= 0
