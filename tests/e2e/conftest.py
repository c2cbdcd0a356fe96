"""The whole system for end-to-end journeys: every installed service as its own processes.

Each service runs as a gunicorn web process, a worker and an outbox relay,
with its own throwaway PostgreSQL database, all on one throwaway RabbitMQ
virtual host, sending mail to a real SMTP server in the test process.

Starting it costs tens of seconds, so modules share it: journeys use random
ids and share nothing but the processes. The system is keyed by its
configuration (a module's ``SERVICES_NEEDED`` and ``EXTRA_ENV``); the modules
with one key run one after another (:func:`pytest_collection_modifyitems`)
on one running system, which is stopped, in the background, when a module
with another key comes (one system at a time on a small machine). A module
that kills, restarts or reconfigures processes or the servers, or counts
everything the system did, sets ``OWN_SYSTEM = True`` and gets a fresh
system of its own. When a test fails, what every process logged while it
ran is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
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
    development_env,
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

    def listed(
        self,
        service: str,
        path: str,
        headers: dict[str, str],
        params: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The items of a list ``path`` answers (200) with the query ``params``."""
        items: list[dict[str, Any]] = self.call(
            "GET", service, path, 200, headers, params=params
        ).json()["items"]
        return items

    def register(self, clerk: dict[str, str], letter: dict[str, Any]) -> dict[str, Any]:
        """Register ``letter`` (a body from :mod:`tests.letters`) at intake as ``clerk``."""
        return self.call("POST", "intake", "/letters", 201, clerk, json=letter).json()

    def enrol_staff(self, operator: dict[str, str], subject: str, entry: dict[str, Any]) -> None:
        """Put ``subject`` in routing's staff directory; wait until notifications has the copy."""
        self.call("PUT", "routing", f"/staff/{subject}", 200, operator, json=entry)

        def copied() -> bool:
            staff = self.listed("notifications", "/staff", operator)
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

    def first_free_slot(self, officer: dict[str, str], official_id: str) -> str:
        """The start of the official's first free slot in the coming two weeks."""
        start = date.today() + timedelta(days=1)
        slots = self.call(
            "GET",
            "protocol-events",
            f"/officials/{official_id}/slots",
            200,
            officer,
            params={"from": start.isoformat(), "to": (start + timedelta(days=13)).isoformat()},
        ).json()
        return next(slot["starts_at"] for slot in slots["slots"] if slot["free"])

    def mails_to(self, address: str) -> list[Any]:
        """Mails the SMTP server accepted for ``address``."""
        return [m for m in self.smtp.messages if address in str(m["To"])]

    def trip_to_daugavpils(
        self, officer: dict[str, str], departs: date, members: list[dict[str, Any]], **fields: Any
    ) -> dict[str, Any]:
        """Plan a two-day trip to Daugavpils leaving on ``departs`` at foreign-relations."""
        trip = {
            "city": "Daugavpils",
            "country": "LV",
            "departs_on": departs.isoformat(),
            "returns_on": (departs + timedelta(days=2)).isoformat(),
            "members": members,
            **fields,
        }
        return self.call("POST", "foreign-relations", "/trips", 201, officer, json=trip).json()


def start_side_by_side(
    group: ProcessGroup,
    services: Iterable[tuple[ServiceDefinition, int, Mapping[str, str]]],
    web_workers: int = 1,
) -> None:
    """Start each ``(definition, port, extra_env)`` as :func:`start_service` does, at once.

    No service needs another to be up, so they start side by side: three at
    a time keep two cores busy while the others wait for a port to answer.
    """

    def start(definition: ServiceDefinition, port: int, extra_env: Mapping[str, str]) -> None:
        start_service(group, definition, port, web_workers=web_workers, extra_env=extra_env)

    with ThreadPoolExecutor(max_workers=3) as starters:
        for started in [starters.submit(start, *service) for service in services]:
            started.result()


def _start_all(
    group: ProcessGroup,
    definitions: list[ServiceDefinition],
    databases: dict[str, str],
    metrics: Path,
) -> dict[str, str]:
    ports = {definition.name: free_port() for definition in definitions}
    start_side_by_side(
        group,
        [
            (
                definition,
                ports[definition.name],
                {
                    "DATABASE_URL": databases[definition.name],
                    "PROMETHEUS_MULTIPROC_DIR": str(metrics / definition.name),
                },
            )
            for definition in definitions
        ],
    )
    return {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}


Configuration = tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]


def _configuration(module: ModuleType) -> Configuration | None:
    """The key of the system ``module``'s tests can share; None when it needs its own."""
    if getattr(module, "OWN_SYSTEM", False):
        return None
    needed = getattr(module, "SERVICES_NEEDED", None)
    extra = getattr(module, "EXTRA_ENV", {})
    return (tuple(sorted(needed)) if needed else None, tuple(sorted(extra.items())))


def _shared_configuration(item: pytest.Item) -> Configuration | None:
    """The configuration of the shared system ``item`` runs on, if it runs on one."""
    module = getattr(item, "module", None)
    if module is None or "whole_system" not in getattr(item, "fixturenames", ()):
        return None
    return _configuration(module)


def _shared_later(session: pytest.Session, module: ModuleType, key: Configuration) -> bool:
    """Whether a test after ``module``'s runs on the shared system of ``key``."""
    places = [i for i, item in enumerate(session.items) if getattr(item, "module", None) is module]
    later = session.items[max(places) + 1 :] if places else []
    return any(_shared_configuration(item) == key for item in later)


