"""The outbox relay and the worker against the real RabbitMQ and PostgreSQL."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from kombu import Connection, Producer
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select

from chancery.clock import utcnow
from chancery.db import UnitOfWork, make_engine, platform_tables, session_factory
from chancery.messages.consumer import (
    REASON_HEADER,
    MessageHandling,
    ReceivedMessage,
    Worker,
)
from chancery.messages.deadletters import (
    dead_letter_depth,
    list_dead_letters,
    replay_dead_letters,
)
from chancery.messages.envelope import Envelope
from chancery.messages.outbox import OutboxRelay, add_message
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology, events_exchange
from chancery_testing import close_broker_connections, wait_for

pytestmark = pytest.mark.integration
DELIVERY_LIMIT = 3


@pytest.fixture
def database(database_url: str) -> Iterator[tuple[Engine, Any, Table]]:
    metadata = MetaData()
    tables = platform_tables(metadata)
    effects = Table(
        "effects",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("letter_id", String(36)),
        Column("department", String(50)),
    )
    engine = make_engine(database_url)
    metadata.create_all(engine)
    yield engine, tables, effects
    engine.dispose()


@pytest.fixture
def broker(broker_url: str) -> Iterator[Connection]:
    with Connection(broker_url) as connection:
        declare_topology(connection, DELIVERY_LIMIT)
        yield connection


def registered_payload(subject: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "letter_id": str(uuid.uuid4()),
        "registration_number": "R-2026-00001",
        "register": "incoming",
        "kind": "complaint",
        "channel": "email",
        "language": "ka",
        "subject": subject,
        "addressee": {"kind": "mayor"},
        "sender": {"type": "person", "name": "ნინო ბერიძე"},
        "confidentiality": "normal",
        "received_at": now,
        "registered_at": now,
        "status_lookup_code": "ABCDEFGHJK",
        "municipality": "lagodekhi",
    }


def drain(connection: Connection, queue: str) -> list[Any]:
    channel = connection.channel()
    messages = []
    while (message := channel.basic_get(queue, no_ack=True)) is not None:
        messages.append(message)
    channel.close()
    return messages


def test_relay_publishes_with_confirms_and_marks_rows_sent(database, broker, broker_url):
    engine, tables, _ = database
    subjects = ["Skundas dėl šiukšlių", "Iesniegums par ielu", "განცხადება", "Kërkesë për ujë"]
    with session_factory(engine)() as session:
        for subject in subjects:
            add_message(
                session,
                tables.outbox,
                "intake",
                "letter.registered",
                1,
                registered_payload(subject),
                "corr",
            )
        session.commit()
    relay = OutboxRelay(engine, tables.outbox, ConfirmingAmqpPublisher(broker_url))
    assert relay.run_once() == 4
    received = wait_for(lambda: drain(broker, "routing.messages"), what="routed messages")
    bodies = [json.loads(m.body) for m in received]
    assert [b["payload"]["subject"] for b in bodies] == subjects
    assert all(
        m.properties["message_id"] == b["message_id"] for m, b in zip(received, bodies, strict=True)
    )
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(tables.outbox.c.published_at).where(tables.outbox.c.published_at.is_(None))
            ).first()
            is None
        )


def test_unroutable_message_stays_in_the_outbox_with_the_reason(database, broker, broker_url):
    engine, tables, _ = database
    with engine.begin() as conn:
        conn.execute(
            insert(tables.outbox).values(
                id=str(uuid.uuid4()),
                exchange="intake.events",
                routing_key="nobody.listens.v1",
                message_type="nobody.listens",
                body="{}",
                headers={},
                created_at=utcnow(),
            )
        )
    relay = OutboxRelay(engine, tables.outbox, ConfirmingAmqpPublisher(broker_url))
    assert relay.run_once() == 0
    with engine.connect() as conn:
        row = conn.execute(select(tables.outbox)).one()
    assert row.published_at is None
    assert row.attempts == 1
    assert "unroutable" in row.last_error


def test_relay_recovers_from_closed_connections_and_loses_nothing(database, broker, broker_url):
    engine, tables, _ = database
    total = 300
    with session_factory(engine)() as session:
        for index in range(total):
            add_message(
                session,
                tables.outbox,
                "intake",
                "letter.registered",
                1,
                registered_payload(f"Laiškas nr. {index}"),
                "corr",
            )
        session.commit()
    relay = OutboxRelay(engine, tables.outbox, ConfirmingAmqpPublisher(broker_url), batch_size=50)
    stop = threading.Event()
    thread = threading.Thread(target=relay.run_forever, args=(stop,), daemon=True)
    thread.start()
    close_broker_connections(broker_url)

    def unsent() -> int:
        with engine.connect() as conn:
            return len(
                conn.execute(
                    select(tables.outbox.c.id).where(tables.outbox.c.published_at.is_(None))
                ).all()
            )

    wait_for(lambda: unsent() == 0, timeout=60, what="empty outbox")
    stop.set()
    thread.join(10)
    with Connection(broker_url) as connection:
        ids = {m.properties["message_id"] for m in drain(connection, "routing.messages")}
    assert len(ids) == total


class WorkerHarness:
    """A real Worker consuming intake's queue in a thread."""

    def __init__(self, engine: Engine, tables: Any, effects: Table, broker_url: str) -> None:
        sessions = session_factory(engine)
        self.engine, self.effects = engine, effects
        # Departments whose messages fail; emptying it is "the fix" before a replay.
        self.failing = {"POISON"}

        def routed(uow: UnitOfWork, message: ReceivedMessage) -> None:
            if message.payload.department_code in self.failing:
                raise RuntimeError("this department code always fails")
            uow.session.execute(
                insert(effects).values(
                    letter_id=str(message.payload.letter_id),
                    department=message.payload.department_code,
                )
            )

        handling = MessageHandling(
            {("letter.routed", 1): routed},
            lambda: UnitOfWork(sessions, tables, "intake"),
            DELIVERY_LIMIT,
        )
        self.worker = Worker(
            Connection(broker_url, transport_options={"confirm_publish": True}),
            "intake",
            handling,
            prefetch=10,
            delivery_limit=DELIVERY_LIMIT,
        )
        self.thread = threading.Thread(target=self.worker.run, daemon=True)

    def __enter__(self) -> WorkerHarness:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.worker.should_stop = True
        self.thread.join(15)
        self.worker.connection.release()

    def effects_for(self, letter_id: str) -> list[str]:
        with self.engine.connect() as conn:
            return [
                row.department
                for row in conn.execute(
                    select(self.effects).where(self.effects.c.letter_id == letter_id)
                )
            ]


