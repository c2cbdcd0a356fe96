"""What operators do with dead letters: look at them, and replay them after a fix.

A message reaches ``<service>.dead-letter`` either from our worker (invalid
payload, a handler that can never succeed, retries used up; the reason is in
``x-chancery-dead-letter-reason``) or from the broker itself when the queue's
delivery limit is reached (``x-death`` says so). Listing takes the messages
without acknowledging them and closes the channel, which puts every one
back in its place. Replaying publishes a message, byte for byte and with its
message id, to the failed service's own work queue only (through the
default exchange), so the other consumers of the original event see nothing
again; it is acknowledged in the dead-letter queue only after the broker
confirmed the new copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kombu import Connection

from chancery.messages.consumer import REASON_HEADER
from chancery.messages.topology import dead_letter_name, queue_name

REPLAYED_HEADER = "x-chancery-replayed"
_DEAD_LETTER_HEADERS = (
    REASON_HEADER,
    "x-chancery-original-exchange",
    "x-chancery-original-routing-key",
    "x-chancery-queue",
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-delivery-count",
)


@dataclass(frozen=True)
class DeadLetter:
    """One dead-lettered message as an operator sees it (the payload is not shown)."""

    message_id: str | None
    message_type: str | None
    reason: str
    routing_key: str | None
    replayed: int
    size: int


def list_dead_letters(connection: Connection, service: str, limit: int = 100) -> list[DeadLetter]:
    """Up to ``limit`` dead letters of ``service``, oldest first; the queue keeps them all."""
    seen: list[DeadLetter] = []

    def look(message: Any, _channel: Any) -> bool:
        seen.append(_describe(message))
        return False

    _walk(connection, service, limit, look)
    return seen


def replay_dead_letters(
    connection: Connection,
    service: str,
    message_ids: Iterable[str] | None = None,
    limit: int = 1000,
) -> int:
    """Send dead letters back to ``service``'s work queue; all when ``message_ids`` is None.

    Returns how many were replayed. Messages not chosen stay where they were. Only the
    messages waiting when the replay starts are walked: one the service dead-letters
    again meanwhile (its cause not fixed) joins the queue's end and is not sent twice.
    """
    wanted = set(message_ids) if message_ids is not None else None
    limit = min(limit, dead_letter_depth(connection, service))

    def replay(message: Any, channel: Any) -> bool:
        properties = message.properties
        if wanted is not None and properties.get("message_id") not in wanted:
            return False
        headers = {
            key: value
            for key, value in (properties.get("application_headers") or {}).items()
            if key not in _DEAD_LETTER_HEADERS
        }
        headers[REPLAYED_HEADER] = (
            int((properties.get("application_headers") or {}).get(REPLAYED_HEADER, 0)) + 1
        )
        channel.basic_publish(
            _copy(message, headers), exchange="", routing_key=queue_name(service), mandatory=True
        )
        return True

    return _walk(connection, service, limit, replay, confirm=True)


def dead_letter_depth(connection: Connection, service: str) -> int:
    """How many messages wait in ``service``'s dead-letter queue."""
    channel = connection.channel()
    try:
        return int(channel.queue_declare(dead_letter_name(service), passive=True).message_count)
    finally:
        channel.close()


def _walk(
    connection: Connection,
    service: str,
    limit: int,
    visit: Callable[[Any, Any], bool],
    confirm: bool = False,
) -> int:
    """Get up to ``limit`` messages unacknowledged; ack those ``visit`` consumed; return them."""
    channel = connection.channel()
    acted = 0
    try:
        if confirm:
            channel.confirm_select()
        for _ in range(limit):
            message = channel.basic_get(dead_letter_name(service), no_ack=False)
            if message is None:
                break
            if visit(message, channel):
                # basic_publish in confirm mode has waited for the broker's ack.
                channel.basic_ack(message.delivery_tag)
                acted += 1
    finally:
        # Closing the channel returns every message not acknowledged to the queue.
        channel.close()
    return acted


def _copy(message: Any, headers: dict[str, Any]) -> Any:
    import amqp

    properties = message.properties
    return amqp.Message(
        message.body,
        message_id=properties.get("message_id"),
        type=properties.get("type"),
        content_type=properties.get("content_type", "application/json"),
        content_encoding=properties.get("content_encoding", "utf-8"),
        delivery_mode=2,
        application_headers=headers,
    )


def _describe(message: Any) -> DeadLetter:
    properties = message.properties
    headers = properties.get("application_headers") or {}
    reason = headers.get(REASON_HEADER) or _broker_reason(headers)
    message_type = properties.get("type")
    if message_type is None:
        try:
            message_type = json.loads(message.body).get("type")
        except (ValueError, AttributeError):
            message_type = None
    return DeadLetter(
        message_id=properties.get("message_id"),
        message_type=message_type,
        reason=str(reason),
        routing_key=headers.get("x-chancery-original-routing-key")
        or _first_death(headers).get("routing-keys", [None])[0],
        replayed=int(headers.get(REPLAYED_HEADER, 0)),
        size=len(message.body),
    )


def _first_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death") or [{}]
    return dict(deaths[0])


def _broker_reason(headers: dict[str, Any]) -> str:
    death = _first_death(headers)
    if not death:
        return "unknown"
    return (
        f"broker: {death.get('reason', 'unknown')} in {death.get('queue', '?')} "
        f"after {death.get('count', '?')} deaths"
    )
