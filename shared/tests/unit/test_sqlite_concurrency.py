"""The embedded mode's SQLite under two concurrent clients: no request starves.

An app built like an embedded service (create_app, UnitOfWork on an SQLite
file, a threaded HTTP server) and two clients over real HTTP: one whose
request runs transaction after transaction (as a worker draining a backlog
does), one reading. SQLite's busy handler let the busy client win every
turn, so the reader waited seconds and, past the busy timeout, failed with
"database is locked"; with fair turns it waits a few transactions at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask_smorest import Blueprint
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from werkzeug.serving import make_server

from chancery.db import UnitOfWork, WriterQueue, make_engine, platform_tables, session_factory
from chancery_testing import blueprint_app

METADATA = MetaData()
TABLES = platform_tables(METADATA)
NOTES = Table(
    "notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("text", String(100), nullable=False),
)
SECONDS = 5.0
# One burst: transaction after transaction for this long (a worker's backlog).
BURST_SECONDS = 2.5


@pytest.fixture
def embedded_style_app(tmp_path: Path) -> Iterator[str]:
    """The app on a real port over an SQLite file; yields its base URL."""
    url = f"sqlite:///{tmp_path / 'notes.db'}"
    engine = make_engine(url)
    METADATA.create_all(engine)
    sessions = session_factory(engine)

    def unit_of_work() -> UnitOfWork:
        return UnitOfWork(sessions, TABLES, "notes")

    blueprint = Blueprint("notes", __name__, url_prefix="/notes")

    @blueprint.route("/burst", methods=["POST"])
    def burst() -> dict[str, int]:
        written, until = 0, time.monotonic() + BURST_SECONDS
        while time.monotonic() < until:
            with unit_of_work() as uow:
                uow.session.execute(insert(NOTES).values(text=f"Šauliai {written}"))
                uow.commit()
            written += 1
        return {"written": written}

    @blueprint.route("/count", methods=["GET"])
    def count() -> dict[str, int]:
        with unit_of_work() as uow:
            return {"notes": uow.session.scalar(select(func.count()).select_from(NOTES))}

    app = blueprint_app(blueprint, service="notes", database_url=url)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)
    engine.dispose()


def test_a_reader_is_not_starved_by_a_client_writing_back_to_back(embedded_style_app):
    deadline = time.monotonic() + SECONDS
    answers: dict[str, list[tuple[int, float]]] = {"burst": [], "count": []}

    def client(name: str, method: str) -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                started = time.monotonic()
                response = session.request(method, f"{embedded_style_app}/notes/{name}", timeout=60)
                answers[name].append((response.status_code, time.monotonic() - started))

    clients = [
        threading.Thread(target=client, args=("burst", "POST")),
        threading.Thread(target=client, args=("count", "GET")),
    ]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(60)
    for name, results in answers.items():
        assert results, name
        assert {status for status, _ in results} == {200}, name
    slowest_read = max(seconds for _, seconds in answers["count"])
    assert slowest_read < 1.0, f"a read waited {slowest_read:.1f} s"
    assert len(answers["count"]) > 20


def test_turns_are_handed_over_in_arrival_order():
    queue = WriterQueue()
    assert queue.acquire(1)
    order: list[int] = []
    arrived = []

    def wait_turn(number: int) -> None:
        arrived.append(number)
        assert queue.acquire(5)
        order.append(number)
        queue.release()

    threads = []
    for number in range(5):
        thread = threading.Thread(target=wait_turn, args=(number,))
        thread.start()
        threads.append(thread)
        while len(arrived) <= number or len(queue._waiting) <= number:
            time.sleep(0.001)
    queue.release()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4]


def test_a_turn_that_never_comes_gives_up_after_its_timeout():
    queue = WriterQueue()
    assert queue.acquire(1)
    started = time.monotonic()
    assert not queue.acquire(0.2)
    assert 0.2 <= time.monotonic() - started < 2
    queue.release()
    assert queue.acquire(0.1)  # the abandoned wait left nothing behind
