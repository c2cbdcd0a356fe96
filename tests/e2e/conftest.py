"""The whole system for end-to-end journeys: every installed service as its own processes.

Each service runs as a gunicorn web process, a worker and an outbox relay,
with its own throwaway PostgreSQL database, all on one throwaway RabbitMQ
virtual host, sending mail to a real SMTP server in the test process. The
system is started once per test module (journeys use random ids, so they
share nothing but the processes) and every process's log is printed when a
test fails.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.realmode import ProcessGroup, free_port, start_service
from chancery.runtime import ServiceDefinition
from chancery.services import installed_services
from chancery_testing import (
    RecordingSmtpHandler,
    process_group,
    running_smtp_server,
    throwaway_database,
    throwaway_vhost,
    wait_for,
)

T = TypeVar("T")

# Timers and senders tick fast so journeys finish in seconds, not minutes.
FAST_TIMERS = {
    "ROUTING_TIMER_SECONDS": "0.5",
    "NOTIFY_SENDER_INTERVAL_SECONDS": "0.05",
    "NOTIFY_BACKOFF_SECONDS": "0.2",
    # Only the one mail in flight when a fault test kills a sender waits this long (the
    # others are not claimed yet); test_delivery.py proves that with the 300 s default.
    "NOTIFY_STALE_SENDING_SECONDS": "3",
    "PROTOCOL_EVENTS_TIMER_SECONDS": "0.5",
    # Any appointment in the next three weeks is within reminder reach at once.
    "PROTOCOL_EVENTS_REMINDER_HOURS": "500",
    "FOREIGN_RELATIONS_TIMER_SECONDS": "0.5",
}


@dataclass
class WholeSystem:
    """The running services: their base URLs, the mail they sent and their processes."""

    urls: dict[str, str]
    smtp: RecordingSmtpHandler
    group: ProcessGroup
    profile: str
    # Each service's throwaway database, for a journey that checks what is stored.
    databases: dict[str, str] = field(default_factory=dict)

    def url(self, service: str, path: str) -> str:
        """``path`` on ``service``'s web process."""
        return f"{self.urls[service]}{path}"

    @staticmethod
    def headers(
        *roles: str, subject: str, department: str | None = None, **extra: str
    ) -> dict[str, str]:
        """A bearer token header for ``subject`` with ``roles``, plus ``extra`` headers."""
        token = issue_token(DEV_JWT_SECRET, list(roles), department=department, subject=subject)
        return {"Authorization": f"Bearer {token}", **extra}

    def call(
        self,
        method: str,
        service: str,
        path: str,
        expected: int | tuple[int, ...],
        headers: dict[str, str],
        **kwargs: Any,
    ) -> requests.Response:
        """One HTTP request; fails with the problem document when the status is unexpected."""
        response = requests.request(
            method, self.url(service, path), headers=headers, timeout=15, **kwargs
        )
        wanted = (expected,) if isinstance(expected, int) else expected
        assert response.status_code in wanted, (
            f"{method} {service}{path}: {response.status_code} {response.text[:2000]}"
        )
        return response

    def register(self, clerk: dict[str, str], letter: dict[str, Any]) -> dict[str, Any]:
        """Register ``letter`` (a body from :mod:`tests.letters`) at intake as ``clerk``."""
        return self.call("POST", "intake", "/letters", 201, clerk, json=letter).json()

    def enrol_staff(self, operator: dict[str, str], subject: str, entry: dict[str, Any]) -> None:
        """Put ``subject`` in routing's staff directory; wait until notifications has the copy."""
        self.call("PUT", "routing", f"/staff/{subject}", 200, operator, json=entry)

        def copied() -> bool:
            staff = self.call("GET", "notifications", "/staff", 200, operator).json()["items"]
            return subject in {member["subject"] for member in staff}

        wait_for(copied, what="the directory's entry copied to notifications")

    def receiving_official(
        self, officer: dict[str, str], official: dict[str, Any], weekdays: Iterable[int], slot: int
    ) -> dict[str, Any]:
        """Create ``official`` at protocol-events, receiving 09:00-11:00 on ``weekdays``."""
        created = self.call(
            "POST", "protocol-events", "/officials", 201, officer, json=official
        ).json()
        hours = [
            {"weekday": day, "start": "09:00", "end": "11:00", "slot_minutes": slot}
            for day in weekdays
        ]
        path = f"/officials/{created['id']}/hours"
        self.call("PUT", "protocol-events", path, 200, officer, json={"hours": hours})
        return created

    def mails_to(self, address: str) -> list[Any]:
        """Mails the SMTP server accepted for ``address``."""
        return [m for m in self.smtp.messages if address in str(m["To"])]


def _start_all(
    group: ProcessGroup,
    definitions: list[ServiceDefinition],
    databases: dict[str, str],
    metrics: Path,
) -> dict[str, str]:
    urls = {}
    for definition in definitions:
        port = free_port()
        start_service(
            group,
            definition,
            port,
            web_workers=1,
            extra_env={
                "DATABASE_URL": databases[definition.name],
                "PROMETHEUS_MULTIPROC_DIR": str(metrics / definition.name),
            },
        )
        urls[definition.name] = f"http://127.0.0.1:{port}"
    return urls


@pytest.fixture(scope="module")
def whole_system(
    request: pytest.FixtureRequest,
    postgres_server: str,
    rabbitmq_server: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WholeSystem]:
    """The installed services in real mode, for one test module.

    A module that needs only some services names them in ``SERVICES_NEEDED``;
    one that needs more environment for every process (an OTLP endpoint, say)
    puts it in ``EXTRA_ENV``, read when the system starts.
    """
    profile = "alytus"
    root = tmp_path_factory.mktemp("system")
    needed = getattr(request.module, "SERVICES_NEEDED", None)
    definitions = [d for d in installed_services() if needed is None or d.name in needed]
    with ExitStack() as stack:
        broker = stack.enter_context(throwaway_vhost(rabbitmq_server))
        smtp_url, smtp = stack.enter_context(running_smtp_server())
        databases = {
            d.name: stack.enter_context(throwaway_database(postgres_server)) for d in definitions
        }
        # The tokens are signed with the public development secret: development only.
        env = {
            **os.environ,
            "CHANCERY_ENV": "development",
            "BROKER_URL": broker,
            "CHANCERY_PROFILE": profile,
            "CHANCERY_DATA_DIR": str(root / "data"),
            "PYTHONUNBUFFERED": "1",
            "LOG_FORMAT": "json",
            "SMTP_URL": smtp_url,
            **FAST_TIMERS,
            **getattr(request.module, "EXTRA_ENV", {}),
        }
        with process_group(root / "logs", env) as group:
            urls = _start_all(group, definitions, databases, root / "metrics")
            yield WholeSystem(
                urls=urls, smtp=smtp, group=group, profile=profile, databases=databases
            )


@pytest.fixture
def system(whole_system: WholeSystem, request: pytest.FixtureRequest) -> Iterator[WholeSystem]:
    """The module's running system; its logs are printed if this test fails."""
    yield whole_system
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        sys.stderr.write(whole_system.group.logs())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item, for :func:`system` to see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
