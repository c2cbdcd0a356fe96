"""Notifications benchmark: e-mails per second to a local SMTP server, and event-to-mail latency.

Throughput (one process): ``--mails`` ``letter.registered`` events go through
notifications' message handling on a throwaway PostgreSQL database (one
acknowledgement queued per letter, the e-mail rate limit raised out of the
way); then ``Deliveries.send_due`` sends them all to a local aiosmtpd server
that only counts. In the same run, the baseline: plain ``smtplib`` sending the
same MIME messages, one connection per message as notifications does.
Prints mails/s for both and their ratio.

Latency (real mode): intake and notifications as separate processes (gunicorn
web, worker, outbox relay) on throwaway databases and a throwaway RabbitMQ
virtual host, notifications' sender every 0.05 s. A paced client POSTs
letters to intake at ``--rate`` letters/s for ``--seconds``; the SMTP server
(in its own process) notes when each acknowledgement arrives, matched by the
registration number in the subject. Latency is arrival minus the moment the
POST was sent (one machine, one monotonic clock); a queue of the benchmark's
own on ``letter.registered`` splits it into intake's part and notifications'.

    .venv/bin/python bench/notifications_throughput.py --mails 2000 --rate 20 --seconds 15

The SMTP server runs in a child process, so its work does not share the
measured process's interpreter lock.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import smtplib
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import intake.bootstrap
import notifications.bootstrap
from bench.common import listening, percentile, post_letters, process_env, throwaway_stack
from chancery.messages.consumer import Outcome
from chancery.messages.envelope import Envelope
from chancery.realmode import free_port, start_service
from chancery.runtime import message_handling, migrate
from chancery_testing import (
    process_group,
    sample_payloads,
    throwaway_database,
)
from notifications.adapters.channels import EmailChannel, Outgoing
from notifications.adapters.models import Delivery
from notifications.config import load_settings

NUMBER = re.compile(r"\b[A-Z]-\d{4}-\d{5}\b")
MAIL_FROM = "Alytaus miesto savivaldybė <no-reply@alytus.example.org>"
SENDERS = [
    ("Gintarė Vaitkevičiūtė", "lt"),
    ("Ilze Ozoliņa", "lv"),
    ("თამარ გელაშვილი", "ka"),
    ("Blerina Krasniqi", "sq"),
    ("Margaret Ellison", "en"),
]
SUBJECTS = [
    "Prašymas sutvarkyti šaligatvį Vilties gatvėje",
    "Skundas dėl neišvežtų atliekų Putinų gatvėje",
    "Prašymas pateikti informaciją apie biudžeto vykdymą",
]


# The SMTP server, in a child process ---------------------------------------------


class _Sink:
    """aiosmtpd handler: counts mails; with ``arrivals``, reports (number, time) of each
    acknowledgement to a citizen (department mailboxes also hear of routed letters)."""

    def __init__(self, counter: Any, arrivals: Any) -> None:
        self._counter = counter
        self._arrivals = arrivals

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        arrived = time.monotonic()
        to_citizen = any(r.startswith("gyventojas") for r in envelope.rcpt_tos)
        if self._arrivals is not None and to_citizen:
            from email import policy
            from email.parser import BytesHeaderParser

            subject = (
                BytesHeaderParser(policy=policy.default).parsebytes(envelope.content)["Subject"]
                or ""
            )
            found = NUMBER.search(str(subject))
            self._arrivals.put((found.group(0) if found else None, arrived))
        with self._counter.get_lock():
            self._counter.value += 1
        return "250 OK"


def _serve(port: int, counter: Any, arrivals: Any, ready: Any, stop: Any) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_Sink(counter, arrivals), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


@dataclass
class SmtpSink:
    """A local SMTP server in a child process: its URL, count and arrivals."""

    port: int
    counter: Any
    arrivals: Any

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def count(self) -> int:
        return self.counter.value

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.count} of {count} mails after {timeout} s")
            time.sleep(0.002)


@contextmanager
def smtp_sink(record_arrivals: bool) -> Iterator[SmtpSink]:
    context = multiprocessing.get_context("spawn")
    sink = SmtpSink(
        free_port(), context.Value("q", 0), context.Queue() if record_arrivals else None
    )
    ready, stop = context.Event(), context.Event()
    process = context.Process(
        target=_serve, args=(sink.port, sink.counter, sink.arrivals, ready, stop), daemon=True
    )
    process.start()
    if not ready.wait(30):
        raise TimeoutError("the SMTP server did not start")
    try:
        yield sink
    finally:
        stop.set()
        process.join(10)


# Throughput -----------------------------------------------------------------------


def letter(index: int) -> dict[str, Any]:
    """Letter ``index`` as a citizen sends it: one of the invented senders and subjects, an
    address of its own."""
    name, language = SENDERS[index % len(SENDERS)]
    return {
        "kind": "application",
        "channel": "e_services",
        "language": "lt",
        "subject": SUBJECTS[index % len(SUBJECTS)],
        "addressee": {"kind": "mayor"},
        "sender": {
            "type": "person",
            "name": name,
            "preferred_language": language,
            "email": f"gyventojas{index}.{uuid.uuid4().hex[:8]}@example.org",
        },
    }


def registered(index: int) -> dict[str, Any]:
    """Intake's ``letter.registered`` of letter ``index``: the catalogue's sample, changed."""
    now = datetime.now(UTC).isoformat()
    return {
        **sample_payloads()["letter.registered"],
        "registration_number": f"P-2026-{index + 1:05d}",
        "register": "applications",
        **letter(index),
        "received_at": now,
        "registered_at": now,
        "status_lookup_code": uuid.uuid4().hex[:10].upper(),
    }


def throughput(mails: int, batch: int) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="chancery-bench-notify-"))
    with (
        throwaway_database(prefix="chancery_bench_notify_") as database,
        smtp_sink(record_arrivals=False) as sink,
    ):
        wiring = notifications.bootstrap.bootstrap(
            load_settings(
                {
                    "DATABASE_URL": database,
                    "BROKER_URL": "memory://",
                    "CHANCERY_DATA_DIR": str(workdir),
                    "CHANCERY_PROFILE": "alytus",
                    "SMTP_URL": sink.url,
                    "MAIL_FROM": MAIL_FROM,
                    "MAIL_DOMAIN": "alytus.example.org",
                    "NOTIFY_RATE_EMAIL": "1000000",
                    "LOG_LEVEL": "WARNING",
                }
            )
        )
        migrate(wiring)
        handling = message_handling(wiring)
        started = time.monotonic()
        for index in range(mails):
            body = (
                Envelope(
                    type="letter.registered",
                    version=1,
                    producer="intake",
                    payload=registered(index),
                    correlation_id=str(uuid.uuid4()),
                )
                .to_json()
                .encode()
            )
            decision = handling.handle(body)
            if decision.outcome is not Outcome.HANDLED:
                raise RuntimeError(f"letter.registered not handled: {decision.reason}")
        queueing = time.monotonic() - started

        channel = EmailChannel(sink.url, MAIL_FROM, "alytus.example.org")
        with wiring.unit_of_work() as uow:
            messages = [
                channel.message(
                    Outgoing(d.id, d.recipient, d.subject, d.text, d.html, d.attachments)
                )
                for d in uow.session.scalars(select(Delivery))
            ]
        host, port = "127.0.0.1", sink.port
        for message in messages[:20]:  # warm-up, not counted
            with smtplib.SMTP(host, port) as smtp:
                smtp.send_message(message)
        sink.wait_for(20, 10)
        counted = sink.count
        started = time.monotonic()
        for message in messages:
            with smtplib.SMTP(host, port) as smtp:
                smtp.send_message(message)
        sink.wait_for(counted + mails, 60)
        baseline = time.monotonic() - started

        counted = sink.count
        deliveries = wiring.extensions["deliveries"]
        started = time.monotonic()
        while sink.count < counted + mails:
            deliveries.send_due(limit=batch)
            if time.monotonic() - started > 600:
                raise TimeoutError("notifications did not send everything in 10 minutes")
        sending = time.monotonic() - started
        with wiring.unit_of_work() as uow:
            delivered = uow.session.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.status == "delivered")
            )
        wiring.engine.dispose()
    if delivered != mails:
        raise RuntimeError(f"{delivered} of {mails} deliveries delivered")
    return {
        "mails": mails,
        "queued_per_second": mails / queueing,
        "baseline_per_second": mails / baseline,
        "notifications_per_second": mails / sending,
    }


# Latency in real mode ---------------------------------------------------------------


@dataclass
class Observations:
    lock: threading.Lock = field(default_factory=threading.Lock)
    posted: dict[str, float] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)
    failures: int = 0
    on_bus: dict[str, float] = field(default_factory=dict)
    mailed: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0


def real_mode_env(broker: str, workdir: Path, smtp_url: str) -> dict[str, str]:
    """The services' environment for a latency run: notices mailed to ``smtp_url`` at once."""
    return process_env(
        broker,
        workdir / "data",
        CHANCERY_PROFILE="alytus",
        PYTHONUNBUFFERED="1",
        SMTP_URL=smtp_url,
        NOTIFY_SENDER_INTERVAL_SECONDS="0.05",
        NOTIFY_BACKOFF_SECONDS="0.2",
    )