def publish_routed(
    connection: Connection,
    payload: dict[str, Any],
    message_id: str | None = None,
    raw: bytes | None = None,
) -> str:
    envelope = Envelope(
        type="letter.routed",
        version=1,
        producer="routing",
        payload=payload,
        correlation_id="corr",
        message_id=message_id or str(uuid.uuid4()),
    )
    body = raw if raw is not None else envelope.to_json().encode()
    Producer(connection.channel()).publish(
        body,
        exchange=events_exchange("routing"),
        routing_key="letter.routed.v1",
        message_id=envelope.message_id,
        content_type="application/json",
        content_encoding="utf-8",
        delivery_mode=2,
    )
    return envelope.message_id


def routed_payload(department: str = "COMM") -> dict[str, Any]:
    return {
        "letter_id": str(uuid.uuid4()),
        "registration_number": "R-2026-00007",
        "department_code": department,
        "copy_department_codes": [],
        "due_date": "2026-12-21",
        "routed_at": datetime.now(UTC).isoformat(),
    }


def test_worker_handles_a_redelivered_message_once(database, broker, broker_url):
    engine, tables, effects = database
    payload = routed_payload()
    with WorkerHarness(engine, tables, effects, broker_url) as harness:
        message_id = publish_routed(broker, payload)
        publish_routed(broker, payload, message_id=message_id)
        wait_for(lambda: harness.effects_for(payload["letter_id"]), what="handled")
        marker = routed_payload()
        publish_routed(broker, marker)
        wait_for(lambda: harness.effects_for(marker["letter_id"]), what="marker handled")
        assert harness.effects_for(payload["letter_id"]) == ["COMM"]


