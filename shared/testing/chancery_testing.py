"""Test fixtures for real PostgreSQL and RabbitMQ (a pytest plugin).

Where the servers come from, in order: ``CHANCERY_TEST_POSTGRES_URL`` /
``CHANCERY_TEST_RABBITMQ_URL``; containers when a Docker engine answers;
the local servers on 127.0.0.1 when their ports are open; otherwise the
test is skipped with the reason. Each test gets a throwaway database and a
throwaway RabbitMQ virtual host, so tests share no state.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chancery.realmode import ProcessGroup, free_port

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient
    from flask_smorest import Blueprint
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Engine

    from chancery.messages.consumer import Decision, MessageHandling
    from chancery.principal import Principal
    from chancery.profiles import Profile
    from chancery.runtime import ServiceDefinition, ServiceWiring

T = TypeVar("T")
H = TypeVar("H", bound="ServiceHarness")

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOCAL_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"


def wait_for(
    condition: Callable[[], T | None],
    timeout: float = 30.0,
    what: str = "the condition",
    interval: float = 0.05,
) -> T:
    """Poll ``condition`` until it returns something truthy (returned), or fail at the deadline.

    The one way tests wait for asynchronous results: never a fixed sleep.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout} s")
        time.sleep(interval)


def run_together(workers: int, call: Callable[[int], T]) -> list[T | Exception]:
    """Run ``call(i)`` for i in ``range(workers)`` in as many threads released at the same
    moment (a race); each one's result or the error it raised, in order.

    The barrier gives up after a minute, so a thread that fails before the start turns
    into an error instead of leaving the others waiting for ever.
    """
    barrier = threading.Barrier(workers, timeout=60)

    def attempt(index: int) -> T | Exception:
        barrier.wait()
        try:
            return call(index)
        except Exception as exc:  # the caller asserts on which error came back
            return exc

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(attempt, range(workers)))


class Clock:
    """A clock a test moves by hand: pass it as a service's ``bootstrap(clock=...)``."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock on by ``timedelta(**delta)``; the new instant."""
        self.now += timedelta(**delta)
        return self.now


def bearer(
    *roles: str, department: str | None = None, subject: str | None = None, **extra: str
) -> dict[str, str]:
    """An ``Authorization`` header (plus ``extra`` headers) for a random subject with ``roles``.

    The token is signed with the development secret every test wiring uses.
    """
    from chancery.auth import issue_token
    from chancery.config import DEV_JWT_SECRET

    subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
    token = issue_token(DEV_JWT_SECRET, list(roles), department=department, subject=subject)
    return {"Authorization": f"Bearer {token}", **extra}


def someone(*roles: str, department: str | None = None, subject: str | None = None) -> Principal:
    """A principal in ``roles`` (the first names it: ``registrar-1f0c...``, fresh each call)."""
    from chancery.principal import Principal

    subject = subject or f"{roles[0]}-{uuid.uuid4().hex[:10]}"
    return Principal(subject=subject, roles=frozenset(roles), department=department)


def blueprint_app(
    *blueprints: Blueprint,
    secret: str | None = None,
    readiness_checks: Mapping[str, Callable[[], None]] | None = None,
    reported_checks: Mapping[str, Callable[[], None]] | None = None,
    **settings: Any,
) -> Flask:
    """The shared library's web app around ``blueprints`` alone, for tests of the library.

    The settings are a service ``test`` on an in-memory SQLite database and
    broker, changed by ``settings``; tokens are verified with ``secret``
    (random unless given), issuer and audience ``chancery``.
    """
    from chancery.auth import TokenVerifier
    from chancery.config import Settings
    from chancery.http import create_app

    values = {"service": "test", "database_url": "sqlite://", "broker_url": "memory://"}
    return create_app(
        Settings(**{**values, **settings}),
        title="Test",
        description="A test service",
        blueprints=blueprints,
        readiness_checks=readiness_checks or {},
        reported_checks=reported_checks,
        verifier=TokenVerifier("chancery", "chancery", secret=secret or uuid.uuid4().hex),
    )


def message_body(
    message_type: str, payload: dict[str, Any], producer: str, message_id: str | None = None
) -> bytes:
    """A version-1 message's body as it arrives on a queue (random correlation id).

    ``message_id`` is random unless given (a test of duplicates sends one twice).
    """
    from chancery.messages.envelope import Envelope

    envelope = Envelope(
        type=message_type,
        version=1,
        producer=producer,
        payload=payload,
        correlation_id=f"c-{uuid.uuid4().hex[:10]}",
        message_id=message_id or str(uuid.uuid4()),
    )
    return envelope.to_json().encode()


def refused_message(service: str, producer: str) -> tuple[str, bytes]:
    """A message of a type ``service`` consumes whose payload its contract refuses: id, body.

    What a worker must dead-letter with the reason "invalid" (non-Latin text included).
    """
    from chancery.messages.catalogue import consumed_by
    from chancery.messages.envelope import Envelope

    contract = consumed_by(service)[0]
    envelope = Envelope(
        type=contract.type,
        version=contract.version,
        producer=producer,
        payload={"unexpected": "ąčęėįšųūž ქართული"},
        correlation_id=str(uuid.uuid4()),
    )
    return envelope.message_id, envelope.to_json().encode()


