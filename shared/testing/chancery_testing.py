"""Test fixtures for real PostgreSQL and RabbitMQ (a pytest plugin).

Where the servers come from, in order: ``CHANCERY_TEST_POSTGRES_URL`` /
``CHANCERY_TEST_RABBITMQ_URL``; containers when a Docker engine answers;
the local servers on 127.0.0.1 when their ports are open; otherwise the
test is skipped with the reason. Each test gets a throwaway database and a
throwaway RabbitMQ virtual host, so tests share no state.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from chancery.realmode import free_port

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

T = TypeVar("T")

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOCAL_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"


def wait_for(condition: Callable[[], T | None], timeout: float = 30.0,
             what: str = "the condition", interval: float = 0.05) -> T:
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
def throwaway_database(server_url: str = LOCAL_POSTGRES, prefix: str = "chancery_t_"
                      ) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards."""
    name = unique(prefix)
    admin = create_engine(make_url(server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
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
def throwaway_vhost(server_url: str = LOCAL_RABBITMQ, prefix: str = "chancery-t-"
                    ) -> Iterator[str]:
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
        self.messages: list = []
        self.failures: list[str] = []
        self.attempts = 0

    async def handle_DATA(self, _server: object, _session: object,  # noqa: N802 - aiosmtpd's name
                          envelope: object) -> str:
        """Accept (and keep) the mail, or give the next scripted failure."""
        import email
        from email import policy

        self.attempts += 1
        if self.failures:
            return self.failures.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content,  # type: ignore[attr-defined]
                                                      policy=policy.default))
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


class WebhookReceiver:
    """A real HTTP server that verifies Standard Webhooks signatures and keeps the bodies.

    Verification is the ``standardwebhooks`` library's, as a department system
    would do it; set ``secret`` (``whsec_…``) first.
    """

    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.received: list[dict] = []
        self.refused = 0
        self.requests = 0
        self.answers: list[int] = []
        self.answer_headers: dict[str, str] = {}
        self.answer_body = b""

    def verify(self, headers: dict, body: bytes) -> bool:
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
def running_webhook_receiver(tls: ssl.SSLContext | None = None
                             ) -> Iterator[tuple[str, WebhookReceiver]]:
    """A webhook receiver on a free port: its URL and its state (set ``.secret`` first).

    ``answers`` are statuses given to the next POSTs instead of checking them,
    with ``answer_headers`` and ``answer_body``; a verified POST is kept (parsed
    and ``raw``) and answered 204, any other refused with 401. With ``tls``
    (a server context) it speaks HTTPS.
    """
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # a followed redirect would arrive as a GET
            receiver.requests += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            receiver.requests += 1
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if receiver.answers:
                self.send_response(receiver.answers.pop(0))
                for name, value in receiver.answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(receiver.answer_body)))
                self.end_headers()
                self.wfile.write(receiver.answer_body)
                return
            if receiver.verify(dict(self.headers), body):
                receiver.received.append({"headers": dict(self.headers), "raw": body,
                                          "body": json.loads(body)})
                self.send_response(204)
            else:
                receiver.refused += 1
                self.send_response(401)
                self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scheme = "https" if tls is not None else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}/hooks", receiver
    finally:
        server.shutdown()
        server.server_close()


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
    return exporter
