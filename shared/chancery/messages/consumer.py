"""Consuming messages: handled once after commit, or dead-lettered with the reason.

:class:`MessageHandling` is the plain core (no broker): it parses the
envelope, validates the payload against the catalogue, records the message
id in the inbox in the same transaction as the handler's effects, and
decides the outcome. :class:`Worker` is the kombu adapter: it consumes the
service's quorum queue with a bounded prefetch, acknowledges only after the
commit, reconnects after broker failures, and publishes dead letters with
their reason to the service's dead-letter exchange.

A database that is down or restarting is not the message's fault: such a
failure is *transient*. The worker then keeps the delivery and tries again
with a growing pause (keeping the broker connection's heartbeats) instead
of returning it, so an outage never spends the message's delivery budget
and never dead-letters a good message.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from kombu import Connection, Producer
from kombu.mixins import ConsumerMixin
from marshmallow import ValidationError
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from chancery.clock import utcnow
from chancery.db import UnitOfWork, describe_error, is_database_unavailable
from chancery.messages.catalogue import contract
from chancery.messages.envelope import Envelope, InvalidMessage
from chancery.messages.topology import (
    dead_letter_exchange,
    declare_topology,
    queue_name,
    work_queue,
)
from chancery.metrics import MESSAGES_CONSUMED, REDELIVERIES
from chancery.telemetry import messaging_attributes

log = logging.getLogger(__name__)
tracer = trace.get_tracer("chancery.consumer")

REASON_HEADER = "x-chancery-dead-letter-reason"


P = TypeVar("P")


@dataclass(frozen=True)
class ReceivedMessage(Generic[P]):
    """A validated message handed to a handler.

    ``payload`` is loaded into its contract's dataclass
    (``ReceivedMessage[LetterRoutedV1]``); the wire form stays in the envelope.
    """

    envelope: Envelope
    payload: P

    @property
    def message_id(self) -> str:
        """The envelope's message id (the inbox key)."""
        return self.envelope.message_id


Handler = Callable[[UnitOfWork, ReceivedMessage[Any]], None]


class Outcome(Enum):
    """What the adapter does with a delivery."""

    HANDLED = "handled"
    DUPLICATE = "duplicate"
    RETRY = "retry"
    DEAD_LETTER = "dead_letter"


@dataclass(frozen=True)
class Decision:
    """An outcome and, for dead letters and retries, why."""

    outcome: Outcome
    reason: str | None = None
    transient: bool = False


class MessageHandling:
    """Runs a service's handlers with the inbox, the catalogue and a retry budget."""

    def __init__(
        self,
        handlers: Mapping[tuple[str, int], Handler],
        unit_of_work: Callable[[], UnitOfWork],
        delivery_limit: int,
    ) -> None:
        self.handlers = dict(handlers)
        self._unit_of_work = unit_of_work
        self._delivery_limit = delivery_limit

    def handle(self, body: bytes, previous_deliveries: int = 0) -> Decision:
        """Handle one delivery; ``previous_deliveries`` counts earlier failed attempts."""
        try:
            message = self.parse(body)
        except InvalidMessage as exc:
            return Decision(Outcome.DEAD_LETTER, str(exc))
        try:
            return self._run(message)
        except InvalidMessage as exc:
            # The handler found the message can never be handled: no retries.
            return Decision(Outcome.DEAD_LETTER, str(exc))
        except Exception as exc:
            reason = f"handler failed: {type(exc).__name__}: {describe_error(exc)}"
            if is_database_unavailable(exc):
                log.warning(
                    "message handler met an unavailable database",
                    extra={"message_id": message.message_id, "reason": reason},
                )
                return Decision(Outcome.RETRY, reason, transient=True)
            log.exception(
                "message handler failed",
                extra={"message_id": message.message_id, "message_type": message.envelope.type},
            )
            if previous_deliveries + 1 >= self._delivery_limit:
                return Decision(
                    Outcome.DEAD_LETTER, f"{reason} (after {previous_deliveries + 1} attempts)"
                )
            return Decision(Outcome.RETRY, reason)

    def parse(self, body: bytes) -> ReceivedMessage[Any]:
        """Envelope and payload, validated; :class:`InvalidMessage` names what is wrong."""
        envelope = Envelope.from_json(body)
        key = (envelope.type, envelope.version)
        if key not in self.handlers:
            raise InvalidMessage(f"no handler for {envelope.type} v{envelope.version}")
        try:
            payload = contract(*key).payload_schema.load(envelope.payload)
        except ValidationError as exc:
            raise InvalidMessage(
                f"invalid {envelope.type} v{envelope.version} payload: {exc.messages}"
            ) from exc
        return ReceivedMessage(envelope=envelope, payload=payload)

    def _run(self, message: ReceivedMessage[Any]) -> Decision:
        with self._unit_of_work() as uow:
            inbox = uow.tables.inbox
            seen = uow.session.execute(
                select(inbox.c.message_id).where(inbox.c.message_id == message.message_id)
            ).first()
            if seen:
                return Decision(Outcome.DUPLICATE)
            uow.session.execute(
                insert(inbox).values(
                    message_id=message.message_id,
                    message_type=message.envelope.type,
                    handled_at=utcnow(),
                )
            )
            self.handlers[(message.envelope.type, message.envelope.version)](uow, message)
            try:
                uow.commit()
            except IntegrityError:
                # A concurrent delivery of the same message committed first.
                uow.rollback()
                if self._already_handled(message.message_id):
                    return Decision(Outcome.DUPLICATE)
                raise
        return Decision(Outcome.HANDLED)

    def _already_handled(self, message_id: str) -> bool:
        with self._unit_of_work() as uow:
            inbox = uow.tables.inbox
            return (
                uow.session.execute(
                    select(inbox.c.message_id).where(inbox.c.message_id == message_id)
                ).first()
                is not None
            )


