"""Tests for MessageHandling: the inbox, payload validation and the retry budget."""

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, Date, Engine, String, Table, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from chancery.db import (
    PlatformTables,
    UnitOfWork,
    is_database_unavailable,
    make_base,
    make_engine,
    platform_tables,
    session_factory,
)
from chancery.messages.consumer import (
    Decision,
    MessageHandling,
    Outcome,
    ReceivedMessage,
)
from chancery.messages.envelope import Envelope, InvalidMessage

DELIVERY_LIMIT = 3


@dataclass
class Database:
    engine: Engine
    tables: PlatformTables
    routed: Table

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(session_factory(self.engine), self.tables, producer="intake")

    def routed_rows(self) -> list[tuple]:
        with self.engine.connect() as conn:
            return [
                tuple(row)
                for row in conn.execute(
                    select(
                        self.routed.c.letter_id,
                        self.routed.c.department_code,
                        self.routed.c.due_date,
                    )
                )
            ]

    def inbox_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(self.tables.inbox.c.message_id)).scalars())


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.sqlite3'}")
    base = make_base()
    tables = platform_tables(base.metadata)
    routed = Table(
        "routed_letters",
        base.metadata,
        Column("letter_id", String(36), primary_key=True),
        Column("department_code", String(50), nullable=False),
        Column("due_date", Date, nullable=False),
    )
    base.metadata.create_all(engine)
    yield Database(engine, tables, routed)
    engine.dispose()


def _record_routing(db: Database) -> Callable[[UnitOfWork, ReceivedMessage], None]:
    def handle(uow: UnitOfWork, message: ReceivedMessage) -> None:
        uow.session.execute(
            insert(db.routed).values(
                letter_id=str(message.payload.letter_id),
                department_code=message.payload.department_code,
                due_date=message.payload.due_date,
            )
        )

    return handle


def _failing_after_effect(
    db: Database, error: Exception
) -> Callable[[UnitOfWork, ReceivedMessage], None]:
    record = _record_routing(db)

    def handle(uow: UnitOfWork, message: ReceivedMessage) -> None:
        record(uow, message)
        raise error

    return handle


def _handling(
    db: Database, handler: Callable[[UnitOfWork, ReceivedMessage], None]
) -> MessageHandling:
    return MessageHandling({("letter.routed", 1): handler}, db.unit_of_work, DELIVERY_LIMIT)


def _payload(**changes: object) -> dict:
    payload = {
        "letter_id": str(uuid.uuid4()),
        "registration_number": "შ-2026-00005",
        "department_code": "COMM",
        "copy_department_codes": [],
        "due_date": "2026-12-18",
        "rule": "ნინო ბერიძე: მოწვევა დელეგაციაში",
        "routed_at": "2026-11-20T09:21:00+04:00",
    }
    payload.update(changes)
    return payload


def _body(
    payload: dict | None = None, message_type: str = "letter.routed", version: int = 1
) -> bytes:
    envelope = Envelope(
        type=message_type,
        version=version,
        producer="routing",
        payload=_payload() if payload is None else payload,
        correlation_id=str(uuid.uuid4()),
    )
    return envelope.to_json().encode("utf-8")


def test_handles_a_message_and_commits_its_effect(db: Database) -> None:
    payload = _payload(department_code="URBAN")
    body = _body(payload)
    assert _handling(db, _record_routing(db)).handle(body) == Decision(Outcome.HANDLED)
    assert db.routed_rows() == [(payload["letter_id"], "URBAN", date(2026, 12, 18))]
    assert db.inbox_ids() == [json.loads(body)["message_id"]]


def test_same_body_twice_is_a_duplicate_with_one_effect(db: Database) -> None:
    handling = _handling(db, _record_routing(db))
    body = _body()
    assert handling.handle(body).outcome is Outcome.HANDLED
    assert handling.handle(body) == Decision(Outcome.DUPLICATE)
    assert len(db.routed_rows()) == 1
    assert len(db.inbox_ids()) == 1


def test_handler_sees_the_validated_payload(db: Database) -> None:
    seen: list[ReceivedMessage] = []
    body = _body()
    _handling(db, lambda uow, message: seen.append(message)).handle(body)
    [message] = seen
    assert message.message_id == json.loads(body)["message_id"]
    assert isinstance(message.payload.letter_id, uuid.UUID)
    assert message.payload.due_date == date(2026, 12, 18)
    assert message.payload.routed_at == datetime(2026, 11, 20, 5, 21, tzinfo=UTC)
    assert message.payload.rule == "ნინო ბერიძე: მოწვევა დელეგაციაში"