def put_on_queue(connection: Any, service: str, message_id: str, body: bytes) -> None:
    """Publish ``body`` straight onto ``service``'s queue, persistent, as any producer could.

    ``connection`` is a kombu ``Connection`` to the service's broker.
    """
    from kombu import Producer

    from chancery.messages.topology import queue_name

    Producer(connection.channel()).publish(
        body,
        exchange="",
        routing_key=queue_name(service),
        message_id=message_id,
        content_type="application/json",
        delivery_mode=2,
    )


@dataclass
class ServiceHarness:
    """One service as it runs in production, on a test's database, clock and broker.

    ``wiring`` comes from the service's own ``bootstrap``; the web app, its
    test client and the message-handling core are built from it on first use.
    The use cases are the wiring's extensions by the names ``bootstrap`` gives
    them (``system.letters``), so a harness does not list them again.
    Services' test systems derive from it and add their own helpers.
    """

    settings: Any
    wiring: ServiceWiring
    clock: Clock | None = None
    metadata: MetaData | None = field(default=None, repr=False)

    def __getattr__(self, name: str) -> Any:
        """The use case ``bootstrap`` names ``name`` among the wiring's extensions."""
        # Only names found nowhere else come here; ``wiring`` itself is looked up in
        # ``__dict__``, so a harness not yet initialised cannot recurse.
        wiring = self.__dict__.get("wiring")
        if wiring is None or name not in wiring.extensions:
            raise AttributeError(f"{type(self).__name__} has no attribute or use case {name!r}")
        return wiring.extensions[name]

    @property
    def profile(self) -> Profile:
        """The municipality's profile every use case of the wiring was given."""
        return self.wiring.profile

    @cached_property
    def app(self) -> Flask:
        """The web app on the wiring (built on first use: many tests need none)."""
        from chancery.runtime import web_app

        return web_app(self.wiring)

    @property
    def client(self) -> FlaskClient:
        """Flask's test client of :attr:`app`."""
        return self.app.test_client()

    @cached_property
    def handling(self) -> MessageHandling:
        """The real message-handling core: inbox, contract check, handlers, outbox."""
        from chancery.runtime import message_handling

        return message_handling(self.wiring)

    headers = staticmethod(bearer)
    principal = staticmethod(someone)

    envelope = staticmethod(message_body)

    def handle(
        self,
        message_type: str,
        payload: dict[str, Any],
        producer: str,
        message_id: str | None = None,
    ) -> Decision:
        """Hand one message to :attr:`handling`, as the worker would; its decision."""
        return self.handling.handle(self.envelope(message_type, payload, producer, message_id))

    def ask_about_a_person(self, action: str, **person: str | None) -> dict[str, Any]:
        """Deliver intake's ``personal_data.requested`` (random number); the service's answer.

        ``action`` is access, erase or restrict; ``person`` the name, e-mail or
        phone asked about (the others are null).
        """
        from chancery.clock import utcnow
        from chancery.messages.consumer import Outcome

        number = uuid.uuid4().int % 10**6 + 1
        decision = self.handle(
            "personal_data.requested",
            {
                "request_number": number,
                "action": action,
                "requested_at": utcnow().isoformat(),
                "person": {"name": None, "email": None, "phone": None, **person},
            },
            "intake",
        )
        assert decision.outcome is Outcome.HANDLED, decision
        answers: list[dict[str, Any]] = [
            envelope["payload"]
            for envelope in self.outbox("personal_data.answered")
            if envelope["payload"]["request_number"] == number
        ]
        assert len(answers) == 1, answers
        return answers[0]

    def outbox(self, message_type: str | None = None) -> list[dict[str, Any]]:
        """The envelopes written to the outbox, oldest first, optionally of one type."""
        import json

        from sqlalchemy import literal_column, select

        table = self.wiring.tables.outbox
        # SQLite's rowid is the insertion order (created_at may tie within a transaction).
        query = select(table.c.body).order_by(literal_column("rowid"))
        if message_type:
            query = query.where(table.c.message_type == message_type)
        with self.wiring.engine.connect() as conn:
            return [json.loads(row.body) for row in conn.execute(query)]

    def rows(self, query: Any) -> list[Any]:
        """What ``query`` (a SQLAlchemy select of one entity or column) finds, as stored now."""
        with self.wiring.unit_of_work() as uow:
            return list(uow.session.scalars(query))

    def snapshot(self) -> dict[str, list[tuple[str, ...]]]:
        """Every row of every table of :attr:`metadata`: what a refused request must keep."""
        from sqlalchemy import select

        assert self.metadata is not None, "the harness was built without the metadata"
        with self.wiring.engine.connect() as conn:
            return {
                table.name: sorted(
                    tuple(str(value) for value in row) for row in conn.execute(select(table))
                )
                for table in self.metadata.sorted_tables
            }


def wired_service(
    directory: Path,
    load_settings: Callable[[Mapping[str, str]], Any],
    bootstrap: Callable[..., ServiceWiring],
    env: Mapping[str, str] | None = None,
    database_url: str | None = None,
    migrated: bool = True,
    **overrides: Any,
) -> tuple[Any, ServiceWiring]:
    """A service's settings and production wiring for a test, its files in ``directory``.

    The database is a SQLite file in ``directory`` unless ``database_url`` names
    one (a throwaway PostgreSQL database); the broker is the in-memory one.
    ``env`` adds or replaces settings, ``overrides`` go to ``bootstrap``
    (``clock=...``). The database is migrated unless ``migrated`` is false
    (e.g. a copy of a migrated file is already there).
    """
    from chancery.runtime import migrate

    settings = load_settings(
        service_env(directory, database_url or f"sqlite:///{directory}/service.db", env)
    )
    wiring = bootstrap(settings, **overrides)
    if migrated:
        migrate(wiring)
    return settings, wiring


