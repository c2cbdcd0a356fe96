"""Faults under a steady load of letters: nothing accepted is lost, nothing done twice.

Every service runs as its own processes (tests/e2e/conftest.py). While
letters arrive, a fault strikes: a process killed with SIGKILL and started
again, every broker connection closed, the broker's application restarted,
PostgreSQL restarted, the SMTP server refusing mail for a while. Afterwards
every letter intake answered 201 for must be routed and acknowledged once,
and no outbox may hold unsent rows. Poison and invalid messages land in each
service's dead-letter queue with their reason, and an operator replays one
after fixing its cause. Each test prints its counts.

The broker and PostgreSQL restarts act on the machine's shared servers, so
they run only where the servers are the local ones this suite may restart.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable

import pytest
import requests
from kombu import Connection, Producer
from prometheus_client.parser import text_string_to_metric_families

from chancery.messages.deadletters import list_dead_letters, replay_dead_letters
from chancery.messages.envelope import Envelope
from chancery.messages.topology import consuming_services
from chancery.realmode import wait_until_healthy
from chancery_testing import (
    LOCAL_POSTGRES,
    close_broker_connections,
    port_open,
    put_on_queue,
    refused_message,
    wait_for,
)
from tests.e2e.conftest import WholeSystem
from tests.e2e.load import Load, Reckoning, reckon

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "notifications")
# Kills processes, restarts the broker and PostgreSQL, and reckons every mail sent.
OWN_SYSTEM = True


def _under_load(
    system: WholeSystem, fault: Callable[[], None], name: str, accepted_first: int = 10
) -> Reckoning:
    with Load(system) as load:
        # The stream is under way (letters accepted) before the fault strikes.
        wait_for(
            lambda: len(load.accepted) >= accepted_first,
            timeout=30,
            what=f"{accepted_first} letters accepted",
        )
        fault()
    result = reckon(system, load)
    print(result.line(name))
    assert result.accepted > 0
    assert result.lost == 0, result.line(name)
    assert result.duplicates == 0, result.line(name)
    wait_for(lambda: _outboxes_empty(system), timeout=30, what="every outbox empty")
    return result


def _outboxes_empty(system: WholeSystem) -> bool:
    """Every service's outbox lag gauge (age of its oldest unsent row) reads zero."""
    for service, base in system.urls.items():
        metrics = requests.get(f"{base}/metrics", timeout=10).text
        lags = [
            sample.value
            for family in text_string_to_metric_families(metrics)
            for sample in family.samples
            if sample.name == "chancery_outbox_lag_seconds"
            and sample.labels.get("service") == service
        ]
        if any(lag > 0 for lag in lags):
            return False
    return True


def _kill_and_restart(system: WholeSystem, process: str) -> Callable[[], None]:
    def fault() -> None:
        system.group.kill(process)
        time.sleep(1.0)
        system.group.restart(process)
        if process.endswith("-web"):
            wait_until_healthy(system.url(process.removesuffix("-web"), "/readyz"))

    return fault


@pytest.mark.parametrize(
    "process",
    ["intake-web", "intake-relay", "routing-worker", "routing-relay", "notifications-worker"],
)
def test_a_process_killed_mid_stream_loses_nothing(system: WholeSystem, process: str) -> None:
    result = _under_load(system, _kill_and_restart(system, process), f"kill -9 {process}")
    if process != "notifications-worker":
        # Only a sender killed between the SMTP answer and its record may send again.
        assert result.resent == 0


def test_closed_broker_connections_lose_nothing(system: WholeSystem) -> None:
    broker = system.group.env["BROKER_URL"]
    _under_load(system, lambda: close_broker_connections(broker), "close_all_connections")


def test_an_smtp_server_that_refuses_for_a_while_loses_nothing(system: WholeSystem) -> None:
    def refuse() -> None:
        system.smtp.failures.extend(["451 4.3.2 System not accepting messages"] * 15)

    _under_load(system, refuse, "SMTP 451 x15")


needs_local_servers = pytest.mark.skipif(
    not (
        shutil.which("rabbitmqctl")
        and shutil.which("pg_ctlcluster")
        and port_open("127.0.0.1", 5432)
    ),
    reason="restarts need the local RabbitMQ and PostgreSQL servers",
)


