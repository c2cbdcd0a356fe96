"""The staff app against real services over HTTP: a service on SQLite served on a free port,
seeded through its own API, and the staff app's test client signed in as a demo person."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.principal import Principal
from chancery.runtime import ServiceWiring, migrate, web_app
from intake.http.schemas.letters import LETTER_EXAMPLE
from staff_web.bootstrap import create_app
from staff_web.config import load_settings

KEEPER = Principal(subject="operator-1", roles=frozenset({"operator"}))


@dataclass(frozen=True)
class Served:
    """A real service on a free port: its wiring, an API client to seed it and its address."""

    wiring: ServiceWiring
    api: FlaskClient
    url: str

    def headers(self, *roles: str) -> dict[str, str]:
        """A development bearer token with these roles."""
        return {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, list(roles))}"}

    def add_staff(self, subject: str, name: str, department: str) -> None:
        """Put a department's staff member into routing's directory (Lithuanian)."""
        self.wiring.extensions["staff"].save(
            subject,
            {
                "name": name,
                "department_code": department,
                "roles": ["department_staff"],
                "positions": {"lt": "Teisininkė"},
                "email": None,
                "phone": None,
                "language": "lt",
                "active": True,
            },
            KEEPER,
            "c-seed",
        )

    def register_incoming(self, *subjects: str) -> None:
        """Register an incoming letter of each subject at intake (the example letter's other
        fields)."""
        for subject in subjects:
            registered = self.api.post(
                "/letters",
                headers=self.headers("registrar"),
                json={**LETTER_EXAMPLE, "direction": "incoming", "subject": subject},
            )
            assert registered.status_code == 201, registered.get_json()

    def give_assignments(self, executor: str, due: Mapping[str, date]) -> None:
        """The mayor gives the legal department's ``executor`` a task of each title, due on
        its date (routing)."""
        for title, day in due.items():
            given = self.api.post(
                "/assignments",
                headers=self.headers("mayor"),
                json={
                    "title": title,
                    "department_code": "LEGAL",
                    "executor": executor,
                    "due_date": day.isoformat(),
                },
            )
            assert given.status_code == 201, given.get_json()


def _service(name: str) -> tuple[Callable[..., Any], Callable[..., ServiceWiring]]:
    if name == "intake":
        from intake.bootstrap import bootstrap as intake_bootstrap
        from intake.config import load_settings as intake_settings

        return intake_settings, intake_bootstrap
    from routing.bootstrap import bootstrap as routing_bootstrap
    from routing.config import load_settings as routing_settings

    return routing_settings, routing_bootstrap


@dataclass
class Harness:
    """Real services for the staff app to talk to, and reading its pages."""

    tmp_path: Path
    running: list[tuple[BaseWSGIServer, ServiceWiring]] = field(default_factory=list)

    def serve(self, service: str, **env: str) -> Served:
        """Start ``intake`` or ``routing`` (migrated SQLite, in-memory broker)."""
        settings, bootstrap = _service(service)
        wiring = bootstrap(
            settings(
                {
                    "DATABASE_URL": f"sqlite:///{self.tmp_path}/{service}.db",
                    "BROKER_URL": "memory://",
                    "CHANCERY_DATA_DIR": str(self.tmp_path),
                    **env,
                }
            )
        )
        migrate(wiring)
        server = make_server("127.0.0.1", 0, web_app(wiring), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.running.append((server, wiring))
        return Served(
            wiring, web_app(wiring).test_client(), f"http://127.0.0.1:{server.server_port}"
        )

    def signed_in(self, person: str, **urls: str) -> FlaskClient:
        """The staff app's test client signed in as a demo person, talking to ``urls``
        (``INTAKE_URL=...``, ``ROUTING_URL=...``)."""
        client = create_app(
            load_settings(
                {"STAFF_WEB_DEV_SIGN_IN": "true", "STAFF_WEB_SECURE_COOKIES": "false", **urls}
            )
        ).test_client()
        client.post(
            "/sign-in/dev",
            data={"csrf_token": self.csrf(client.get("/sign-in").text), "person": person},
        )
        return client

    @staticmethod
    def csrf(page: str) -> str:
        """The CSRF token of the first form on a page."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, "no form with a CSRF token on the page"
        return found.group(1)

    @staticmethod
    def link(page: str, rel: str) -> str | None:
        """The address of the page's link with ``rel`` (``next``, ``first``), or None."""
        found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
        return html.unescape(found.group(1)) if found else None

    def two_pages(self, client: FlaskClient, address: str, kept: str) -> tuple[str, str]:
        """A list of two pages by cursor, both pages' text: the first has no "first" link and
        a "next" one that keeps ``kept`` (a filter), the second no "next" link and a "first"
        one back to ``address``."""
        first = client.get(address)
        assert first.status_code == 200
        assert self.link(first.text, "first") is None
        following = self.link(first.text, "next")
        assert "cursor=" in following
        assert kept in following
        second = client.get(following).text
        assert self.link(second, "next") is None
        assert self.link(second, "first") == address
        return first.text, second

    def stop(self) -> None:
        for server, wiring in self.running:
            server.shutdown()
            wiring.engine.dispose()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    """Services started by the test are stopped after it."""
    started = Harness(tmp_path)
    yield started
    started.stop()