def service_env(
    directory: Path, database_url: str, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The settings of a service under test: ``database_url``, the in-memory broker, Alytus,
    its files in ``directory``; ``env`` adds or replaces settings."""
    return {
        "DATABASE_URL": database_url,
        "BROKER_URL": "memory://",
        "CHANCERY_DATA_DIR": str(directory),
        "CHANCERY_PROFILE": "alytus",
        **(env or {}),
    }


@contextmanager
def migrated_service(
    definition: ServiceDefinition,
    directory: Path,
    database_url: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[ServiceWiring]:
    """An installed service's production wiring, migrated, its engine disposed at the end.

    The database is a SQLite file in ``directory`` named after the service
    unless ``database_url`` names one (a throwaway PostgreSQL database); the
    broker is the in-memory one and the profile Alytus; ``env`` adds or
    replaces settings.
    """
    from chancery.runtime import migrate

    wiring = definition.wiring_from_env(
        service_env(directory, database_url or f"sqlite:///{directory / definition.name}.db", env)
    )
    try:
        migrate(wiring)
        yield wiring
    finally:
        wiring.engine.dispose()


@contextmanager
def migrated_services(
    directory: Path, env: Mapping[str, str] | None = None
) -> Iterator[dict[str, ServiceWiring]]:
    """Every installed service's :func:`migrated_service`, by name, a SQLite file each.

    For tests that read every service at once (its OpenAPI document, its
    answers to hostile input).
    """
    from chancery.services import installed_services

    with ExitStack() as stack:
        yield {
            definition.name: stack.enter_context(migrated_service(definition, directory, env=env))
            for definition in installed_services()
        }


@contextmanager
def logs_on_failure(group: ProcessGroup) -> Iterator[None]:
    """Write every process's log to stderr when the block fails (pytest shows it then)."""
    try:
        yield
    except BaseException:
        sys.stderr.write(group.logs())
        raise


def development_env(broker_url: str, data_dir: Path, **more: str) -> dict[str, str]:
    """The environment for services a test runs as processes (:func:`process_group`).

    This process's own environment, in development mode (tokens are signed with
    the public development secret: development only), on ``broker_url``, keeping
    files under ``data_dir``, with unbuffered output so logs come as they are
    written; ``more`` on top.
    """
    return {
        **os.environ,
        "CHANCERY_ENV": "development",
        "BROKER_URL": broker_url,
        "CHANCERY_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **more,
    }


@contextmanager
def process_group(logs_dir: Path, env: Mapping[str, str]) -> Iterator[ProcessGroup]:
    """Processes a test starts (services, the staff web app), stopped when the block ends.

    Their logs are kept in ``logs_dir`` and written to stderr if the block
    fails (:func:`logs_on_failure`), starting them included.
    """
    group = ProcessGroup(logs_dir, env)
    try:
        with logs_on_failure(group):
            yield group
    finally:
        group.stop()


@contextmanager
def harness_factory(tmp_path: Path, build: Callable[..., H]) -> Iterator[Callable[..., H]]:
    """A factory of test systems, each built by ``build(directory, ...)`` in its own folder.

    For a conftest's ``make_system`` fixture; every system's engine is
    disposed when the block ends.
    """
    systems: list[H] = []

    def make(*args: Any, **kwargs: Any) -> H:
        directory = tmp_path / f"system-{len(systems)}"
        directory.mkdir()
        system = build(directory, *args, **kwargs)
        systems.append(system)
        return system

    try:
        yield make
    finally:
        for system in systems:
            system.wiring.engine.dispose()


@pytest.fixture
def make_system(
    tmp_path: Path, build_system: Callable[..., ServiceHarness]
) -> Iterator[Callable[..., ServiceHarness]]:
    """A factory of a service's test systems, each in its own folder (see :func:`harness_factory`).

    The service's conftest says how one is built, as the fixture ``build_system``
    (a function of the folder and the test's choices: profile, clock, settings).
    """
    with harness_factory(tmp_path, build_system) as make:
        yield make


@pytest.fixture
def system(make_system: Callable[..., ServiceHarness]) -> ServiceHarness:
    """The service's test system with its conftest's defaults."""
    return make_system()


def problem(
    response: Any, status: int, fields: list[str] | AbstractSet[str] | None = None
) -> dict[str, Any]:
    """The problem document of a refused request, checked: status, media type, the
    Chancery problem type and, when ``fields`` is given, the fields its errors name:
    a list in that order, a set in any order.
    """
    import json

    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    document: dict[str, Any] = json.loads(response.data)
    assert document["status"] == status
    assert document["type"].startswith("https://chancery.example.org/problems/")
    named = [error["field"] for error in document["errors"]] if fields is not None else []
    if isinstance(fields, list):
        assert named == fields
    elif fields is not None:
        assert sorted(named) == sorted(fields)
    return document


MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def moments_not_local(body: Any, time_zone: str, path: str = "") -> list[str]:
    """Every timestamp in a JSON ``body`` not written with ``time_zone``'s offset at its instant.

    ``[]`` when the answer keeps the one convention (``2026-12-08T12:45:00+02:00``);
    otherwise each offender as ``path: value``, for the assertion's message.
    """
    if isinstance(body, dict):
        return [
            found
            for key, value in body.items()
            for found in moments_not_local(value, time_zone, f"{path}.{key}")
        ]
    if isinstance(body, list):
        return [
            found
            for index, value in enumerate(body)
            for found in moments_not_local(value, time_zone, f"{path}[{index}]")
        ]
    if not isinstance(body, str) or not MOMENT.match(body):
        return []
    moment = datetime.fromisoformat(body)
    local = moment.astimezone(ZoneInfo(time_zone))
    written = body[-6:] if not body.endswith("Z") else "Z"
    expected = local.isoformat()[-6:]
    return [] if written == expected else [f"{path}: {body} (expected {expected})"]


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def docker_available() -> bool:
    """True when a Docker engine answers (the client alone is not enough)."""
    try:
        import docker

        return bool(docker.from_env(timeout=2).ping())
    except Exception:
        return False


def unique(prefix: str) -> str:
    """A random name for a throwaway resource."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def outbox_row(
    created_at: datetime, published_at: datetime | None, message_id: str | None = None
) -> dict[str, Any]:
    """An outbox row as the platform table stores it: intake's ``letter.registered``, empty."""
    return {
        "id": message_id or str(uuid.uuid4()),
        "exchange": "intake.events",
        "routing_key": "letter.registered.v1",
        "message_type": "letter.registered",
        "body": "{}",
        "headers": {},
        "created_at": created_at,
        "published_at": published_at,
    }


def row_counts(engine: Engine, tables: Mapping[str, Any]) -> dict[str, int]:
    """How many rows each of ``tables`` (tables or mapped classes, by name) holds now."""
    from sqlalchemy import func, select

    with engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table)) or 0
            for name, table in tables.items()
        }