def latency(rate: float, seconds: float, clients: int) -> dict[str, float]:
    with (
        throwaway_stack("intake", "notifications") as (workdir, databases, broker),
        smtp_sink(record_arrivals=True) as sink,
    ):
        env = real_mode_env(broker, workdir, sink.url)
        with process_group(workdir / "logs", env) as group:
            ports = {}
            for definition, workers, metrics in (
                (intake.bootstrap.DEFINITION, 2, "m-intake"),
                (notifications.bootstrap.DEFINITION, 1, "m-notify"),
            ):
                port = ports[definition.name] = free_port()
                extra = {
                    "DATABASE_URL": databases[definition.name],
                    "PROMETHEUS_MULTIPROC_DIR": str(workdir / metrics),
                }
                start_service(group, definition, port, web_workers=workers, extra_env=extra)
            measured = measure(
                f"http://127.0.0.1:{ports['intake']}", broker, sink, rate, seconds, clients
            )
    return summarise(measured.observations, measured.load_seconds, measured.warm_up)


@dataclass(frozen=True)
class Measured:
    """What one paced load saw, after a warm-up that is not counted."""

    observations: Observations
    warm_up: int
    load_seconds: float
    drained_seconds: float


def measure(
    base: str, broker: str, sink: SmtpSink, rate: float, seconds: float, clients: int
) -> Measured:
    """Warm up, then post at ``rate`` for ``seconds`` and wait for every acknowledgement."""
    observations = Observations()
    with bus_listener(broker, observations), arrivals_reader(sink, observations):
        paced_load(base, observations, rate=5, seconds=2, clients=clients)
        wait_for_mails(observations, timeout=60)
        with observations.lock:
            warm_up = len(observations.posted)
            for table in (
                observations.posted,
                observations.answered,
                observations.on_bus,
                observations.mailed,
            ):
                table.clear()
            observations.failures = observations.duplicates = 0
        started = time.monotonic()
        paced_load(base, observations, rate, seconds, clients)
        load_seconds = time.monotonic() - started
        wait_for_mails(observations, timeout=120)
        drained_seconds = time.monotonic() - started
    return Measured(observations, warm_up, load_seconds, drained_seconds)


