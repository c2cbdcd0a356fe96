"""The transactional outbox: messages written with the state change that causes them.

:func:`prepare_message` checks a payload against its contract
(:func:`prepare_checked_message` only dumps one its producer's edge already
held to the same rules, decision 66) and
:func:`write_to_outbox` adds it in the caller's transaction, capturing the
current trace context so the relay's publish span continues the request's trace.
:class:`OutboxRelay` publishes unsent rows, polling for ``published_at IS
NULL`` (never a cursor: a row whose transaction commits late would be
skipped) and marks them sent only after the broker confirmed them; a
confirmed row's secret fields (a citizen's access code) are blanked then.
Published rows are purged after a while (:mod:`chancery.retention`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import (
    Engine,
    Insert,
    String,
    Table,
    Text,
    bindparam,
    column,
    func,
    insert,
    select,
    update,
    values,
)
from sqlalchemy.orm import Session

from chancery.clock import utcnow
from chancery.messages.catalogue import REDACTED, contract, has_secrets
from chancery.messages.envelope import Envelope
from chancery.metrics import MESSAGES_PUBLISHED, OUTBOX_LAG
from chancery.shapes import same_named
from chancery.telemetry import messaging_attributes

log = logging.getLogger(__name__)
tracer = trace.get_tracer("chancery.outbox")


def prepare_message(
    producer: str,
    message_type: str,
    version: int,
    payload: dict[str, Any],
    correlation_id: str,
    causation_id: str | None = None,
) -> Envelope:
    """An envelope whose payload was dumped and checked against its contract.

    Dumping through the contract's schema turns dates and ids into JSON; the
    check means a producer cannot send what its consumers cannot read.
    """
    envelope = prepare_checked_message(
        producer, message_type, version, payload, correlation_id, causation_id
    )
    errors = contract(message_type, version).payload_schema.validate(envelope.payload)
    if errors:
        raise ValueError(f"{message_type} v{version} payload does not match its contract: {errors}")
    return envelope


def prepare_checked_message(
    producer: str,
    message_type: str,
    version: int,
    payload: dict[str, Any],
    correlation_id: str,
    causation_id: str | None = None,
) -> Envelope:
    """An envelope for a payload already held to its contract's rules: dumped, not checked again.

    Only for a payload built from a request the edge validated by rules at
    least as strict as the contract's, plus values the producer makes itself
    (ids, times, numbers). The producer keeps tests that say so: one that its
    edge's rules cover the contract's, and one that every message it builds
    from valid requests passes the contract (intake's registration,
    decision 66). Checking it again cost a registration about a quarter of its CPU.
    """
    return Envelope(
        type=message_type,
        version=version,
        producer=producer,
        payload=_dumped(producer, message_type, version, payload),
        correlation_id=correlation_id,
        causation_id=causation_id,
    )


def _dumped(
    producer: str, message_type: str, version: int, payload: dict[str, Any]
) -> dict[str, Any]:
    entry = contract(message_type, version)
    if not entry.may_be_sent_by(producer):
        raise ValueError(f"{producer} does not produce {message_type} v{version}")
    dumped: dict[str, Any] = entry.payload_schema.dump(payload)
    return dumped


def write_to_outbox(session: Session, table: Table, envelope: Envelope) -> None:
    """Add a prepared message to the outbox in ``session``, with the current trace context."""
    session.connection().execute(_insert_into(table), outbox_row(envelope))


def add_message(
    session: Session,
    table: Table,
    producer: str,
    message_type: str,
    version: int,
    payload: dict[str, Any],
    correlation_id: str,
    causation_id: str | None = None,
) -> Envelope:
    """Check a message against its contract and write it to the outbox in ``session``."""
    envelope = prepare_message(
        producer, message_type, version, payload, correlation_id, causation_id
    )
    write_to_outbox(session, table, envelope)
    return envelope


def outbox_row(envelope: Envelope) -> dict[str, Any]:
    """The outbox row of a message, carrying the current trace context for the relay."""
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return {
        "id": envelope.message_id,
        "exchange": contract(envelope.type, envelope.version).exchange,
        "routing_key": envelope.routing_key,
        "message_type": envelope.type,
        "body": envelope.to_json(),
        "headers": headers,
        "created_at": envelope.occurred_at,
    }


@functools.cache
def _insert_into(table: Table) -> Insert:
    return insert(table)


@dataclass(frozen=True)
class OutgoingMessage:
    """An outbox row on its way to the broker."""

    id: str
    exchange: str
    routing_key: str
    message_type: str
    body: bytes
    headers: dict[str, str]


class Publisher(Protocol):
    """Publishes a batch and says, per message id, what went wrong (absent = confirmed)."""

    def publish(self, messages: Sequence[OutgoingMessage]) -> dict[str, str]:
        """Publish all; return ``{message_id: error}`` for those not confirmed."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class OutboxRelay:
    """Moves committed outbox rows to the broker, at least once."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        publisher: Publisher,
        batch_size: int = 500,
        idle_seconds: float = 0.05,
        service: str = "unknown",
    ) -> None:
        self._service = service
        self._engine = engine
        self._table = table
        self._publisher = publisher
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._locking = engine.dialect.name == "postgresql"

    def run_once(self) -> int:
        """Publish one batch of unsent rows; return how many were confirmed."""
        with Session(self._engine) as session, session.begin():
            rows = self._claim(session)
            if not rows:
                return 0
            messages = [self._outgoing(row) for row in rows]
            failures = self._publish_traced(messages)
            self._record(session, messages, failures)
        MESSAGES_PUBLISHED.labels(self._service).inc(len(messages) - len(failures))
        return len(messages) - len(failures)

    def measure_lag(self) -> float:
        """Record and return the age of the oldest unsent row (the outbox lag)."""
        with Session(self._engine) as session:
            lag = oldest_unsent_age(session, self._table)
        OUTBOX_LAG.labels(self._service).set(lag)
        return lag

    def run_forever(
        self,
        stop: threading.Event,
        on_error: Callable[[Exception], None] | None = None,
        on_turn: Callable[[], None] = lambda: None,
    ) -> None:
        """Publish until ``stop`` is set; back off briefly after errors.

        ``on_turn`` is called at every turn of the loop, failed ones included: the
        loop is alive while it retries (:class:`chancery.liveness.Heartbeat`).
        """
        next_lag_check = 0.0
        while not stop.is_set():
            on_turn()
            if time.monotonic() >= next_lag_check:
                with contextlib.suppress(Exception):
                    self.measure_lag()
                next_lag_check = time.monotonic() + 5.0
            try:
                sent = self.run_once()
            except Exception as exc:
                log.exception("outbox relay batch failed")
                if on_error:
                    on_error(exc)
                self._publisher.close()
                stop.wait(1.0)
                continue
            if sent < self._batch_size:
                stop.wait(self._idle_seconds)

    def _claim(self, session: Session) -> list[Any]:
        query = (
            select(self._table)
            .where(self._table.c.published_at.is_(None))
            .order_by(self._table.c.created_at)
            .limit(self._batch_size)
        )
        if self._locking:
            # Several relays may run; SKIP LOCKED gives each its own rows.
            query = query.with_for_update(skip_locked=True)
        return list(session.execute(query))

    @staticmethod
    def _outgoing(row: Any) -> OutgoingMessage:
        return OutgoingMessage(
            **same_named(row, ("id", "exchange", "routing_key", "message_type")),
            body=row.body.encode("utf-8"),
            headers=dict(row.headers or {}),
        )

    def _publish_traced(self, messages: list[OutgoingMessage]) -> dict[str, str]:
        spans = []
        for message in messages:
            span = tracer.start_span(
                f"{message.exchange} publish",
                context=propagate.extract(message.headers),
                kind=SpanKind.PRODUCER,
                attributes=messaging_attributes(
                    message.exchange, message.routing_key, message.id, "publish"
                ),
            )
            spans.append(span)
            # The headers sent name the producer span as the consumer's parent.
            propagate.inject(message.headers, context=trace.set_span_in_context(span))
        try:
            failures = self._publisher.publish(messages)
        except Exception as exc:
            failures = {m.id: f"{type(exc).__name__}: {exc}" for m in messages}
            for span in spans:
                span.record_exception(exc)
            raise
        finally:
            for message, span in zip(messages, spans, strict=True):
                if message.id in failures:
                    span.set_status(trace.Status(trace.StatusCode.ERROR, failures[message.id]))
                span.end()
        return failures

    def _record(
        self, session: Session, messages: list[OutgoingMessage], failures: dict[str, str]
    ) -> None:
        sent = [m for m in messages if m.id not in failures]
        if sent:
            self._mark_sent(session, sent, utcnow())
        for message_id, error in failures.items():
            log.warning(
                "outbox message not confirmed", extra={"message_id": message_id, "error": error}
            )
            session.execute(
                update(self._table)
                .where(self._table.c.id == message_id)
                .values(attempts=self._table.c.attempts + 1, last_error=error[:2000])
            )

    def _mark_sent(self, session: Session, sent: list[OutgoingMessage], now: datetime) -> None:
        """Mark confirmed rows sent and blank their secrets: handed over, no longer needed."""
        table = self._table
        mark = {"published_at": now, "attempts": table.c.attempts + 1}
        redacted = {m.id: redacted_body(m.body) for m in sent if has_secrets(m.message_type)}
        if not redacted:
            session.execute(
                update(table).where(table.c.id.in_([m.id for m in sent])).values(**mark)
            )
        elif self._locking:
            # PostgreSQL: one UPDATE ... FROM (VALUES ...), so each row is written once.
            rows = values(column("row_id", String), column("redacted", Text), name="sent").data(
                [(m.id, redacted.get(m.id)) for m in sent]
            )
            session.execute(
                update(table)
                .where(table.c.id == rows.c.row_id)
                .values(**mark, body=func.coalesce(rows.c.redacted, table.c.body))
            )
        else:
            # SQLite names no columns of a VALUES list: one statement per redacted row.
            session.execute(
                update(table).where(table.c.id.in_([m.id for m in sent])).values(**mark)
            )
            session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(body=bindparam("redacted")),
                [{"row_id": key, "redacted": body} for key, body in redacted.items()],
            )


def redacted_body(body: bytes | str) -> str:
    """A message body whose payload's secret fields (see the catalogue) are blanked."""
    document = json.loads(body)
    payload = document["payload"]
    for name in contract(document["type"], document["version"]).secret_fields:
        value = payload.get(name)
        if isinstance(value, dict):
            # Keys stay (whose secret it was), the secrets go.
            payload[name] = dict.fromkeys(value, REDACTED)
        elif value is not None:
            payload[name] = REDACTED
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def oldest_unsent_age(session: Session, table: Table, now: datetime | None = None) -> float:
    """Seconds since the oldest unsent row was written (0 when none): the outbox lag."""
    oldest = session.execute(
        select(func.min(table.c.created_at)).where(table.c.published_at.is_(None))
    ).scalar()
    if oldest is None:
        return 0.0
    return max(0.0, float(((now or utcnow()) - oldest).total_seconds()))
