"""The broker topology, derived from the catalogue.

- each producer publishes to its durable topic exchange ``<service>.events``;
  commands anyone may send go to the consumer's direct exchange
  ``<service>.commands``;
- each consuming service has one durable quorum queue ``<service>.messages``
  bound to the routing keys of the contracts it consumes, with an explicit
  ``x-delivery-limit`` (RabbitMQ 3.x has no default, so a poison message
  would loop forever) and a dead-letter exchange;
- each service has a dead-letter exchange and queue ``<service>.dead-letter``
  that operators inspect and replay from.

Every process declares the whole topology at start (declarations are
idempotent), so a message published before its consumer ever ran waits in
the consumer's queue instead of being unroutable.
"""

from __future__ import annotations

from kombu import Connection, Exchange, Queue, binding

from chancery.messages.catalogue import CATALOGUE, MessageContract, consumed_by
from chancery.vocabulary import SERVICES


def events_exchange_name(service: str) -> str:
    """The topic exchange ``service`` publishes to."""
    return f"{service}.events"


def queue_name(service: str) -> str:
    """The work queue ``service`` consumes from."""
    return f"{service}.messages"


def dead_letter_name(service: str) -> str:
    """The dead-letter exchange and queue of ``service``."""
    return f"{service}.dead-letter"


def events_exchange(service: str) -> Exchange:
    """The kombu exchange ``service`` publishes to."""
    return Exchange(events_exchange_name(service), type="topic", durable=True)


def dead_letter_exchange(service: str) -> Exchange:
    """The fanout exchange that collects ``service``'s dead letters."""
    return Exchange(dead_letter_name(service), type="fanout", durable=True)


def dead_letter_queue(service: str) -> Queue:
    """The queue holding ``service``'s dead letters until an operator acts."""
    exchange = dead_letter_exchange(service)
    return Queue(
        dead_letter_name(service),
        exchange=exchange,
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )


def work_queue(service: str, delivery_limit: int) -> Queue:
    """``service``'s quorum queue, bound to every routing key it consumes."""
    bindings = [_binding(contract) for contract in consumed_by(service)]
    return Queue(
        queue_name(service),
        bindings=bindings,
        durable=True,
        queue_arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": delivery_limit,
            "x-dead-letter-exchange": dead_letter_name(service),
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        },
    )


def _binding(contract: MessageContract) -> binding:
    return binding(exchange_of(contract), routing_key=contract.routing_key)


def exchange_of(contract: MessageContract) -> Exchange:
    """The kombu exchange a contract's messages are published to."""
    if contract.command:
        return Exchange(contract.exchange, type="direct", durable=True)
    return events_exchange(contract.producer)


def consuming_services() -> tuple[str, ...]:
    """Services that consume at least one message type."""
    return tuple(s for s in SERVICES if consumed_by(s))


def declare_topology(connection: Connection, delivery_limit: int) -> None:
    """Declare every exchange, queue and binding the catalogue implies."""
    channel = connection.default_channel
    for exchange in {
        exchange_of(contract).name: exchange_of(contract) for contract in CATALOGUE
    }.values():
        exchange(channel).declare()
    for service in SERVICES:
        dead_letter_exchange(service)(channel).declare()
        dead_letter_queue(service)(channel).declare()
    for service in consuming_services():
        work_queue(service, delivery_limit)(channel).declare()
