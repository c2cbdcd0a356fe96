"""Tests for the transactional outbox and its relay, on a real SQLite file."""

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.messages.outbox import (
    OutboxRelay,
    OutgoingMessage,
    add_message,
    oldest_unsent_age,
    prepare_checked_message,
    prepare_message,
)


class FakePublisher:
    """Records batches; fails the ids it is told to, or raises on every publish."""

    def __init__(self, fail: dict[str, str] | None = None, raises: Exception | None = None):
        self.fail = dict(fail or {})
        self.raises = raises
        self.batches: list[list[OutgoingMessage]] = []
        self.closed = 0

    def publish(self, messages: Sequence[OutgoingMessage]) -> dict[str, str]:
        self.batches.append(list(messages))
        if self.raises is not None:
            raise self.raises
        return {m.id: self.fail[m.id] for m in messages if m.id in self.fail}

    def close(self) -> None:
        self.closed += 1

    @property
    def published_ids(self) -> list[str]:
        return [m.id for batch in self.batches for m in batch]


def _routed(**changes: object) -> dict:
    payload = {
        "letter_id": uuid.uuid4(),
        "registration_number": f"GAU-2026-{uuid.uuid4().int % 100000:05d}",
        "department_code": "URBAN",
        "copy_department_codes": ["COMM"],
        "due_date": datetime(2026, 12, 18).date(),
        "rule": "Šiaulių gatvės apšvietimas",
        "routed_at": datetime(2026, 11, 20, 7, 21, tzinfo=UTC),
    }
    payload.update(changes)
    return payload


def _registered() -> dict:
    return {
        "letter_id": uuid.uuid4(),
        "registration_number": "GAU-2026-00017",
        "register": "incoming",
        "kind": "complaint",
        "channel": "post",
        "language": "lv",
        "subject": "Sūdzība par Ķīšezera krastu",
        "addressee": {"kind": "council_chair"},
        "sender": {"type": "person", "name": "Jānis Bērziņš"},
        "confidentiality": "normal",
        "received_at": datetime(2026, 11, 20, 7, 0, tzinfo=UTC),
        "registered_at": datetime(2026, 11, 20, 7, 5, tzinfo=UTC),
        "status_lookup_code": "B3R-Z1N",
        "municipality": "daugavpils",
    }


def _write(db, producer: str, message_type: str, payload: dict, correlation_id: str) -> str:
    """Add one v1 message to the outbox and commit; its message id."""
    with Session(db.engine) as session:
        envelope = add_message(
            session, db.tables.outbox, producer, message_type, 1, payload, correlation_id
        )
        session.commit()
    return envelope.message_id


def _write_routed(db, **changes: object) -> str:
    return _write(db, "routing", "letter.routed", _routed(**changes), str(uuid.uuid4()))


def _rows(db) -> dict[str, object]:
    with Session(db.engine) as session:
        return {row.id: row for row in session.execute(select(db.tables.outbox))}


# --- write_to_outbox ------------------------------------------------------------------------


def test_write_stores_routing_key_exchange_and_body(db) -> None:
    payload = _registered()
    correlation = str(uuid.uuid4())
    message_id = _write(db, "intake", "letter.registered", payload, correlation)
    row = _rows(db)[message_id]
    assert row.routing_key == "letter.registered.v1"
    assert row.exchange == "intake.events"
    assert row.message_type == "letter.registered"
    assert row.published_at is None
    assert row.attempts == 0
    body = json.loads(row.body)
    assert body["correlation_id"] == correlation
    assert body["payload"]["letter_id"] == str(payload["letter_id"])
    assert body["payload"]["received_at"] == "2026-11-20T07:00:00+00:00"
    assert body["payload"]["sender"]["name"] == "Jānis Bērziņš"
    assert "Sūdzība par Ķīšezera krastu" in row.body


def test_write_is_part_of_the_callers_transaction(db) -> None:
    with Session(db.engine) as session:
        add_message(
            session, db.tables.outbox, "routing", "letter.routed", 1, _routed(), correlation_id="c"
        )
        session.rollback()
    assert _rows(db) == {}


def test_write_rejects_payload_missing_a_required_field(db) -> None:
    payload = _routed()
    del payload["department_code"]
    with Session(db.engine) as session, pytest.raises(ValueError, match="department_code"):
        add_message(
            session, db.tables.outbox, "routing", "letter.routed", 1, payload, correlation_id="c"
        )


def test_write_rejects_payload_with_a_value_breaking_its_contract(db) -> None:
    payload = {**_registered(), "kind": "petition"}
    with Session(db.engine) as session, pytest.raises(ValueError, match="'kind'"):
        add_message(
            session, db.tables.outbox, "intake", "letter.registered", 1, payload, correlation_id="c"
        )


