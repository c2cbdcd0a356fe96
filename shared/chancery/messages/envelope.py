"""The one envelope every message travels in.

A message on the bus is a JSON object::

    {"message_id": "...", "type": "letter.registered", "version": 1,
     "occurred_at": "2026-11-22T10:00:00+00:00", "producer": "intake",
     "correlation_id": "...", "causation_id": "...", "payload": {...}}

``correlation_id`` ties together everything caused by one outside request;
``causation_id`` names the message (or request) that directly caused this
one. Trace context does not travel here but in the AMQP headers
(``traceparent``), so tracing never needs to parse the body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from chancery.clock import utcnow
from chancery.db import new_id


class EnvelopeSchema(Schema):
    """Validates the envelope; the payload is validated by its contract's schema."""

    class Meta:
        unknown = RAISE

    message_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+(\.[a-z_]+)+$"))
    version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.String(required=True, validate=validate.Length(min=1, max=50))
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    causation_id = fields.String(load_default=None, allow_none=True)
    payload = fields.Dict(required=True)


@dataclass(frozen=True)
class Envelope:
    """A message as producers write it and consumers receive it."""

    type: str
    version: int
    producer: str
    payload: dict[str, Any]
    correlation_id: str
    causation_id: str | None = None
    message_id: str = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)

    @property
    def routing_key(self) -> str:
        """``<type>.v<version>``, the key the producer's exchange routes on."""
        return routing_key(self.type, self.version)

    def to_json(self) -> str:
        """The body as written to the bus (UTF-8 JSON, non-ASCII kept as is)."""
        return json.dumps(
            {
                "message_id": self.message_id,
                "type": self.type,
                "version": self.version,
                "occurred_at": self.occurred_at.isoformat(),
                "producer": self.producer,
                "correlation_id": self.correlation_id,
                "causation_id": self.causation_id,
                "payload": self.payload,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, body: bytes | str) -> Envelope:
        """Parse and validate a body; raises :class:`InvalidMessage` naming what is wrong."""
        try:
            # Decode explicitly: json.loads(bytes) would also accept UTF-16 and UTF-32.
            raw = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidMessage(f"body is not UTF-8 JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise InvalidMessage("body is not a JSON object")
        try:
            data = EnvelopeSchema().load(raw)
        except ValidationError as exc:
            raise InvalidMessage(f"invalid envelope: {exc.messages}") from exc
        # The schema's fields are the envelope's; only the id is loaded as a UUID.
        return cls(**{**data, "message_id": str(data["message_id"])})


class InvalidMessage(Exception):
    """A message that can never be handled: it goes to the dead-letter queue with this reason."""


def routing_key(message_type: str, version: int) -> str:
    """The routing key of a message type and version."""
    return f"{message_type}.v{version}"