@contextmanager
def _running_system(
    module: ModuleType, postgres_server: str, rabbitmq_server: str, root: Path
) -> Iterator[WholeSystem]:
    """The services ``module`` needs, with the environment it asks for, until the block ends."""
    profile = "alytus"
    needed = getattr(module, "SERVICES_NEEDED", None)
    definitions = [d for d in installed_services() if needed is None or d.name in needed]
    with ExitStack() as stack:
        broker = stack.enter_context(throwaway_vhost(rabbitmq_server))
        smtp_url, smtp = stack.enter_context(running_smtp_server())
        databases = {
            d.name: stack.enter_context(throwaway_database(postgres_server)) for d in definitions
        }
        own = {"CHANCERY_PROFILE": profile, "LOG_FORMAT": "json", "SMTP_URL": smtp_url}
        # A module's EXTRA_ENV wins over the fast timers and these.
        env = development_env(
            broker, root / "data", **{**own, **FAST_TIMERS, **getattr(module, "EXTRA_ENV", {})}
        )
        with process_group(root / "logs", env) as group:
            urls = _start_all(group, definitions, databases, root / "metrics")
            yield WholeSystem(
                urls=urls, smtp=smtp, group=group, profile=profile, databases=databases
            )


@dataclass
class Systems:
    """The system modules of one configuration share, and the systems being stopped.

    Stopping one takes seconds of waiting (processes exiting, databases and a
    virtual host dropped), so it is done in the background while the next
    module runs.
    """

    configuration: Configuration | None = None
    shared: WholeSystem | None = None
    _stack: ExitStack = field(default_factory=ExitStack)
    _stopper: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2))
    _stopping: list[Future[None]] = field(default_factory=list)

    def serving(
        self, configuration: Configuration, start: Callable[[], AbstractContextManager[WholeSystem]]
    ) -> WholeSystem:
        """The running system of ``configuration``, started by entering ``start()`` if need be."""
        if self.shared is None or self.configuration != configuration:
            self.stop_shared()
            stack = ExitStack()
            self.shared = stack.enter_context(start())
            self._stack, self.configuration = stack, configuration
        return self.shared

    def stop_shared(self) -> None:
        """Stop the shared system, if one runs (in the background)."""
        if self.shared is not None:
            self.stop_later(self._stack)
            self.shared = self.configuration = None

    def stop_later(self, stack: ExitStack) -> None:
        """Close ``stack`` (a system's) in the background."""
        self._stopping.append(self._stopper.submit(stack.close))

    def wait_stopped(self) -> None:
        """Wait until every system being stopped is; raise what stopping one raised."""
        stopping, self._stopping = self._stopping, []
        for stopped in stopping:
            stopped.result()

    def close(self) -> None:
        """Stop every system and wait for it."""
        self.stop_shared()
        try:
            self.wait_stopped()
        finally:
            self._stopper.shutdown()


@pytest.fixture(scope="session")
def systems(postgres_server: str, rabbitmq_server: str) -> Iterator[Systems]:
    """The e2e modules' systems; every one is stopped at the session's end.

    It asks for the servers only so that the systems are stopped before they are.
    """
    running = Systems()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def whole_system(
    request: pytest.FixtureRequest,
    systems: Systems,
    postgres_server: str,
    rabbitmq_server: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[WholeSystem]:
    """The installed services in real mode, for one test module.

    A module that needs only some services names them in ``SERVICES_NEEDED``;
    one that needs more environment for every process (an OTLP endpoint, say)
    puts it in ``EXTRA_ENV``, read when the system starts. Modules of one
    configuration share one running system; a module with ``OWN_SYSTEM = True``
    gets one of its own, stopped after it.
    """
    module = request.module

    def start() -> AbstractContextManager[WholeSystem]:
        root = tmp_path_factory.mktemp("system")
        return _running_system(module, postgres_server, rabbitmq_server, root)

    configuration = _configuration(module)
    if configuration is None:
        # The shared system would idle meanwhile on a machine of two cores, and a
        # module of its own may restart the servers the others are being dropped from.
        systems.stop_shared()
        systems.wait_stopped()
        stack = ExitStack()
        system = stack.enter_context(start())
        try:
            yield system
        finally:
            systems.stop_later(stack)
    else:
        yield systems.serving(configuration, start)
        if not _shared_later(request.session, module, configuration):
            # Idle, it would slow the rest of the run on a machine of two cores.
            systems.stop_shared()


@pytest.fixture
def system(whole_system: WholeSystem, request: pytest.FixtureRequest) -> Iterator[WholeSystem]:
    """The module's running system; what it logged during this test is printed if it fails."""
    sizes = whole_system.group.log_sizes()
    yield whole_system
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        sys.stderr.write(whole_system.group.logs(since=sizes))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the journeys of one configuration one after another, so they share one system.

    Only the e2e modules' places in the run are reordered among themselves,
    keeping the order they came in (pytest-randomly's, say) within a group.
    """
    here = Path(__file__).parent
    places = [i for i, item in enumerate(items) if item.path.is_relative_to(here)]
    groups: dict[object, list[pytest.Item]] = {}
    for place in places:
        item = items[place]
        key = _shared_configuration(item)
        # A module with a system of its own, or none, is a group of its own.
        groups.setdefault(key if key is not None else item.path, []).append(item)
    ordered = [item for group in groups.values() for item in group]
    for place, item in zip(places, ordered, strict=True):
        items[place] = item


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item, for :func:`system` to see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