def test_write_rejects_a_letter_id_that_is_not_a_uuid(db) -> None:
    with (
        Session(db.engine) as session,
        pytest.raises(ValueError, match=r"letter_id.*Not a valid UUID"),
    ):
        add_message(
            session,
            db.tables.outbox,
            "routing",
            "letter.routed",
            1,
            _routed(letter_id="Ona-Žemaitytė"),
            correlation_id="c",
        )


def test_write_rejects_a_producer_that_does_not_own_the_type(db) -> None:
    with (
        Session(db.engine) as session,
        pytest.raises(ValueError, match=r"intake does not produce letter\.routed v1"),
    ):
        add_message(
            session, db.tables.outbox, "intake", "letter.routed", 1, _routed(), correlation_id="c"
        )


def test_a_checked_message_is_dumped_as_a_validated_one_would_be() -> None:
    payload = _registered()
    checked = prepare_checked_message("intake", "letter.registered", 1, payload, "c")
    validated = prepare_message("intake", "letter.registered", 1, payload, "c")
    assert checked.payload == validated.payload
    assert checked.payload["received_at"] == "2026-11-20T07:00:00+00:00"


def test_a_checked_message_still_belongs_to_its_producer() -> None:
    with pytest.raises(ValueError, match=r"intake does not produce letter\.routed v1"):
        prepare_checked_message("intake", "letter.routed", 1, _routed(), "c")


def test_write_rejects_an_unknown_type(db) -> None:
    with Session(db.engine) as session, pytest.raises(KeyError, match=r"letter\.routed v9"):
        add_message(
            session, db.tables.outbox, "routing", "letter.routed", 9, _routed(), correlation_id="c"
        )


def test_write_without_a_span_stores_no_traceparent(db) -> None:
    message_id = _write_routed(db)
    assert "traceparent" not in _rows(db)[message_id].headers


def test_write_stores_the_w3c_traceparent_of_the_active_span(db) -> None:
    provider = TracerProvider()
    tracer = provider.get_tracer("test_outbox")
    with tracer.start_as_current_span("register letter") as span:
        message_id = _write_routed(db)
        context = span.get_span_context()
    provider.shutdown()
    traceparent = _rows(db)[message_id].headers["traceparent"]
    version, trace_id, span_id, flags = traceparent.split("-")
    assert version == "00"
    assert trace_id == f"{context.trace_id:032x}"
    assert span_id == f"{context.span_id:016x}"
    assert int(flags, 16) & 0x01 == 0x01  # sampled


# --- OutboxRelay --------------------------------------------------------------------------


def test_relay_publishes_and_marks_confirmed_rows(db) -> None:
    ids = [_write_routed(db) for _ in range(3)]
    publisher = FakePublisher()
    assert OutboxRelay(db.engine, db.tables.outbox, publisher).run_once() == 3
    assert sorted(publisher.published_ids) == sorted(ids)
    rows = _rows(db)
    for message_id in ids:
        assert rows[message_id].published_at is not None
        assert rows[message_id].attempts == 1
        assert rows[message_id].last_error is None


def test_relay_sends_the_stored_body_exchange_and_key(db) -> None:
    message_id = _write_routed(db, rule="ნინო ბერიძის წერილი")
    publisher = FakePublisher()
    OutboxRelay(db.engine, db.tables.outbox, publisher).run_once()
    [message] = publisher.batches[0]
    assert message.id == message_id
    assert message.exchange == "routing.events"
    assert message.routing_key == "letter.routed.v1"
    assert message.message_type == "letter.routed"
    assert message.body == _rows(db)[message_id].body.encode("utf-8")
    assert "ნინო ბერიძის წერილი".encode() in message.body


def test_relay_leaves_failed_rows_unsent_with_the_error(db) -> None:
    sent, failed = _write_routed(db), _write_routed(db)
    publisher = FakePublisher(fail={failed: "nacked by the broker"})
    assert OutboxRelay(db.engine, db.tables.outbox, publisher).run_once() == 1
    rows = _rows(db)
    assert rows[sent].published_at is not None
    assert rows[failed].published_at is None
    assert rows[failed].attempts == 1
    assert rows[failed].last_error == "nacked by the broker"


def test_relay_retries_failed_rows_on_the_next_run(db) -> None:
    failed = _write_routed(db)
    publisher = FakePublisher(fail={failed: "unroutable"})
    relay = OutboxRelay(db.engine, db.tables.outbox, publisher)
    relay.run_once()
    publisher.fail.clear()
    assert relay.run_once() == 1
    row = _rows(db)[failed]
    assert row.published_at is not None
    assert row.attempts == 2
    assert publisher.published_ids == [failed, failed]


