"""The broker topology, derived from the catalogue.

- each producer publishes to its durable topic exchange ``<service>.events``;
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

from kombu import Connection, Exchange, Queue

from chancery.messages.catalogue import CATALOGUE, consumed_by
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
    return Queue(dead_letter_name(service), exchange=exchange, durable=True,
                 queue_arguments={"x-queue-type": "quorum"})


def work_queue(service: str, delivery_limit: int) -> Queue:
    """``service``'s quorum queue, bound to every routing key it consumes."""
    bindings = [
        _binding(contract.producer, contract.routing_key) for contract in consumed_by(service)
    ]
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


def _binding(producer: str, key: str):
    from kombu import binding

    return binding(events_exchange(producer), routing_key=key)


def consuming_services() -> tuple[str, ...]:
    """Services that consume at least one message type."""
    return tuple(s for s in SERVICES if consumed_by(s))


def declare_topology(connection: Connection, delivery_limit: int) -> None:
    """Declare every exchange, queue and binding the catalogue implies."""
    channel = connection.default_channel
    producers = {contract.producer for contract in CATALOGUE}
    for service in SERVICES:
        if service in producers:
            events_exchange(service)(channel).declare()
        dead_letter_exchange(service)(channel).declare()
        dead_letter_queue(service)(channel).declare()
    for service in consuming_services():
        work_queue(service, delivery_limit)(channel).declare()
