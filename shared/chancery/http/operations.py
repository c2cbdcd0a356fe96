"""The operator's view of a service's messaging, the same in every service.

:data:`operations_api` lists the service's dead letters with their reasons,
replays them (all, or those named) to the service's own work queue, and
tells the outbox lag: how many messages wait to be published and how old the
oldest is. It is the HTTP face of ``chancery dead-letters`` (the CLI) for the
operator's console; both use :mod:`chancery.messages.deadletters`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar, cast

from flask import current_app
from flask_smorest import Blueprint
from kombu import Connection
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from chancery.db import UnitOfWork
from chancery.errors import Conflict, DomainError
from chancery.http.security import require
from chancery.messages.deadletters import list_dead_letters, replay_dead_letters
from chancery.messages.outbox import oldest_unsent_age
from chancery.validation import BoundedInt, StrictSchema

OPERATIONS_EXTENSION = "chancery.operations"
T = TypeVar("T")
OPERATOR = "operator"


class BrokerUnavailable(DomainError):
    """The broker cannot be reached: dead letters cannot be read or replayed now (503)."""

    status = 503
    title = "Service unavailable"


class Operations:
    """A service's dead letters and outbox as the operator sees them."""

    def __init__(
        self,
        service: str,
        unit_of_work: Callable[[], UnitOfWork],
        connect: Callable[[], Connection] | None,
    ) -> None:
        """``connect`` opens a broker connection; None for an embedded instance, whose
        in-memory bus has no dead-letter queues to read (its endpoints answer 409)."""
        self.service = service
        self._uow = unit_of_work
        self._connect = connect

    def dead_letters(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` dead letters, oldest first, with their reasons (no payloads)."""
        return [
            asdict(letter)
            for letter in self._on_broker(
                lambda connection: list_dead_letters(connection, self.service, limit)
            )
        ]

    def replay(self, message_ids: list[str] | None, limit: int) -> int:
        """Send dead letters (those named, or all) back to the work queue; how many went."""
        return self._on_broker(
            lambda connection: replay_dead_letters(connection, self.service, message_ids, limit)
        )

    def outbox(self) -> dict[str, Any]:
        """How many messages wait to be published and the age of the oldest (seconds)."""
        with self._uow() as uow:
            table = uow.tables.outbox
            unsent = (
                uow.session.scalar(
                    select(func.count()).select_from(table).where(table.c.published_at.is_(None))
                )
                or 0
            )
            return {
                "service": self.service,
                "unsent": unsent,
                "oldest_unsent_seconds": round(oldest_unsent_age(uow.session, table), 3),
            }

    def _on_broker(self, work: Callable[[Connection], T]) -> T:
        if self._connect is None:
            raise Conflict(
                "This instance runs embedded, on an in-memory bus without dead-letter queues.",
                field="service",
                reason="embedded",
            )
        try:
            with self._connect() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                return work(connection)
        except (OSError, ConnectionError) as exc:
            raise BrokerUnavailable(f"The message broker cannot be reached: {exc}") from exc


class DeadLetterOut(Schema):
    message_id = fields.String(allow_none=True)
    message_type = fields.String(allow_none=True)
    reason = fields.String()
    routing_key = fields.String(allow_none=True)
    replayed = fields.Integer(metadata={"description": "how often it was replayed before"})
    size = fields.Integer(metadata={"description": "the body's size in bytes"})


class DeadLettersOut(Schema):
    service = fields.String()
    dead_letters = fields.List(fields.Nested(DeadLetterOut))


class DeadLetterQuery(StrictSchema):
    limit = BoundedInt(minimum=1, maximum=1000, load_default=100)


class ReplayIn(StrictSchema):
    message_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "the messages to replay; none: all"},
    )
    limit = BoundedInt(minimum=1, maximum=10_000, load_default=1000)


class ReplayOut(Schema):
    service = fields.String()
    replayed = fields.Integer()


class OutboxOut(Schema):
    service = fields.String()
    unsent = fields.Integer()
    oldest_unsent_seconds = fields.Float()


operations_api = Blueprint(
    "operations",
    __name__,
    url_prefix="/operations",
    description="Dead letters and the outbox, for the operator.",
)


def _operations() -> Operations:
    return cast(Operations, current_app.extensions[OPERATIONS_EXTENSION])


@operations_api.route("/dead-letters", methods=["GET"])
@require(OPERATOR)
@operations_api.arguments(DeadLetterQuery(), location="query")
@operations_api.response(200, DeadLettersOut)
def dead_letters(query: dict[str, Any]) -> dict[str, Any]:
    """This service's dead letters, oldest first, with why each failed (503 without the
    broker)."""
    operations = _operations()
    return {"service": operations.service, "dead_letters": operations.dead_letters(query["limit"])}


@operations_api.route("/dead-letters/replay", methods=["POST"])
@require(OPERATOR)
@operations_api.arguments(ReplayIn())
@operations_api.response(200, ReplayOut)
def replay(data: dict[str, Any]) -> dict[str, Any]:
    """Send dead letters back to this service's work queue after a fix (all, or those
    named by message id); the other consumers see nothing again."""
    operations = _operations()
    return {
        "service": operations.service,
        "replayed": operations.replay(data["message_ids"], data["limit"]),
    }


@operations_api.route("/outbox", methods=["GET"])
@require(OPERATOR)
@operations_api.response(200, OutboxOut)
def outbox() -> dict[str, Any]:
    """The outbox lag: unsent messages and the age of the oldest."""
    return _operations().outbox()
