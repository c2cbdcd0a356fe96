"""Outbox relay benchmark: messages/s published with confirms, against two baselines.

Writes N ``letter.registered`` messages into an outbox on a throwaway
PostgreSQL database, then, on a throwaway RabbitMQ virtual host with the
real topology (each message lands in two quorum queues):

- the relay (``OutboxRelay`` + ``ConfirmingAmqpPublisher``: a batch of
  confirms in flight, rows marked sent) drains the outbox;
- baseline 1: the same bodies published one at a time, each waiting for its
  confirm (kombu ``confirm_publish``), no database;
- baseline 2: the same bodies published without confirms (py-amqp), no database.

    .venv/bin/python bench/relay_throughput.py --messages 20000 --batch 500
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import amqp
from kombu import Connection, Producer
from sqlalchemy import MetaData

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from chancery.db import make_engine, platform_tables, session_factory
from chancery.messages.outbox import OutboxRelay, add_message
from chancery.messages.publishers import ConfirmingAmqpPublisher
from chancery.messages.topology import declare_topology
from chancery_testing import sample_payloads, throwaway_database, throwaway_vhost


def payload(index: int) -> dict[str, Any]:
    """Intake's ``letter.registered`` number ``index``: the catalogue's sample, a fresh id,
    registered now (the outbox takes times, not text)."""
    now = datetime.now(UTC)
    return {
        **sample_payloads()["letter.registered"],
        "registration_number": f"R-2026-{index:05d}",
        "received_at": now,
        "registered_at": now,
    }


def fill_outbox(database: str, count: int) -> tuple[object, object, list[bytes]]:
    metadata = MetaData()
    tables = platform_tables(metadata)
    engine = make_engine(database)
    metadata.create_all(engine)
    bodies = []
    sessions = session_factory(engine)
    for start in range(0, count, 1000):
        with sessions() as session:
            for index in range(start, min(count, start + 1000)):
                envelope = add_message(
                    session,
                    tables.outbox,
                    "intake",
                    "letter.registered",
                    1,
                    payload(index),
                    "bench",
                )
                bodies.append(envelope.to_json().encode())
            session.commit()
    return engine, tables, bodies


def relay_rate(
    engine: object, tables: object, broker: str, batch: int, count: int
) -> tuple[float, list[float]]:
    """Messages/s, and each batch's time from reading the rows to marking them sent (ms)."""
    relay = OutboxRelay(engine, tables.outbox, ConfirmingAmqpPublisher(broker), batch_size=batch)
    started, sent, batches = time.perf_counter(), 0, []
    while sent < count:
        batch_started = time.perf_counter()
        done = relay.run_once()
        batches.append((time.perf_counter() - batch_started) * 1000)
        if done == 0:
            raise RuntimeError("the relay stopped publishing before the outbox was empty")
        sent += done
    return sent / (time.perf_counter() - started), batches


def confirm_each_rate(broker: str, bodies: list[bytes]) -> float:
    with Connection(broker, transport_options={"confirm_publish": True}) as connection:
        producer = Producer(connection.default_channel)
        started = time.perf_counter()
        for body in bodies:
            producer.publish(
                body,
                exchange="intake.events",
                routing_key="letter.registered.v1",
                delivery_mode=2,
                content_type="application/json",
                content_encoding="utf-8",
                mandatory=True,
            )
        return len(bodies) / (time.perf_counter() - started)


def no_confirm_rate(broker: str, bodies: list[bytes]) -> float:
    from kombu.utils.url import parse_url

    parts = parse_url(broker)
    connection = amqp.Connection(
        host=f"{parts['hostname']}:{parts['port'] or 5672}",
        userid="guest",
        password="guest",
        virtual_host=parts["virtual_host"],
    )
    connection.connect()
    channel = connection.channel()
    started = time.perf_counter()
    for body in bodies:
        channel.basic_publish(
            amqp.Message(body, delivery_mode=2),
            exchange="intake.events",
            routing_key="letter.registered.v1",
        )
    channel.basic_qos(0, 1, False)  # a round trip: everything before it reached the broker
    elapsed = time.perf_counter() - started
    connection.close()
    return len(bodies) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with (
        throwaway_database(prefix="chancery_bench_relay_") as database,
        throwaway_vhost(prefix="chancery-bench-relay-") as broker,
    ):
        with Connection(broker) as connection:
            declare_topology(connection, 5)
        engine, tables, bodies = fill_outbox(database, args.messages)
        relay, batches = relay_rate(engine, tables, broker, args.batch, args.messages)
        each = confirm_each_rate(broker, bodies[: max(2000, args.messages // 5)])
        raw = no_confirm_rate(broker, bodies)
        engine.dispose()
    print(f"\n{args.messages} messages (~{len(bodies[0])} B), each routed to 2 quorum queues")
    print(f"{'path':<44} {'msg/s':>8}")
    print(
        f"{'relay: outbox → confirms in flight (batch ' + str(args.batch) + ')':<44} {relay:>8.0f}"
    )
    print(f"{'baseline: one confirm at a time (kombu)':<44} {each:>8.0f}")
    print(f"{'baseline: no confirms (py-amqp)':<44} {raw:>8.0f}")
    print(
        f"relay / one-confirm-at-a-time: {relay / each:.1f}x; relay / no confirms: "
        f"{relay / raw:.2f}"
    )
    print(
        f"relay batch (read, publish, confirms, mark sent) p50 {percentile(batches, 0.5):.0f} ms"
        f", p99 {percentile(batches, 0.99):.0f} ms over {len(batches)} batches"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