def inbox_row(handled_at: datetime) -> dict[str, Any]:
    """An inbox row as the platform table stores it: a handled ``letter.routed``."""
    return {
        "message_id": str(uuid.uuid4()),
        "message_type": "letter.routed",
        "handled_at": handled_at,
    }


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """An admin URL (database ``postgres``) of a PostgreSQL server for tests."""
    configured = os.environ.get("CHANCERY_TEST_POSTGRES_URL")
    if configured:
        yield configured
    elif port_open("127.0.0.1", 5432):
        # A server already running wins over a container: a Docker engine that reaches no
        # registry (these machines, many office networks) cannot pull one.
        yield LOCAL_POSTGRES
    elif docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:15", driver="psycopg") as container:
            url = make_url(container.get_connection_url()).set(database="postgres")
            yield url.render_as_string(hide_password=False)
    else:
        pytest.skip("no PostgreSQL: set CHANCERY_TEST_POSTGRES_URL or start one on 5432")


@contextmanager
def throwaway_database(
    server_url: str = LOCAL_POSTGRES, prefix: str = "chancery_t_"
) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    name = unique(prefix)
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    # No pooled connection is kept: the server may have been restarted (a fault test) by
    # the time the database is dropped.
    admin.dispose()
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with throwaway_database(postgres_server) as url:
        yield url


@pytest.fixture(scope="session")
def rabbitmq_server() -> Iterator[str]:
    """A base AMQP URL of a RabbitMQ server for tests (without a virtual host)."""
    configured = os.environ.get("CHANCERY_TEST_RABBITMQ_URL")
    if configured:
        yield configured
    elif port_open("127.0.0.1", 5672) and shutil.which("rabbitmqctl"):
        yield LOCAL_RABBITMQ
    elif docker_available():
        from testcontainers.rabbitmq import RabbitMqContainer

        with RabbitMqContainer("rabbitmq:3.12-management") as container:
            params = container.get_connection_params()
            yield f"amqp://guest:guest@{params.host}:{params.port}/"
    else:
        pytest.skip("no RabbitMQ: set CHANCERY_TEST_RABBITMQ_URL or start one on 5672")


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@contextmanager
def throwaway_vhost(server_url: str = LOCAL_RABBITMQ, prefix: str = "chancery-t-") -> Iterator[str]:
    """An AMQP URL on a new virtual host of the local server, deleted afterwards.

    Needs ``rabbitmqctl`` (local server); with a configured or containerised
    broker the default virtual host is used.
    """
    if server_url != LOCAL_RABBITMQ:
        yield server_url
        return
    vhost = unique(prefix)
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield f"{LOCAL_RABBITMQ}{quote(vhost, safe='')}"
    finally:
        _rabbitmqctl("delete_vhost", vhost)


@pytest.fixture
def broker_url(rabbitmq_server: str) -> Iterator[str]:
    """An AMQP URL on a fresh virtual host for one test, deleted afterwards."""
    with throwaway_vhost(rabbitmq_server) as url:
        yield url


def vhost_of(url: str) -> str:
    """The virtual host named in an AMQP URL."""
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(url).path.lstrip("/")) or "/"


def close_broker_connections(url: str) -> None:
    """Close every client connection on the URL's virtual host (a broker-side fault)."""
    _rabbitmqctl("close_all_connections", "--vhost", vhost_of(url), "test fault")


class RecordingSmtpHandler:
    """An aiosmtpd handler that keeps every accepted mail and can answer 4xx/5xx first.

    ``failures`` is a list of SMTP answers (e.g. ``"451 4.3.0 try later"``)
    given to the next DATA commands before mails are accepted again.
    """

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.failures: list[str] = []
        self.attempts = 0

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name)
        self,
        _server: object,
        _session: object,
        envelope: object,
    ) -> str:
        """Accept (and keep) the mail, or give the next scripted failure."""
        import email
        from email import policy

        self.attempts += 1
        if self.failures:
            return self.failures.pop(0)
        self.messages.append(
            email.message_from_bytes(
                envelope.content,  # type: ignore[attr-defined]
                policy=policy.default,
            )
        )
        return "250 OK"


