"""What a web says when its database or its broker is down, over real HTTP.

Intake's real wiring with PostgreSQL and RabbitMQ addresses that nobody
listens on: readiness means "can accept work" (the database), an
unreachable database is a 503 with ``Retry-After`` and no traceback.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from werkzeug.serving import make_server

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.logs import JsonFormatter
from chancery.realmode import free_port
from chancery.runtime import web_app
from chancery_testing import wired_service
from intake.bootstrap import bootstrap
from intake.config import load_settings

pytestmark = pytest.mark.integration
SUBJECT = "Dėl gatvės apšvietimo Žvėryne"
NAME = "Ona Žemaitytė"
LETTER = {
    "kind": "complaint",
    "channel": "email",
    "language": "lt",
    "subject": SUBJECT,
    "sender": {"type": "person", "name": NAME, "email": "ona@example.org"},
    "addressee": {"kind": "mayor"},
}


@contextmanager
def intake_web(
    database_url: str, broker_url: str, tmp_path, migrated: bool = True
) -> Iterator[str]:
    """Intake's web app on a real HTTP port; yields its base URL."""
    env = {"BROKER_URL": broker_url}
    _, wiring = wired_service(
        tmp_path, load_settings, bootstrap, env, database_url=database_url, migrated=migrated
    )
    server = make_server("127.0.0.1", 0, web_app(wiring), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        wiring.engine.dispose()


@pytest.fixture
def captured_log() -> Iterator[io.StringIO]:
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(JsonFormatter("intake"))
    logging.getLogger().addHandler(handler)
    yield output
    logging.getLogger().removeHandler(handler)


def _registrar() -> dict[str, str]:
    return {
        "Authorization": "Bearer "
        + issue_token(DEV_JWT_SECRET, ["registrar"], subject="outage-clerk")
    }


def test_a_web_is_ready_and_registers_letters_while_the_broker_is_down(
    database_url, tmp_path
) -> None:
    closed_broker = f"amqp://guest:guest@127.0.0.1:{free_port()}//"
    with intake_web(database_url, closed_broker, tmp_path) as url:
        ready = requests.get(f"{url}/readyz", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ready",
            "checks": {"database": "ok", "broker": "unreachable"},
        }
        registered = requests.post(f"{url}/letters", json=LETTER, headers=_registrar(), timeout=10)
        assert registered.status_code == 201, registered.text


def test_an_unreachable_database_is_503_with_retry_after_and_no_traceback(
    broker_url, tmp_path, captured_log
) -> None:
    closed_database = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/chancery_intake"
    with intake_web(closed_database, broker_url, tmp_path, migrated=False) as url:
        ready = requests.get(f"{url}/readyz", timeout=10)
        registered = requests.post(f"{url}/letters", json=LETTER, headers=_registrar(), timeout=10)
        listed = requests.get(f"{url}/letters", headers=_registrar(), timeout=10)
    assert ready.status_code == 503
    assert ready.json()["errors"] == [
        {"field": "database", "location": "dependency", "reason": "unreachable"}
    ]
    assert "127.0.0.1" not in ready.text
    for response in (ready, registered, listed):
        assert response.status_code == 503, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
    assert "Something went wrong" not in registered.text
    logged = captured_log.getvalue()
    assert "database unavailable" in logged
    assert "Connection refused" in logged  # the operator learns why ...
    assert "Traceback" not in logged  # ... in one line, not a stack
    assert NAME not in logged
    assert SUBJECT not in logged