def test_relay_with_a_raising_publisher_leaves_every_row_unsent(db) -> None:
    ids = [_write_routed(db) for _ in range(2)]
    publisher = FakePublisher(raises=ConnectionError("broker unreachable"))
    relay = OutboxRelay(db.engine, db.tables.outbox, publisher)
    with pytest.raises(ConnectionError, match="broker unreachable"):
        relay.run_once()
    rows = _rows(db)
    assert all(rows[message_id].published_at is None for message_id in ids)
    assert all(rows[message_id].attempts == 0 for message_id in ids)


def test_relay_with_nothing_to_send_does_not_publish(db) -> None:
    publisher = FakePublisher()
    assert OutboxRelay(db.engine, db.tables.outbox, publisher).run_once() == 0
    assert publisher.batches == []


def test_relay_polls_so_a_later_row_is_published_by_the_next_run(db) -> None:
    first = _write_routed(db)
    publisher = FakePublisher()
    relay = OutboxRelay(db.engine, db.tables.outbox, publisher)
    assert relay.run_once() == 1
    second = _write_routed(db)
    assert relay.run_once() == 1
    assert publisher.published_ids == [first, second]
    assert relay.run_once() == 0


def test_relay_batches_by_batch_size_in_creation_order(db) -> None:
    ids = [_write_routed(db) for _ in range(5)]
    publisher = FakePublisher()
    relay = OutboxRelay(db.engine, db.tables.outbox, publisher, batch_size=2)
    assert [relay.run_once() for _ in range(4)] == [2, 2, 1, 0]
    assert [len(batch) for batch in publisher.batches] == [2, 2, 1]
    assert publisher.published_ids == ids


def _write_registered(db) -> str:
    return _write(db, "intake", "letter.registered", _registered(), str(uuid.uuid4()))


def test_relay_publishes_the_access_code_then_blanks_it_in_the_outbox(db) -> None:
    message_id = _write_registered(db)
    publisher = FakePublisher()
    OutboxRelay(db.engine, db.tables.outbox, publisher).run_once()
    [message] = publisher.batches[0]
    assert json.loads(message.body)["payload"]["status_lookup_code"] == "B3R-Z1N"

    stored = _rows(db)[message_id]
    assert "B3R-Z1N" not in stored.body
    body = json.loads(stored.body)
    assert body["payload"]["status_lookup_code"] == "[redacted]"
    assert body["payload"]["subject"] == "Sūdzība par Ķīšezera krastu"
    assert body["message_id"] == message_id


def test_an_unconfirmed_message_keeps_its_code_for_the_next_try(db) -> None:
    message_id = _write_registered(db)
    relay = OutboxRelay(db.engine, db.tables.outbox, FakePublisher(fail={message_id: "nack"}))
    relay.run_once()
    assert "B3R-Z1N" in _rows(db)[message_id].body


# --- oldest_unsent_age ----------------------------------------------------------------------


def test_oldest_unsent_age_is_zero_without_rows(db) -> None:
    with Session(db.engine) as session:
        assert oldest_unsent_age(session, db.tables.outbox, now=utcnow()) == 0.0


def test_oldest_unsent_age_counts_from_the_oldest_unsent_row(db) -> None:
    message_id = _write_routed(db)
    created = _rows(db)[message_id].created_at
    with Session(db.engine) as session:
        age = oldest_unsent_age(session, db.tables.outbox, now=created + timedelta(seconds=42))
    assert age == pytest.approx(42.0)


def test_oldest_unsent_age_ignores_published_rows(db) -> None:
    message_id = _write_routed(db)
    created = _rows(db)[message_id].created_at
    OutboxRelay(db.engine, db.tables.outbox, FakePublisher()).run_once()
    with Session(db.engine) as session:
        assert (
            oldest_unsent_age(session, db.tables.outbox, now=created + timedelta(minutes=5)) == 0.0
        )


def test_the_relay_loop_beats_at_every_turn_failed_ones_included(db) -> None:
    import threading

    _write_routed(db)
    turns: list[int] = []
    stop = threading.Event()

    def turned() -> None:
        turns.append(1)
        if len(turns) >= 2:
            stop.set()

    relay = OutboxRelay(
        db.engine,
        db.tables.outbox,
        FakePublisher(raises=ConnectionError("broker away")),
        10,
        0.0,
        "routing",
    )
    relay.run_forever(stop, on_turn=turned)
    assert len(turns) == 2, "a relay retrying a broker that is away is alive, and says so"
