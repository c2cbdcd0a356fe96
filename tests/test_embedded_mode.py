"""The embedded mode keeps working with no secret set, and two clients at once do not stall it.

Intake and routing as ``make run`` runs them (SQLite files, in-memory broker,
threads), in an environment that names no secret and no ``CHANCERY_ENV``:
tokens signed with the development secret are accepted there. One client
registers letters while another reads routing's queue, over real HTTP.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest
import requests

import intake.bootstrap
import routing.bootstrap
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.embedded import EmbeddedSystem
from chancery.realmode import free_port
from chancery_testing import wait_for

LETTER = {
    "kind": "complaint",
    "channel": "email",
    "language": "lv",
    "subject": "Par ielu apgaismojumu Daugavpilī",
    "sender": {"type": "person", "name": "Jānis Bērziņš", "email": "janis@example.org"},
    "addressee": {"kind": "mayor"},
}
REGISTRAR = {
    "Authorization": "Bearer "
    + issue_token(DEV_JWT_SECRET, ["registrar"], subject="embedded-clerk")
}


@pytest.fixture
def embedded(tmp_path) -> Iterator[dict[str, str]]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("JWT_SECRET", "JWT_JWKS_URL", "CHANCERY_ENV")
    }
    system = EmbeddedSystem(tmp_path / "embedded", free_port(), env, demo=False)
    try:
        yield dict(system.start([intake.bootstrap.DEFINITION, routing.bootstrap.DEFINITION]))
    finally:
        system.shutdown()


def test_two_clients_register_and_read_while_letters_are_routed(embedded) -> None:
    answers: list[tuple[str, int, float]] = []

    def client(name: str, method: str, url: str, **kwargs) -> None:
        with requests.Session() as session:
            for _ in range(15):
                started = time.monotonic()
                response = session.request(method, url, headers=REGISTRAR, timeout=60, **kwargs)
                answers.append((name, response.status_code, time.monotonic() - started))

    clients = [
        threading.Thread(
            target=client,
            args=("register", "POST", f"{embedded['intake']}/letters"),
            kwargs={"json": LETTER},
        ),
        threading.Thread(target=client, args=("read", "GET", f"{embedded['routing']}/letters")),
    ]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(120)
    assert {(name, status) for name, status, _ in answers} == {("register", 201), ("read", 200)}
    assert max(seconds for _, _, seconds in answers) < 5
    routed = wait_for(
        lambda: (
            len(
                requests.get(
                    f"{embedded['routing']}/letters",
                    params={"limit": 50},
                    headers=REGISTRAR,
                    timeout=10,
                ).json()["items"]
            )
            >= 15
            or None
        ),
        what="15 letters in routing",
    )
    assert routed
    ready = requests.get(f"{embedded['routing']}/readyz", timeout=10).json()
    assert ready == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}
