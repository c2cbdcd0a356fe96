"""Write ``deploy/rabbitmq/definitions.json`` from the message catalogue and topology.

RabbitMQ imports the file at boot (``rabbitmq.conf``), so the compose stack's
broker already holds the virtual host, the users, and every exchange, queue
and binding that :func:`chancery.messages.topology.declare_topology` declares,
with the same arguments: a difference would make the services' own
declarations fail with PRECONDITION_FAILED. ``tests/deploy`` regenerates the
document and fails when the committed file is stale.

Run after changing the catalogue or the topology::

    .venv/bin/python deploy/rabbitmq/generate_definitions.py

No password is written here: each user's ``password`` is a ``${NAME}`` reference that
``deploy/rabbitmq/entrypoint.sh`` fills in from the broker container's environment (from
``.env``, deploy/env.example) when the broker starts. Production brokers get their users
from the operator (deploy/k8s/platform), with the same permissions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kombu import Exchange, Queue

from chancery.config import settings_from_env
from chancery.messages.catalogue import CATALOGUE, produced_by
from chancery.messages.topology import (
    consuming_services,
    dead_letter_exchange,
    dead_letter_queue,
    events_exchange_name,
    exchange_of,
    work_queue,
)
from chancery.vocabulary import SERVICES

VHOST = "chancery"
ADMIN_USER = "chancery-admin"
OUTPUT = Path(__file__).with_name("definitions.json")
# The order RabbitMQ itself exports in; keeps the file's diff readable.
_SECTIONS = (
    "users",
    "vhosts",
    "permissions",
    "topic_permissions",
    "parameters",
    "global_parameters",
    "policies",
    "queues",
    "exchanges",
    "bindings",
)


def password_variable(user: str) -> str:
    """The variable of ``.env`` that holds ``user``'s password (deploy/env.example)."""
    if user == ADMIN_USER:
        return "RABBITMQ_ADMIN_PASSWORD"
    return f"{user.upper().replace('-', '_')}_BROKER_PASSWORD"


def default_delivery_limit() -> int:
    """The delivery limit the services declare when ``DELIVERY_LIMIT`` is not set."""
    return settings_from_env("definitions", {}).delivery_limit


def _exchanges() -> list[Exchange]:
    """Every exchange ``declare_topology`` declares, by name."""
    found = {exchange_of(contract).name: exchange_of(contract) for contract in CATALOGUE}
    for service in SERVICES:
        found[dead_letter_exchange(service).name] = dead_letter_exchange(service)
    return [found[name] for name in sorted(found)]


def _queues(delivery_limit: int) -> list[Queue]:
    """Every queue ``declare_topology`` declares: dead-letter queues and work queues."""
    queues = [dead_letter_queue(service) for service in SERVICES]
    queues += [work_queue(service, delivery_limit) for service in consuming_services()]
    return sorted(queues, key=lambda queue: queue.name)


def _bindings(queue: Queue) -> Iterable[tuple[str, str]]:
    """(exchange, routing key) pairs of ``queue``, as kombu would bind them."""
    if queue.exchange is not None and queue.exchange.name:
        yield queue.exchange.name, queue.routing_key or ""
    for bound in queue.bindings:
        yield bound.exchange.name, bound.routing_key or ""


def _alternation(names: Iterable[str]) -> str:
    """An anchored regular expression matching exactly ``names``."""
    # Names hold only letters, digits, dots and hyphens: escaping the dots is enough.
    return "^(" + "|".join(name.replace(".", r"\.") for name in sorted(set(names))) + ")$"


def permissions(service: str, exchanges: Sequence[str], queues: Sequence[str]) -> dict[str, str]:
    """What ``service``'s processes may do in the virtual host.

    Every process declares the whole topology at start (see topology.py), and
    RabbitMQ checks a redeclaration like a first declaration: ``configure`` on
    every name, ``write`` on every queue (queue.bind) and on every dead-letter
    exchange (queue.declare with ``x-dead-letter-exchange``), ``read`` on every
    exchange (queue.bind) and every queue (queue.declare with a DLX). What
    stays closed is publishing: a service may publish only to its own events
    exchange, to the command exchanges (any service may send a command) and
    to the dead-letter exchanges, never to another service's events or to the
    default exchange; and it may create nothing outside the topology.
    """
    names = [*exchanges, *queues]
    own_events = [events_exchange_name(service)] if produced_by(service) else []
    commands = [name for name in exchanges if name.endswith(".commands")]
    dead_letters = [name for name in exchanges if name.endswith(".dead-letter")]
    return {
        "user": service,
        "vhost": VHOST,
        "configure": _alternation(names),
        "write": _alternation([*own_events, *commands, *dead_letters, *queues]),
        "read": _alternation(names),
    }


def topic_permissions(service: str) -> list[dict[str, str]]:
    """On its events exchange, ``service`` may publish only the routing keys it produces."""
    keys = [contract.routing_key for contract in produced_by(service)]
    if not keys:
        return []
    return [
        {
            "user": service,
            "vhost": VHOST,
            "exchange": events_exchange_name(service),
            "write": _alternation(keys),
            "read": ".*",
        }
    ]


def definitions(delivery_limit: int) -> dict[str, Any]:
    """The whole definitions document for ``delivery_limit``."""
    exchanges = _exchanges()
    queues = _queues(delivery_limit)
    exchange_names = [exchange.name for exchange in exchanges]
    queue_names = [queue.name for queue in queues]
    # RabbitMQ hashes a plain `password` on import; the entry point puts it in.
    users = [
        {
            "name": user,
            "password": f"${{{password_variable(user)}}}",
            "tags": ["administrator"] if user == ADMIN_USER else [],
        }
        for user in (ADMIN_USER, *SERVICES)
    ]
    document: dict[str, Any] = {
        "users": users,
        "vhosts": [{"name": VHOST}],
        "permissions": [
            {"user": ADMIN_USER, "vhost": VHOST, "configure": ".*", "write": ".*", "read": ".*"},
            *(permissions(service, exchange_names, queue_names) for service in SERVICES),
        ],
        "topic_permissions": [
            entry for service in SERVICES for entry in topic_permissions(service)
        ],
        "parameters": [],
        "global_parameters": [],
        # No policies: topology.py declares every queue argument explicitly, and a
        # policy would silently compete with those arguments.
        "policies": [],
        "queues": [
            {
                "name": queue.name,
                "vhost": VHOST,
                "durable": queue.durable,
                "auto_delete": queue.auto_delete,
                "arguments": dict(queue.queue_arguments),
            }
            for queue in queues
        ],
        "exchanges": [
            {
                "name": exchange.name,
                "vhost": VHOST,
                "type": exchange.type,
                "durable": exchange.durable,
                "auto_delete": exchange.auto_delete,
                "internal": False,
                "arguments": dict(exchange.arguments or {}),
            }
            for exchange in exchanges
        ],
        "bindings": [
            {
                "source": source,
                "vhost": VHOST,
                "destination": queue.name,
                "destination_type": "queue",
                "routing_key": key,
                "arguments": {},
            }
            for queue in queues
            for source, key in sorted(_bindings(queue))
        ],
    }
    return {section: document[section] for section in _SECTIONS}


def render(delivery_limit: int | None = None) -> str:
    """The file's text (stable: sorted, two-space indent, final newline)."""
    limit = default_delivery_limit() if delivery_limit is None else delivery_limit
    return json.dumps(definitions(limit), indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the file, or with ``--check`` only report whether it is fresh."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        fresh = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'fresh' if fresh else 'stale, regenerate it'}")
        return 0 if fresh else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