@contextmanager
def running_smtp_server() -> Iterator[tuple[str, RecordingSmtpHandler]]:
    """A real SMTP server (aiosmtpd) on a free port: its ``smtp://`` URL and its handler."""
    from aiosmtpd.controller import Controller

    handler = RecordingSmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, RecordingSmtpHandler]]:
    """A real SMTP server for one test (see :func:`running_smtp_server`)."""
    with running_smtp_server() as server:
        yield server


@dataclass(frozen=True)
class S3Server:
    """An S3-compatible server's endpoint and the (test-only) keys it accepts."""

    endpoint_url: str
    access_key_id: str = "chancery-test"
    secret_access_key: str = "chancery-test-secret"
    region: str = "us-east-1"

    def client(self) -> Any:
        """A boto3 S3 client of this server."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
        )


@contextmanager
def running_s3_server() -> Iterator[S3Server]:
    """moto's standalone S3-compatible server (real HTTP, its own process) on a free port."""
    port = free_port()
    # Its request log goes to a file: a pipe nobody reads would fill and stop the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            wait_for(
                lambda: process.poll() is not None or port_open("127.0.0.1", port),
                timeout=60,
                what="moto's S3 server",
            )
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError("moto's server exited: " + log.read().decode()[-2000:])
            yield S3Server(f"http://127.0.0.1:{port}")
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One S3-compatible server for the session; each test makes its own bucket."""
    with running_s3_server() as server:
        yield server


class LocalHandler(BaseHTTPRequestHandler):
    """The request handler of a test's own HTTP server: silent, with one way to answer."""

    def reply(
        self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer ``status`` with ``headers``, the body's length and ``body``."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@contextmanager
def serving_http(
    handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None = None
) -> Iterator[str]:
    """``handler`` served by a threaded server on a free port of 127.0.0.1 until the block
    ends: its base URL. With ``tls`` (a server context) it speaks HTTPS."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    scheme = "https" if tls is not None else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class WebhookReceiver:
    """A real HTTP server that verifies Standard Webhooks signatures and keeps the bodies.

    Verification is the ``standardwebhooks`` library's, as a department system
    would do it; set ``secret`` (``whsec_…``) first.
    """

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.received: list[dict[str, Any]] = []
        self.refused = 0
        self.requests = 0
        self.answers: list[int] = []
        self.answer_headers: dict[str, str] = {}
        self.answer_body = b""

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        """Whether one of the ``webhook-signature`` signatures is the secret's."""
        from standardwebhooks.webhooks import (
            EmptyWebhookSecretError,
            Webhook,
            WebhookVerificationError,
        )

        try:
            Webhook(self.secret).verify(body, headers)
        except (WebhookVerificationError, EmptyWebhookSecretError, ValueError):
            return False
        return True


@contextmanager
def running_webhook_receiver(
    tls: ssl.SSLContext | None = None,
) -> Iterator[tuple[str, WebhookReceiver]]:
    """A webhook receiver on a free port: its URL and its state (set ``.secret`` first).

    ``answers`` are statuses given to the next POSTs instead of checking them,
    with ``answer_headers`` and ``answer_body``; a verified POST is kept (parsed
    and ``raw``) and answered 204, any other refused with 401. With ``tls``
    (a server context) it speaks HTTPS.
    """
    import json

    receiver = WebhookReceiver()

    class Handler(LocalHandler):
        def do_GET(self) -> None:  # a followed redirect would arrive as a GET
            receiver.requests += 1
            self.reply(200)

        def do_POST(self) -> None:
            receiver.requests += 1
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if receiver.answers:
                self.reply(receiver.answers.pop(0), receiver.answer_body, receiver.answer_headers)
            elif receiver.verify(dict(self.headers), body):
                receiver.received.append(
                    {"headers": dict(self.headers), "raw": body, "body": json.loads(body)}
                )
                self.send_response(204)
                self.end_headers()
            else:
                receiver.refused += 1
                self.reply(401)

    with serving_http(Handler, tls) as url:
        yield f"{url}/hooks", receiver


@pytest.fixture
def webhook_receiver() -> Iterator[tuple[str, WebhookReceiver]]:
    """A webhook receiver for one test (see :func:`running_webhook_receiver`)."""
    with running_webhook_receiver() as receiver:
        yield receiver


_RECORDED_SPANS: list[InMemorySpanExporter] = []


@pytest.fixture
def recorded_spans() -> InMemorySpanExporter:
    """An in-memory exporter receiving this process's spans (through the scrubber), emptied.

    The tracer provider is global and installed once per process, so every
    tracing test shares this one exporter; apps built after the fixture are
    traced. Skips when something else configured tracing first.
    """
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from chancery.telemetry import configure_tracing, exporting_processor

    if not _RECORDED_SPANS:
        _RECORDED_SPANS.append(InMemorySpanExporter())
    exporter = _RECORDED_SPANS[0]
    configure_tracing("tests", "none", processor=SimpleSpanProcessor(exporter))
    if getattr(exporting_processor(), "span_exporter", None) is not exporter:
        pytest.skip("another test configured this process's tracer provider first")
    exporter.clear()
    return cast(InMemorySpanExporter, exporter)


# Invented correspondents, one per language of the profiles (no real person in a test). Shared
# dicts: a test that needs another field spreads one into a new dict (``{**ONA, ...}``).
ONA: dict[str, str] = {
    "type": "person",
    "name": "Ona Žemaitytė",
    "email": "ona.zemaityte@example.org",
    "preferred_language": "lt",
}
JANIS: dict[str, str] = {
    "type": "person",
    "name": "Jānis Bērziņš",
    "email": "janis.berzins@example.org",
    "preferred_language": "lv",
}
NINO: dict[str, str] = {
    "type": "organisation",
    "name": "ნინო ბერიძე",
    "organisation": "თელავის მუნიციპალიტეტი",
    "preferred_language": "ka",
}
ARBER: dict[str, str] = {
    "type": "person",
    "name": "Arbër Hoxha",
    "phone": "+355 69 123 4567",
    "preferred_language": "sq",
}


def sample_payloads() -> dict[str, dict[str, Any]]:
    """One small, realistic payload per catalogue message type (fresh ids on every call).

    The catalogue's tests load each through its contract; a service's tests start
    from one and change only what their case is about, so every sample stays valid.
    """
    letter_id = str(uuid.uuid4())
    assignment: dict[str, Any] = {
        "assignment_id": str(uuid.uuid4()),
        "letter_id": letter_id,
        "registration_number": "P-2026-00017",
        "title": "Skundas dėl šiukšlių išvežimo",
        "department_code": "COMM",
        "executor": "ona.petraitiene",
        "due_date": "2026-12-18",
    }
    endorsement: dict[str, Any] = {
        "endorsement_id": str(uuid.uuid4()),
        "letter_id": letter_id,
        "registration_number": "SH-2026-00005",
        "reply_subject": "პასუხი განცხადებაზე",
        "step": 1,
        "steps": 2,
        "approver_role": "department_head",
        "department_code": "COMM",
        "executor": "nino.b",
    }
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "kind": "official_reception",
        "protocol_level": "diplomatic",
        "title": {
            "lt": "Oficialus priėmimas Kutaisio delegacijai",
            "ka": "ოფიციალური მიღება ქუთაისის დელეგაციისთვის",
        },
        "starts_at": "2026-12-03T12:00:00+02:00",
        "ends_at": "2026-12-03T14:00:00+02:00",
        "time_zone": "Europe/Vilnius",
        "venue": "Rotušės salė",
        "department_code": "COMM",
        "ical_uid": "evt-1@alytus.chancery",
        "sequence": 0,
        "participants": [
            {
                "participant_id": str(uuid.uuid4()),
                "name": "Nino Beridze",
                "email": "nino@example.org",
                "language": "ka",
            }
        ],
    }
    appointment: dict[str, Any] = {
        "appointment_id": str(uuid.uuid4()),
        "official_id": str(uuid.uuid4()),
        "official_name": "Ilir Meta",
        "starts_at": "2026-12-07T10:00:00+01:00",
        "ends_at": "2026-12-07T10:15:00+01:00",
        "time_zone": "Europe/Tirane",
        "place": "Zyra e kryetarit",
        "topic": "Ndriçimi në lagjen Çole",
        "visitor": {"name": "Arbër Hoxha", "email": "arber@example.org", "language": "sq"},
    }
    invitation: dict[str, Any] = {
        "invitation_id": str(uuid.uuid4()),
        "title": "Rīgas pilsētas svētki",
        "inviter": "Rīgas valstspilsētas pašvaldība",
        "city": "Rīga",
        "country": "LV",
        "starts_on": "2027-08-18",
        "ends_on": "2027-08-20",
        "department_code": "COMM",
        "letter_id": letter_id,
        "registration_number": "G-2026-00017",
    }
    # The ceremony an award is granted at and a journalist is accredited to.
    ceremony: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "event_title": {
            "lt": "Garbės piliečio vardo suteikimas",
            "ka": "საპატიო მოქალაქის წოდების მინიჭება",
        },
        "starts_at": "2026-12-10T15:00:00+02:00",
        "ends_at": "2026-12-10T16:30:00+02:00",
        "time_zone": "Europe/Vilnius",
        "venue": "Rotušės salė",
    }
    return {
        "event.scheduled": {**event, "scheduled_at": "2026-11-25T09:00:00+02:00"},
        "event.updated": {
            **event,
            "sequence": 1,
            "changes": ["venue"],
            "updated_at": "2026-11-26T09:00:00+02:00",
        },
        "event.cancelled": {
            **event,
            "sequence": 2,
            "reason": "Vizitas atidėtas",
            "cancelled_at": "2026-11-27T09:00:00+02:00",
        },
        "appointment.booked": {
            **appointment,
            "booked_by": "clerk-1",
            "booked_at": "2026-12-01T09:00:00+01:00",
        },
        "appointment.cancelled": {
            **appointment,
            "reason": "Banori nuk mund të vijë",
            "cancelled_by": "clerk-1",
            "cancelled_at": "2026-12-02T09:00:00+01:00",
        },
        "appointment.reminder_due": {**appointment, "hours_before": 24},
        "appointment.confirmation_requested": {
            **appointment,
            "confirmation_url": "https://example.org/public/receptions/booking/t0k",
            "expires_at": "2026-12-01T09:30:00+01:00",
        },
        "award.granted": {
            "nominee_id": str(uuid.uuid4()),
            **ceremony,
            "awardee": "Ona Žemaitytė",
            "organisation": None,
            "email": "ona@example.org",
            "language": "lt",
            "certificate_number": "GP-2026-001",
            "decision_reference": "T-2026-112",
            "decided_on": "2026-11-27",
            "decided_by_body": "Savivaldybės taryba",
            "granted_at": "2026-11-27T12:00:00+02:00",
        },
        "invitation.awaiting_decision": {**invitation, "respond_by": "2027-06-01"},
        "delegation.visit_approved": {
            "visit_id": str(uuid.uuid4()),
            "title": "ქუთაისის დელეგაციის ვიზიტი",
            "city": "ქუთაისი",
            "country": "GE",
            "arrives_at": "2026-12-02T18:00:00+02:00",
            "departs_at": "2026-12-05T10:00:00+02:00",
            "host_department_code": "COMM",
            "members": [
                {
                    "name": "გიორგი ბერიძე",
                    "role": "mayor",
                    "country": "GE",
                    "language": "ka",
                    "head": True,
                }
            ],
            "approved_by": "mayor-1",
            "approved_at": "2026-11-20T09:00:00+02:00",
        },
        "invitation.decided": {
            **invitation,
            "status": "approved",
            "note": "Brauks mero pavaduotojas",
            "decided_by": "mayor-1",
            "decided_at": "2026-06-01T10:00:00+03:00",
        },
        "proposal.referred": {
            "proposal_id": str(uuid.uuid4()),
            "title": "Përbashkët: festivali i detit",
            "received_on": "2026-11-20",
            "referred_to": "Komisioni i kulturës",
            "department_code": None,
            "referred_at": "2026-11-21T10:00:00+01:00",
        },
        "accreditation.decided": {
            "accreditation_id": str(uuid.uuid4()),
            **ceremony,
            "status": "approved",
            "badge_number": "PRESS-001",
            "journalist": "ნინო ბერიძე",
            "outlet": "ლაგოდეხის ამბები",
            "email": "nino@example.org",
            "language": "ka",
            "decided_at": "2026-12-01T09:00:00+04:00",
        },
        "agreement.expiring": {
            "agreement_id": str(uuid.uuid4()),
            "title": "Sadarbības līgums",
            "partner_city": "Daugavpils",
            "partner_country": "LV",
            "ends_on": "2027-02-01",
            "days_left": 60,
            "renewal": "manual",
            "department_code": "COMM",
        },
        "project.deadline_approaching": {
            "project_id": str(uuid.uuid4()),
            "title": "Interreg: Ura e Vjosës",
            "programme": "Interreg IPA",
            "deadline_kind": "application",
            "deadline_on": "2027-01-15",
            "days_left": 14,
            "department_code": "COMM",
        },
        "translation.due_soon": {
            "translation_id": str(uuid.uuid4()),
            "title": "Ielūgums uz pilsētas svētkiem",
            "direction": "incoming",
            "source_language": "lv",
            "target_language": "lt",
            "status": "in_progress",
            "translator": "Inga",
            "registration_number": "G-2026-00017",
            "partner_city": "Daugavpils",
            "due_on": "2026-03-18",
            "working_days_left": 1,
            "department_code": "COMM",
        },
        "letter.registered": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "register": "incoming",
            "kind": "application",
            "channel": "e_services",
            "language": "lt",
            "subject": "Prašymas dėl Šiaulių gatvės apšvietimo",
            "addressee": {"kind": "mayor"},
            "sender": {
                "type": "person",
                "name": "Ona Žemaitytė",
                "email": "ona@example.org",
                "preferred_language": "lt",
            },
            "confidentiality": "normal",
            "received_at": "2026-11-20T09:15:00+02:00",
            "registered_at": "2026-11-20T09:20:00+02:00",
            "status_lookup_code": "K7Q-2M4",
            "municipality": "alytus",
        },
        "letter.reply_registered": {
            "letter_id": letter_id,
            "registration_number": "IZS-2026-00031",
            "register": "outgoing",
            "kind": "reply",
            "language": "lv",
            "subject": "Atbilde par Ķīšezera krastu",
            "recipient": {"type": "person", "name": "Jānis Bērziņš"},
            "in_reply_to_letter_id": str(uuid.uuid4()),
            "registered_at": "2026-11-21T14:00:00+02:00",
        },
        "letter.not_ours": {
            "letter_id": letter_id,
            "registration_number": "HYR-2026-00044",
            "reason": "Kërkesa i përket Prefekturës së Vlorës",
            "forwarded_to": "Prefektura e Qarkut Vlorë",
            "decided_at": "2026-11-22T10:00:00+01:00",
        },
        "letter.archived": {
            "letter_id": letter_id,
            "registration_number": "შ-2026-00005",
            "archived_at": "2026-12-01T12:00:00+04:00",
        },
        "letter.voided": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00018",
            "reason": "Užregistruota du kartus",
            "voided_at": "2026-11-20T10:00:00+02:00",
        },
        "destruction.executed": {
            "act_number": 3,
            "letter_ids": [letter_id],
            "registration_numbers": ["GAU-2020-00017"],
            "ordered_at": "2032-01-12T10:00:00+02:00",
        },
        "letter.access_code_issued": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "language": "lv",
            "status_lookup_code": "K7XQ2M9PRT",
            "issued_at": "2026-11-21T09:00:00+02:00",
        },
        "letter.routed": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "department_code": "URBAN",
            "copy_department_codes": ["COMM"],
            "due_date": "2026-12-18",
            "rule": "Planning and building",
            "routed_at": "2026-11-20T09:21:00+02:00",
        },
        "letter.status_changed": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "previous_status": "routed",
            "status": "in_progress",
            "changed_at": "2026-11-23T08:00:00+02:00",
        },
        "letter.triaged": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "reason": "no rule matched and no department is addressed: manual triage",
            "triaged_at": "2026-11-23T08:00:00+02:00",
        },
        "letter.answered": {
            "letter_id": letter_id,
            "registration_number": "GAU-2026-00017",
            "answered_at": "2026-12-10T16:00:00+02:00",
            "reply_registration_number": "SIU-2026-00099",
        },
        "letter.deadline_extended": {
            "letter_id": letter_id,
            "registration_number": "P-2026-00017",
            "previous_due_date": "2026-12-18",
            "due_date": "2027-01-05",
            "reason": "Reikia gauti kitų institucijų išvadas",
            "extended_at": "2026-12-10T09:00:00+02:00",
            "explanation": {"lt": ["Pratęsiama dabartinė termino diena 2026-12-18 (penktadienis)"]},
        },
        "staff.member_changed": {
            "subject": "zane.ozola",
            "name": "Zane Ozola",
            "department_code": "COMM",
            "roles": ["department_head"],
            "positions": {"lv": "Komunikācijas nodaļas vadītāja", "en": "Head of communication"},
            "email": "zane.ozola@example.org",
            "phone": None,
            "language": "lv",
            "active": True,
            "changed_at": "2026-11-20T09:00:00+02:00",
        },
        "calendar.day_declared": {
            "day": "2026-01-05",
            "working": False,
            "reason": "დასვენების დღე (საახალწლო დღესასწაულები)",
            "decree": "Government of Georgia decree No. 2345 of 2025-12-20",
            "hours_of": None,
            "declared_by": "operator-1",
            "declared_at": "2025-12-22T10:00:00+04:00",
        },
        "assignment.created": {
            **assignment,
            "assigned_by": "mer-1",
            "created_at": "2026-11-20T09:21:00+02:00",
        },
        "assignment.due_soon": {**assignment, "working_days_left": 3},
        "assignment.reminded": {
            **assignment,
            "reminded_by": "mer-1",
            "reminded_by_name": "Eglė Petraitienė",
            "reminded_at": "2026-11-25T09:00:00+02:00",
            "reminder_count": 1,
        },
        "assignment.overdue": {**assignment, "days_overdue": 2},
        "endorsement.requested": {
            **endorsement,
            "requested_at": "2026-12-01T10:00:00+04:00",
        },
        "endorsement.approved": {
            **endorsement,
            "approved_by": "director-1",
            "approved_at": "2026-12-02T10:00:00+04:00",
        },
        "endorsement.returned": {
            **endorsement,
            "returned_by": "head-1",
            "comment": "გთხოვთ, დააზუსტოთ თარიღები",
            "returned_at": "2026-12-02T10:00:00+04:00",
        },
        "letter.submitted": {
            "idempotency_key": f"reception:{letter_id}",
            "kind": "application",
            "channel": "in_person",
            "language": "sq",
            "subject": "Kërkesë për ndriçim rrugor në lagjen Çole",
            "addressee": {"kind": "mayor"},
            "sender": {"type": "person", "name": "Arbër Hoxha", "phone": "+355 69 000 0000"},
            "received_at": "2026-12-07T10:05:00+01:00",
        },
        "notification.requested": {
            "idempotency_key": f"transport-system-{letter_id}",
            "recipient": {"email": "arber.hoxha@example.org", "name": "Arbër Hoxha"},
            "channel": "email",
            "template": "generic",
            "language": "sq",
            "data": {"title": "Ndërprerje e ujit", "message": "Nesër në lagjen Çole."},
        },
        "personal_data.requested": {
            "request_number": 4,
            "action": "access",
            "person": {"name": "მარიამ ბერიძე", "email": "mariam@example.org", "phone": None},
            "requested_at": "2026-12-01T10:00:00+04:00",
        },
        "personal_data.answered": {
            "request_number": 4,
            "action": "erase",
            "truncated": False,
            "outcomes": [
                {
                    "kind": "appointment",
                    "reference": "2026-05-06 Ana Dvali",
                    "outcome": "kept",
                    "reason": "An upcoming booking.",
                }
            ],
            "answered_at": "2026-12-01T10:00:05+04:00",
        },
    }