@needs_local_servers
def test_a_broker_restart_loses_nothing(system: WholeSystem) -> None:
    def restart_broker() -> None:
        subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=120)
        subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=120)
        subprocess.run(["rabbitmqctl", "-q", "await_startup"], check=True, timeout=120)

    _under_load(system, restart_broker, "rabbitmq stop_app/start_app")


@needs_local_servers
def test_a_postgresql_restart_loses_nothing(system: WholeSystem) -> None:
    version = subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True, check=True
    ).stdout.split()[0]

    def restart_postgres() -> None:
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                version,
                "main",
                "restart",
                "-m",
                "fast",
            ],
            check=True,
            timeout=120,
        )
        wait_for(lambda: port_open("127.0.0.1", 5432), timeout=60, what="PostgreSQL back")

    assert system.group.env.get("CHANCERY_TEST_POSTGRES_URL", LOCAL_POSTGRES) == LOCAL_POSTGRES
    _under_load(system, restart_postgres, "postgresql restart")


def test_poison_and_invalid_messages_are_dead_lettered_and_one_is_replayed_after_a_fix(
    system: WholeSystem,
) -> None:
    broker = system.group.env["BROKER_URL"]
    planted: dict[str, dict[str, str]] = {}
    with Connection(broker) as connection:
        for service in (s for s in consuming_services() if s in system.urls):
            invalid_id, invalid = refused_message(service, "e2e")
            poison_id = str(uuid.uuid4())
            put_on_queue(connection, service, invalid_id, invalid)
            put_on_queue(connection, service, poison_id, b"\xff\xfe not a message")
            planted[service] = {"invalid": invalid_id, "poison": poison_id}

        dead: dict[str, dict[str, str]] = {}
        for service, ids in planted.items():
            letters = wait_for(
                lambda s=service, i=ids: _dead_letters_of(connection, s, i),
                what=f"{service}'s dead letters",
            )
            dead[service] = {letter.message_id: letter.reason for letter in letters}
            assert "invalid" in dead[service][ids["invalid"]]
            assert "JSON" in dead[service][ids["poison"]]

        replayed = _replay_a_notice_after_adding_the_colleague(system, connection)
    print(
        f"[poison and invalid] dead_lettered={sum(len(d) for d in dead.values())} "
        f"services={sorted(dead)} replayed={replayed}"
    )


def _dead_letters_of(connection: Connection, service: str, ids: dict[str, str]) -> list:
    letters = [
        letter
        for letter in list_dead_letters(connection, service, limit=500)
        if letter.message_id in ids.values()
    ]
    return letters if len(letters) == len(ids) else []


def _replay_a_notice_after_adding_the_colleague(system: WholeSystem, connection: Connection) -> int:
    """A notice for a colleague not yet in the directory is dead-lettered; add them, replay."""
    subject = f"naujas.darbuotojas.{uuid.uuid4().hex[:8]}"
    address = f"{subject}@example.org"
    request = Envelope(
        type="notification.requested",
        version=1,
        producer="e2e",
        correlation_id=str(uuid.uuid4()),
        payload={
            "idempotency_key": str(uuid.uuid4()),
            "recipient": {"subject": subject},
            "channel": "email",
            "template": "generic",
            "language": "lt",
            "data": {
                "title": "Pasitarimas dėl Joninių šventės",
                "message": "Pasitarimas vyks rotušės salėje.",
            },
        },
    )
    Producer(connection.channel()).publish(
        request.to_json().encode(),
        exchange="notifications.commands",
        routing_key="notification.requested.v1",
        message_id=request.message_id,
        content_type="application/json",
        delivery_mode=2,
    )
    [letter] = wait_for(
        lambda: [
            d
            for d in list_dead_letters(connection, "notifications", 500)
            if d.message_id == request.message_id
        ],
        what="the request dead-lettered",
    )
    assert "No active staff member" in letter.reason

    operator = system.headers("operator", subject="operator-1")
    system.enrol_staff(
        operator,
        subject,
        {
            "name": "Naujas Darbuotojas",
            "email": address,
            "language": "lt",
            "department_code": "COMM",
            "roles": ["department_staff"],
        },
    )
    replayed = replay_dead_letters(connection, "notifications", [request.message_id])
    assert replayed == 1
    [mail] = wait_for(lambda: system.mails_to(address), what="the replayed request's mail")
    assert "Pasitarimas dėl Joninių šventės" in mail["Subject"]
    return replayed