def test_invalid_json_is_dead_lettered_with_the_reason(db: Database) -> None:
    decision = _handling(db, _record_routing(db)).handle(b'{"type": "letter.routed",')
    assert decision.outcome is Outcome.DEAD_LETTER
    assert decision.reason is not None
    assert decision.reason.startswith("body is not UTF-8 JSON")
    assert db.inbox_ids() == []


def test_unknown_type_is_dead_lettered_for_want_of_a_handler(db: Database) -> None:
    body = _body({"letter_id": str(uuid.uuid4())}, message_type="letter.archived")
    decision = _handling(db, _record_routing(db)).handle(body)
    assert decision == Decision(Outcome.DEAD_LETTER, "no handler for letter.archived v1")


def test_unknown_version_is_dead_lettered_for_want_of_a_handler(db: Database) -> None:
    decision = _handling(db, _record_routing(db)).handle(_body(version=2))
    assert decision == Decision(Outcome.DEAD_LETTER, "no handler for letter.routed v2")


def test_payload_missing_a_required_field_is_dead_lettered_naming_it(db: Database) -> None:
    payload = _payload()
    del payload["due_date"]
    decision = _handling(db, _record_routing(db)).handle(_body(payload))
    assert decision.outcome is Outcome.DEAD_LETTER
    assert decision.reason == (
        "invalid letter.routed v1 payload: {'due_date': ['Missing data for required field.']}"
    )
    assert db.routed_rows() == []


def test_payload_with_unknown_fields_is_handled(db: Database) -> None:
    body = _body(_payload(priority="Përshëndetje nga Vlora"))
    assert _handling(db, _record_routing(db)).handle(body).outcome is Outcome.HANDLED


@pytest.mark.parametrize("previous_deliveries", range(DELIVERY_LIMIT - 1))
def test_failing_handler_is_retried_below_the_limit(db: Database, previous_deliveries: int) -> None:
    handling = _handling(db, _failing_after_effect(db, RuntimeError("Ķīšezers is locked")))
    decision = handling.handle(_body(), previous_deliveries=previous_deliveries)
    assert decision == Decision(Outcome.RETRY, "handler failed: RuntimeError: Ķīšezers is locked")


def test_failing_handler_is_dead_lettered_at_the_limit(db: Database) -> None:
    handling = _handling(db, _failing_after_effect(db, RuntimeError("Ķīšezers is locked")))
    decision = handling.handle(_body(), previous_deliveries=DELIVERY_LIMIT - 1)
    assert decision.outcome is Outcome.DEAD_LETTER
    assert decision.reason == (
        f"handler failed: RuntimeError: Ķīšezers is locked (after {DELIVERY_LIMIT} attempts)"
    )


def test_failing_handler_leaves_no_effect_and_no_inbox_row(db: Database) -> None:
    handling = _handling(db, _failing_after_effect(db, RuntimeError("boom")))
    assert handling.handle(_body()).outcome is Outcome.RETRY
    assert db.routed_rows() == []
    assert db.inbox_ids() == []


def test_retried_message_is_handled_once_the_handler_recovers(db: Database) -> None:
    body = _body()
    assert (
        _handling(db, _failing_after_effect(db, RuntimeError("boom"))).handle(body).outcome
        is Outcome.RETRY
    )
    decision = _handling(db, _record_routing(db)).handle(body, previous_deliveries=1)
    assert decision.outcome is Outcome.HANDLED
    assert len(db.routed_rows()) == 1


def test_handler_raising_invalid_message_is_dead_lettered_at_once(db: Database) -> None:
    error = InvalidMessage("department ZZZ does not exist in Vlora")
    handling = _handling(db, _failing_after_effect(db, error))
    decision = handling.handle(_body(), previous_deliveries=0)
    assert decision == Decision(Outcome.DEAD_LETTER, "department ZZZ does not exist in Vlora")
    assert db.routed_rows() == []
    assert db.inbox_ids() == []


def test_an_unreachable_database_is_transient_and_never_spends_the_budget(db: Database) -> None:
    down = OperationalError("SELECT 1", {}, Exception("the database system is shutting down"))
    handling = _handling(db, _failing_after_effect(db, down))
    decision = handling.handle(_body(), previous_deliveries=DELIVERY_LIMIT + 3)
    assert decision.outcome is Outcome.RETRY
    assert decision.transient
    assert db.inbox_ids() == []


def test_only_database_outages_are_transient() -> None:
    assert is_database_unavailable(OperationalError("SELECT 1", {}, Exception("refused")))
    assert not is_database_unavailable(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert not is_database_unavailable(RuntimeError("Ķīšezers is locked"))