RESTORATION_DAY_SKIPPED: dict[str, Any] = {
    "code": "skipped",
    "day": "2026-03-11",
    "reason": {
        "kind": "holiday",
        "day": "2026-03-11",
        "name": "Day of Restoration of Independence of Lithuania",
    },
}
"""The deadline step of Lithuania's 11 March 2026 holiday, as every service explains it.

Tests that count working days across that week expect it among a deadline's ``steps``.
"""


def idempotency_row(created_at: datetime) -> dict[str, Any]:
    """An idempotency row as the platform table stores it: a registration's answer, kept."""
    return {
        "scope": "clerk:POST /letters",
        "key": str(uuid.uuid4()),
        "request_hash": "0",
        "status_code": 201,
        "response": {"status_lookup_code": "K7XQ2M9PRT"},
        "headers": {},
        "created_at": created_at,
    }


def notes_table() -> Table:
    """A throwaway table ``notes_<random>``: an id, a label, a JSON body and a UTC time.

    For tests of the database helpers: they create it on their engine and drop it after.
    """
    from sqlalchemy import Column, Integer, MetaData, String, Table

    from chancery.db import JSONDocument, UTCDateTime

    return Table(
        f"notes_{uuid.uuid4().hex[:12]}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("label", String(50)),
        Column("body", JSONDocument),
        Column("at", UTCDateTime),
    )


# Here rather than at the top: helpers join this module at its end, one branch each.
if TYPE_CHECKING:
    from sqlalchemy import Table