def bus_listener(broker: str, observations: Observations):
    """When each letter's ``letter.registered`` reached the bus, by registration number."""

    def seen(envelope: dict, arrived: float) -> None:
        with observations.lock:
            observations.on_bus.setdefault(envelope["payload"]["registration_number"], arrived)

    return listening(broker, [("intake.events", "letter.registered.v1")], seen)


@contextmanager
def arrivals_reader(sink: SmtpSink, observations: Observations) -> Iterator[None]:
    """Move the SMTP server's (number, arrival) reports into the observations."""
    stop = threading.Event()

    def read() -> None:
        import queue

        while not stop.is_set():
            try:
                number, arrived = sink.arrivals.get(timeout=0.1)
            except queue.Empty:
                continue
            with observations.lock:
                if number in observations.mailed:
                    observations.duplicates += 1
                else:
                    observations.mailed[number] = arrived

    thread = threading.Thread(target=read, name="arrivals", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def paced_load(
    base: str, observations: Observations, rate: float, seconds: float, clients: int
) -> None:
    """POST letter ``i`` at start + i / rate from ``clients`` threads (late ones go at once)."""
    bodies = [
        json.dumps(letter(index), ensure_ascii=False).encode()
        for index in range(int(rate * seconds))
    ]

    def answered(sent_at: float, response: requests.Response | None) -> None:
        registered = response is not None and response.status_code == 201
        number = response.json()["registration_number"] if registered else None
        with observations.lock:
            if number is None:
                observations.failures += 1
            else:
                observations.posted[number] = sent_at
                observations.answered[number] = time.monotonic()

    post_letters(base, bodies, rate, clients, answered)


def wait_for_mails(observations: Observations, timeout: float) -> None:
    """Poll until every registered letter's acknowledgement arrived, or the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with observations.lock:
            if observations.posted.keys() <= observations.mailed.keys():
                return
        time.sleep(0.05)


def summarise(observations: Observations, load_seconds: float, warm_up: int) -> dict[str, float]:
    posted = observations.posted
    mailed = {n: observations.mailed[n] for n in posted if n in observations.mailed}
    total = [(mailed[n] - posted[n]) * 1000 for n in mailed]
    with_bus = [n for n in mailed if n in observations.on_bus]
    intake_part = [(observations.on_bus[n] - posted[n]) * 1000 for n in with_bus]
    notify_part = [(mailed[n] - observations.on_bus[n]) * 1000 for n in with_bus]
    http = [(observations.answered[n] - posted[n]) * 1000 for n in posted]
    return {
        "warm_up": warm_up,
        "posted": len(posted),
        "failed_posts": observations.failures,
        "load_seconds": load_seconds,
        "mailed": len(mailed),
        "missing": len(posted) - len(mailed),
        "duplicates": observations.duplicates,
        "p50_ms": percentile(total, 0.50),
        "p90_ms": percentile(total, 0.90),
        "p99_ms": percentile(total, 0.99),
        "max_ms": max(total, default=float("nan")),
        "intake_p50_ms": percentile(intake_part, 0.50),
        "intake_p99_ms": percentile(intake_part, 0.99),
        "notify_p50_ms": percentile(notify_part, 0.50),
        "notify_p99_ms": percentile(notify_part, 0.99),
        "post_p50_ms": percentile(http, 0.50),
        "post_p99_ms": percentile(http, 0.99),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=2000, help="e-mails for the throughput")
    parser.add_argument("--batch", type=int, default=100, help="send_due's limit per call")
    parser.add_argument("--rate", type=float, default=20, help="letters per second (latency)")
    parser.add_argument("--seconds", type=float, default=15, help="how long to post (latency)")
    parser.add_argument("--clients", type=int, default=4, help="posting threads (latency)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    if not args.skip_throughput:
        figures = throughput(args.mails, args.batch)
        print(
            f"\nThroughput: {figures['mails']} acknowledgement e-mails to a local aiosmtpd "
            f"server, one SMTP connection per mail"
        )
        print(f"  queued through message handling: {figures['queued_per_second']:8.0f} events/s")
        print(f"  plain smtplib (baseline):        {figures['baseline_per_second']:8.0f} mails/s")
        print(
            f"  Deliveries.send_due:             {figures['notifications_per_second']:8.0f} mails/s"
        )
        print(
            f"  ratio notifications / baseline:  "
            f"{figures['notifications_per_second'] / figures['baseline_per_second']:8.2f}"
        )
    if not args.skip_latency:
        figures = latency(args.rate, args.seconds, args.clients)
        print(
            f"\nLatency: {figures['posted']} letters POSTed at {args.rate:g}/s for "
            f"{figures['load_seconds']:.1f} s (after {figures['warm_up']} warm-up letters); "
            f"{figures['mailed']} acknowledged, {figures['missing']} missing, "
            f"{figures['duplicates']} duplicate mails, {figures['failed_posts']} failed POSTs"
        )
        print(
            f"  POST to SMTP receipt:  p50 {figures['p50_ms']:7.0f} ms   p90 "
            f"{figures['p90_ms']:7.0f} ms   p99 {figures['p99_ms']:7.0f} ms   max "
            f"{figures['max_ms']:7.0f} ms"
        )
        print(
            f"  POST to event on bus:  p50 {figures['intake_p50_ms']:7.0f} ms   p99 "
            f"{figures['intake_p99_ms']:7.0f} ms"
        )
        print(
            f"  event on bus to mail:  p50 {figures['notify_p50_ms']:7.0f} ms   p99 "
            f"{figures['notify_p99_ms']:7.0f} ms"
        )
        print(
            f"  POST answered:         p50 {figures['post_p50_ms']:7.0f} ms   p99 "
            f"{figures['post_p99_ms']:7.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
