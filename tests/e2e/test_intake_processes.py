"""Intake as separate processes (gunicorn web, worker, relay) over real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from kombu import Connection, Exchange, Queue
from prometheus_client.parser import text_string_to_metric_families

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery_testing import development_env, process_group, wait_for
from intake.bootstrap import DEFINITION

pytestmark = pytest.mark.e2e

LETTERS = [
    ("lt", "Skundas dėl šiukšlių išvežimo Žalgirio gatvėje", "Ona Žemaitytė"),
    ("lv", "Iesniegums par ielu apgaismojumu Ķīšezera ielā", "Jānis Bērziņš"),
    ("ka", "განცხადება ქუჩის განათების შესახებ", "ნინო ბერიძე"),
    ("sq", "Kërkesë për informacion mbi ujësjellësin në Çole", "Arbër Hoxha"),
]


@pytest.fixture
def intake(database_url: str, broker_url: str, tmp_path) -> Iterator[tuple[str, ProcessGroup]]:
    env = development_env(
        broker_url,
        tmp_path / "data",
        DATABASE_URL=database_url,
        LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    port = free_port()
    with process_group(tmp_path / "logs", env) as group:
        start_service(group, DEFINITION, port, web_workers=2)
        yield f"http://127.0.0.1:{port}", group


@pytest.fixture
def registered_queue(broker_url: str) -> Iterator[Any]:
    """A queue of this test's own, bound to letter.registered on intake's exchange."""
    with Connection(broker_url) as connection:
        queue = Queue(
            f"e2e-{os.getpid()}-{time.monotonic_ns()}",
            Exchange("intake.events", type="topic", durable=True),
            routing_key="letter.registered.v1",
            durable=False,
            auto_delete=False,
        )
        queue(connection.default_channel).declare()
        yield connection, queue


def collect(connection: Connection, queue: Queue, count: int, timeout: float = 30) -> list[dict]:
    channel = connection.channel()
    bodies: list[dict] = []

    def received() -> bool:
        message = channel.basic_get(queue.name, no_ack=True)
        if message is not None:
            bodies.append(json.loads(message.body))
        return len(bodies) >= count

    try:
        wait_for(received, timeout, f"{count} messages on {queue.name}")
    finally:
        channel.close()
    return bodies


def wait_for_metric(base: str, name: str, timeout: float = 15, **labels: str) -> float:
    """The value of the sample ``name`` with exactly these labels, once it is exposed."""

    def exposed() -> list[float] | None:
        # In a list: a sample's value may be 0, which is exposed all the same.
        for family in text_string_to_metric_families(
            requests.get(f"{base}/metrics", timeout=10).text
        ):
            for sample in family.samples:
                if sample.name == name and sample.labels == labels:
                    return [sample.value]
        return None

    return wait_for(exposed, timeout, f"{name}{labels} exposed", interval=0.1)[0]


def post_letter(base: str, token: str, language: str, subject: str, sender: str) -> dict:
    response = requests.post(
        f"{base}/letters",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "kind": "complaint",
            "channel": "email",
            "language": language,
            "subject": subject,
            "sender": {"type": "person", "name": sender, "preferred_language": language},
            "addressee": {"kind": "mayor"},
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_letters_registered_over_http_arrive_on_the_bus_byte_for_byte(intake, registered_queue):
    base, _ = intake
    connection, queue = registered_queue
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="e2e-clerk")
    created = [post_letter(base, token, *letter) for letter in LETTERS]
    messages = collect(connection, queue, len(LETTERS))
    assert len(messages) == len(LETTERS)
    by_id = {m["payload"]["letter_id"]: m for m in messages}
    for letter, (_, subject, sender) in zip(created, LETTERS, strict=True):
        payload = by_id[letter["id"]]["payload"]
        assert payload["subject"].encode() == subject.encode()
        assert payload["sender"]["name"].encode() == sender.encode()
        assert payload["registration_number"] == letter["registration_number"]
        assert payload["status_lookup_code"] == letter["status_lookup_code"]
    read_back = requests.get(
        f"{base}/letters/{created[2]['id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert read_back["subject"] == LETTERS[2][1]
    posted = wait_for_metric(
        base,
        "chancery_http_requests_total",
        method="POST",
        route="/letters",
        service="intake",
        status="201",
    )
    assert posted >= len(LETTERS)
    # The relay is its own process; its samples reach the web's /metrics.
    published = wait_for_metric(base, "chancery_messages_published_total", service="intake")
    assert published >= len(LETTERS)


def test_letters_registered_while_the_relay_is_dead_are_published_after_restart(
    intake, registered_queue
):
    base, group = intake
    connection, queue = registered_queue
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="e2e-clerk")
    group.kill("intake-relay")
    created = [
        post_letter(base, token, "lt", f"Prašymas nr. {i}", "Ona Žemaitytė") for i in range(20)
    ]
    with pytest.raises(AssertionError, match="not reached"):  # nothing published for 1 s
        collect(connection, queue, 1, timeout=1)
    group.restart("intake-relay")
    messages = collect(connection, queue, len(created))
    assert {m["payload"]["letter_id"] for m in messages} == {c["id"] for c in created}
    numbers = sorted(int(c["registration_number"].rsplit("-", 1)[1]) for c in created)
    assert numbers == list(range(numbers[0], numbers[0] + 20))