class Worker(ConsumerMixin):
    """Consumes ``<service>.messages`` and applies :class:`MessageHandling` decisions."""

    def __init__(
        self,
        connection: Connection,
        service: str,
        handling: MessageHandling,
        prefetch: int,
        delivery_limit: int,
        transient_patience: float = 300.0,
        on_turn: Callable[[], None] = lambda: None,
    ) -> None:
        self.connection = connection
        self._on_turn = on_turn
        self._transient_patience = transient_patience
        self._service = service
        self._handling = handling
        self._prefetch = prefetch
        self._delivery_limit = delivery_limit
        # The in-memory transport has no x-delivery-count header; count here.
        self._local_attempts: dict[str, int] = {}

    def get_consumers(self, consumer_class: Any, _channel: Any) -> list[Any]:
        """One consumer on the service's queue, manual acks, bounded prefetch."""
        declare_topology(self.connection, self._delivery_limit)
        return [
            consumer_class(
                queues=[work_queue(self._service, self._delivery_limit)],
                on_message=self.on_message,
                prefetch_count=self._prefetch,
                no_ack=False,
            )
        ]

    def on_iteration(self) -> None:
        """kombu calls this at every turn of the consuming loop (at least once a second)."""
        self._on_turn()

    def on_message(self, message: Any) -> None:
        """Handle one delivery inside a consumer span continuing the producer's trace."""
        headers = dict(message.headers or {})
        info = message.delivery_info or {}
        message_id = (message.properties or {}).get("message_id", "")
        attributes = messaging_attributes(
            info.get("exchange", ""), info.get("routing_key", ""), message_id, "process"
        )
        with tracer.start_as_current_span(
            f"{queue_name(self._service)} process",
            context=propagate.extract(headers),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
        ) as span:
            previous = self._previous_deliveries(message_id, headers)
            if previous:
                REDELIVERIES.labels(self._service).inc()
            body = message.body if isinstance(message.body, bytes) else message.body.encode()
            decision = self._handle_patiently(body, previous)
            span.set_attribute("chancery.outcome", decision.outcome.value)
            MESSAGES_CONSUMED.labels(self._service, decision.outcome.value).inc()
            self._apply(message, message_id, decision, headers)

    def _handle_patiently(self, body: bytes, previous: int) -> Decision:
        """Handle; while the failure is transient, pause and try again (up to the patience)."""
        decision = self._handling.handle(body, previous)
        deadline = time.monotonic() + self._transient_patience
        pause = 0.2
        while decision.transient and time.monotonic() < deadline:
            self._pause(pause)
            pause = min(pause * 2, 5.0)
            decision = self._handling.handle(body, previous)
        return decision

    def _pause(self, seconds: float) -> None:
        # Sleep in short steps, answering the broker's heartbeats meanwhile.
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            time.sleep(min(left, 1.0))
            with contextlib.suppress(Exception):
                self.connection.heartbeat_check()

    def _previous_deliveries(self, message_id: str, headers: Mapping[str, Any]) -> int:
        if "x-delivery-count" in headers:
            return int(headers["x-delivery-count"])
        return self._local_attempts.get(message_id, 0)

    def _apply(
        self, message: Any, message_id: str, decision: Decision, headers: dict[str, Any]
    ) -> None:
        if decision.outcome is Outcome.RETRY:
            self._local_attempts[message_id] = self._local_attempts.get(message_id, 0) + 1
            message.requeue()
            return
        if decision.outcome is Outcome.DEAD_LETTER:
            log.warning(
                "message dead-lettered", extra={"message_id": message_id, "reason": decision.reason}
            )
            self._dead_letter(message, headers, decision.reason or "unknown")
        self._local_attempts.pop(message_id, None)
        message.ack()

    def _dead_letter(self, message: Any, headers: dict[str, Any], reason: str) -> None:
        info = message.delivery_info or {}
        headers.update(
            {
                REASON_HEADER: reason[:4000],
                "x-chancery-original-exchange": info.get("exchange", ""),
                "x-chancery-original-routing-key": info.get("routing_key", ""),
                "x-chancery-queue": queue_name(self._service),
            }
        )
        properties = message.properties or {}
        Producer(message.channel).publish(
            message.body,
            exchange=dead_letter_exchange(self._service),
            routing_key="",
            headers=headers,
            message_id=properties.get("message_id"),
            type=properties.get("type"),
            content_type=message.content_type or "application/json",
            content_encoding=message.content_encoding or "utf-8",
            delivery_mode=2,
        )


def handed_on(use_case: Callable[[UnitOfWork, P, str, str], object]) -> Handler:
    """A handler handing the payload, correlation id and message id (the causation of what the
    use case emits) to ``use_case(uow, payload, correlation_id, causation_id)``."""

    def handle(uow: UnitOfWork, message: ReceivedMessage[P]) -> None:
        use_case(uow, message.payload, message.envelope.correlation_id, message.message_id)

    return handle