def test_invalid_payload_goes_straight_to_the_dead_letter_queue(database, broker, broker_url):
    engine, tables, effects = database
    broken = routed_payload()
    del broken["department_code"]
    with WorkerHarness(engine, tables, effects, broker_url):
        publish_routed(broker, broken)
        publish_routed(broker, {}, raw=b"\xff not json")
        dead = wait_for(
            lambda: (got := drain(broker, "intake.dead-letter")) and got, what="dead letters"
        )
        while len(dead) < 2:
            dead += wait_for(lambda: drain(broker, "intake.dead-letter"), what="second")
    reasons = sorted(m.headers[REASON_HEADER] for m in dead)
    assert "department_code" in reasons[0] or "department_code" in reasons[1]
    assert any("not UTF-8 JSON" in reason for reason in reasons)
    assert {m.headers["x-chancery-original-routing-key"] for m in dead} == {"letter.routed.v1"}
    # Straight to the dead-letter queue: the first delivery, no retries.
    assert all(m.headers.get("x-delivery-count", 0) == 0 for m in dead)


def test_poison_message_is_dead_lettered_after_the_delivery_limit(database, broker, broker_url):
    engine, tables, effects = database
    poison = routed_payload("POISON")
    with WorkerHarness(engine, tables, effects, broker_url) as harness:
        publish_routed(broker, poison)
        dead = wait_for(lambda: drain(broker, "intake.dead-letter"), what="poison dead-lettered")
        healthy = routed_payload()
        publish_routed(broker, healthy)
        wait_for(lambda: harness.effects_for(healthy["letter_id"]), what="queue moves on")
    assert len(dead) == 1
    reason = dead[0].headers[REASON_HEADER]
    assert "always fails" in reason
    assert f"after {DELIVERY_LIMIT} attempts" in reason
    assert harness.effects_for(poison["letter_id"]) == []


def test_worker_resumes_after_the_broker_closes_its_connection(database, broker, broker_url):
    engine, tables, effects = database
    with WorkerHarness(engine, tables, effects, broker_url) as harness:
        first = routed_payload()
        publish_routed(broker, first)
        wait_for(lambda: harness.effects_for(first["letter_id"]), what="first")
        close_broker_connections(broker_url)
        second = routed_payload("URBAN")
        with Connection(broker_url) as fresh:
            publish_routed(fresh, second)
        wait_for(
            lambda: harness.effects_for(second["letter_id"]),
            timeout=40,
            what="handled after reconnect",
        )


def test_an_operator_lists_dead_letters_and_replays_one_after_the_fix(database, broker, broker_url):
    engine, tables, effects = database
    poison, broken = routed_payload("POISON"), routed_payload()
    del broken["department_code"]
    with WorkerHarness(engine, tables, effects, broker_url) as harness:
        poison_id = publish_routed(broker, poison)
        publish_routed(broker, broken)
        listed = wait_for(
            lambda: (found := list_dead_letters(broker, "intake")) and len(found) == 2 and found,
            what="two dead letters",
        )
        # Listing takes nothing away.
        assert len(list_dead_letters(broker, "intake")) == 2
        # Returned messages count again once the broker has put them back.
        wait_for(lambda: dead_letter_depth(broker, "intake") == 2, what="depth of two")
        by_id = {letter.message_id: letter for letter in listed}
        assert "always fails" in by_id[poison_id].reason
        assert by_id[poison_id].routing_key == "letter.routed.v1"
        assert by_id[poison_id].message_type == "letter.routed"
        assert by_id[poison_id].replayed == 0

        harness.failing.clear()
        assert replay_dead_letters(broker, "intake", [poison_id]) == 1
        wait_for(lambda: harness.effects_for(poison["letter_id"]), what="replayed and handled")
    [left] = list_dead_letters(broker, "intake")
    wait_for(lambda: dead_letter_depth(broker, "intake") == 1, what="depth of one")
    assert left.message_id != poison_id
    assert "department_code" in left.reason
    assert harness.effects_for(poison["letter_id"]) == ["POISON"]
