"""The browser tests' world: a real OpenID Connect provider, the embedded system, Chromium.

The provider (npm's oidc-provider, ``oidc_provider.mjs``) and the embedded mode
(every service and the staff web app, ``python -m chancery.embedded``) run as
subprocesses on free ports; the services verify the provider's access tokens
through its JWKS. Chromium is Debian's (``/usr/bin/chromium``), driven by
Playwright without a browser download. Every page a test visits is checked
with axe-core and saved as a screenshot under ``var/browser/``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from chancery_testing import RecordingSmtpHandler, running_smtp_server, wait_for

STAFF_WEB = Path(__file__).resolve().parents[2]
ROOT = STAFF_WEB.parents[1]
SCREENSHOTS = ROOT / "var" / "browser"
AXE = STAFF_WEB / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CLERK = {
    "login": "ona.simkute",
    "name": "Ona Šimkutė",
    "groups": ["registry-clerks"],
    "roles": ["registrar"],
    "department": None,
}
PROTOCOL_OFFICER = {
    "login": "tamar.beridze",
    "name": "თამარ ბერიძე",
    "groups": ["protocol"],
    "roles": ["protocol_officer"],
    "department": None,
}
FOREIGN_OFFICER = {
    "login": "arta.krasniqi",
    "name": "Arta Krasniqi",
    "groups": ["foreign"],
    "roles": ["foreign_relations_officer"],
    "department": None,
}
OPERATOR = {
    "login": "giorgi.lomidze",
    "name": "გიორგი ლომიძე",
    "groups": ["operators"],
    "roles": ["operator"],
    "department": None,
}
MAYOR_OFFICE = {
    "login": "egle.petraitiene",
    "name": "Eglė Petraitienė",
    "groups": ["mayor-office"],
    "roles": ["mayor_office"],
    "department": None,
}
DATA_PROTECTION_OFFICER = {
    "login": "rasa.kalnina",
    "name": "Rasa Kalniņa",
    "groups": ["dpo"],
    "roles": ["data_protection_officer"],
    "department": None,
}
OFFICER = {
    "login": "ilze.kalnina",
    "name": "Ilze Kalniņa",
    "groups": ["data-protection"],
    "roles": ["data_protection_officer"],
    "department": None,
}
# The department, endorsement and mayor's desks (invented people): their groups map to roles.
PEOPLE = {
    "head": {
        "login": "paulius.vaitkus",
        "name": "Paulius Vaitkus",
        "groups": ["legal-heads"],
        "roles": ["department_head"],
        "department": "LEGAL",
    },
    "executor": {
        "login": "inga.ozola",
        "name": "Inga Ozola",
        "groups": ["legal"],
        "roles": ["department_staff"],
        "department": "LEGAL",
    },
    "director": {
        "login": "dalia.zukauskiene",
        "name": "Dalia Žukauskienė",
        "groups": ["directors"],
        "roles": ["director"],
        "department": None,
    },
    "mayor": {
        "login": "mantas.kairys",
        "name": "Mantas Kairys",
        "groups": ["mayors"],
        "roles": ["mayor"],
        "department": None,
    },
    "office": {
        "login": "laura.balode",
        "name": "Laura Balode",
        "groups": ["mayor-office"],
        "roles": ["mayor_office"],
        "department": None,
    },
}
ROLE_MAP = (
    "registry-clerks=registrar,legal-heads=department_head,legal=department_staff,"
    "directors=director,mayors=mayor,mayor-office=mayor_office,"
    "protocol=protocol_officer,foreign=foreign_relations_officer,"
    "dpo=data_protection_officer,data-protection=data_protection_officer,"
    "operators=operator"
)
# The embedded services' ports, counted from the first (intake's): as chancery.embedded does.
EMBEDDED_PORT_OFFSETS = {
    "intake": 0,
    "routing": 1,
    "protocol_events": 2,
    "foreign_relations": 3,
    "notifications": 4,
}


def _ports_free(first: int, count: int) -> bool:
    for port in range(first, first + count):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _free_block(count: int) -> int:
    """The first of ``count`` consecutive free ports (the embedded mode needs a block)."""
    for _ in range(200):
        first = random.randint(20_000, 40_000)
        if _ports_free(first, count):
            return first
    raise RuntimeError("no block of free ports")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@dataclass(frozen=True)
class World:
    """Where everything answers."""

    web: str
    intake: str
    routing: str
    provider: str
    session_secret: str
    # The real SMTP server notifications sends to (what residents receive).
    mail: RecordingSmtpHandler
    # The environment the system was started with (the identity provider's settings) and
    # a port the provider accepts sign-ins for, kept for a second staff web app.
    env: dict[str, str]
    services: dict[str, str]
    spare_web_port: int


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if not Path(CHROMIUM).exists() or shutil.which("node") is None or not AXE.exists():
        pytest.fail(
            "browser tests need /usr/bin/chromium, node and the npm packages "
            "(make install; .ci/run installs chromium)"
        )
    first = _free_block(8)
    provider_port, web_port, base_port, spare_port = first, first + 1, first + 2, first + 7
    web = f"http://127.0.0.1:{web_port}"
    provider = f"http://127.0.0.1:{provider_port}"
    logs = tmp_path_factory.mktemp("browser-logs")
    accounts = {
        person["login"]: person
        for person in (
            CLERK,
            PROTOCOL_OFFICER,
            FOREIGN_OFFICER,
            MAYOR_OFFICE,
            DATA_PROTECTION_OFFICER,
            OFFICER,
            OPERATOR,
            *PEOPLE.values(),
        )
    }
    session_secret = os.urandom(16).hex()
    servers = ExitStack()
    smtp_url, mail = servers.enter_context(running_smtp_server())
    with open(logs / "oidc.log", "wb") as log:
        oidc = subprocess.Popen(
            [
                "node",
                str(STAFF_WEB / "tests" / "browser" / "oidc_provider.mjs"),
                str(provider_port),
                f"{web}/sign-in/callback,http://127.0.0.1:{spare_port}/sign-in/callback",
                json.dumps(accounts),
            ],
            cwd=STAFF_WEB,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    env = {
        **os.environ,
        "JWT_JWKS_URL": f"{provider}/jwks",
        "JWT_ISSUER": provider,
        "JWT_AUDIENCE": "chancery",
        "OIDC_ISSUER": provider,
        "OIDC_CLIENT_ID": "chancery-staff",
        "OIDC_CLIENT_SECRET": "test-client-secret",
        "OIDC_SCOPES": "openid profile chancery api",
        "OIDC_ROLES_CLAIM": "groups",
        "OIDC_DEPARTMENT_CLAIM": "department_code",
        "OIDC_ROLE_MAP": ROLE_MAP,
        "STAFF_WEB_DEV_SIGN_IN": "false",
        "STAFF_WEB_SESSION_SECRET": session_secret,
        "LOG_FORMAT": "text",
        "SMTP_URL": smtp_url,
    }
    with open(logs / "embedded.log", "wb") as log:
        system = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "chancery.embedded",
                "--data-dir",
                str(tmp_path_factory.mktemp("embedded")),
                "--base-port",
                str(base_port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: _answers(f"{provider}/.well-known/openid-configuration"),
            30,
            "the OpenID Connect provider",
        )
        # The address is printed first; "running" once the demo records are in as well.
        wait_for(
            lambda: (
                system.poll() is not None
                or (
                    b"running in embedded mode" in (logs / "embedded.log").read_bytes()
                    and _answers(f"{web}/readyz")
                )
            ),
            90,
            "the embedded system with its demo records",
        )
        assert system.poll() is None, (logs / "embedded.log").read_text()
        yield World(
            web=web,
            intake=f"http://127.0.0.1:{base_port}",
            routing=f"http://127.0.0.1:{base_port + 1}",
            provider=provider,
            session_secret=session_secret,
            mail=mail,
            env=env,
            services={
                name: f"http://127.0.0.1:{base_port + offset}"
                for name, offset in EMBEDDED_PORT_OFFSETS.items()
            },
            spare_web_port=spare_port,
        )
    finally:
        _stop(system)
        _stop(oidc)
        servers.close()


def bearer_of(context: object, world: World) -> str:
    """The access token the provider gave a signed-in browser, read from its own session
    cookie (signed with the secret this test set), to call a service as that person."""
    from flask import Flask

    app = Flask("browser-tests")
    app.secret_key = world.session_secret
    cookie = next(c["value"] for c in context.cookies() if c["name"] == "chancery")
    return app.session_interface.get_signing_serializer(app).loads(cookie)["token"]


def closed_letter(world: World, bearer: str, number: str) -> dict | None:
    """The letter ``number`` as routing shows it to ``bearer``, once it is closed (for
    :func:`chancery_testing.wait_for`)."""
    response = requests.get(
        f"{world.routing}/letters/by-number/{number}",
        timeout=10,
        headers={"Authorization": f"Bearer {bearer}"},
    )
    assert response.status_code == 200, response.text
    letter = response.json()
    return letter if letter["status"] == "closed" else None


def mail_to(world: World, address: str, subject_start: str):
    """The first mail the world's SMTP server took for ``address`` whose subject starts so
    (waited for, a minute at the most)."""

    def found():
        return next(
            (
                m
                for m in world.mail.messages
                if m["To"] == address and str(m["Subject"]).startswith(subject_start)
            ),
            None,
        )

    return wait_for(found, 60, f"the mail '{subject_start}…' to {address}")


def signed_in(
    browser: object,
    world: World,
    account: dict,
    locale: str,
    *,
    time_zone: str = "Europe/Vilnius",
    web: str | None = None,
    start: str = "/sign-in",
) -> tuple[object, object]:
    """A new browser context of ``account`` signed in through the development provider,
    opened at ``start`` of the staff app (``web``, the world's by default); its context and
    page, on the start page."""
    web = web or world.web
    context = browser.new_context(locale=locale, timezone_id=time_zone)
    page = context.new_page()
    page.goto(f"{web}{start}")
    page.click("a[href='/sign-in/provider']")
    page.wait_for_url(re.compile(re.escape(world.provider)))
    page.fill("input[name=login]", account["login"])
    page.fill("input[name=password]", "any password the development provider accepts")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(web) + r"/(\?lang=\w+)?$"))
    return context, page


def register_post(
    page: object,
    world: World,
    *,
    kind: str,
    language: str,
    sender: str,
    addressee: str,
    subject: str,
    received_at: str | None = None,
    lang: str | None = None,
) -> str:
    """Register a letter that came by post on the registry desk's form (in the UI language
    ``lang``, the browser's by default); its registration number, on the page that shows it."""
    page.goto(f"{world.web}/registry/post" + (f"?lang={lang}" if lang else ""))
    page.select_option("#kind", kind)
    page.select_option("#channel", "post")
    page.select_option("#language", language)
    page.fill("#sender_name", sender)
    page.select_option("#addressee", addressee)
    page.fill("#subject", subject)
    if received_at:
        page.fill("#received_at", received_at)
    page.click(".actions button:not([name=and_next])")
    page.wait_for_url(re.compile(r"/registry/registered/"))
    return page.inner_text(".big-number").strip()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


class Visit:
    """Checks every page a test looks at: axe-core, then a screenshot under ``var/``."""

    def __init__(self, page: object, test_name: str) -> None:
        self.page = page
        self.folder = SCREENSHOTS / re.sub(r"[^\w-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0
        self._axe = AXE.read_text(encoding="utf-8")

    def check(self, name: str, axe: bool = True) -> None:
        """Run axe-core (no serious or critical violation allowed) and save a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)
        if not axe:
            return
        # evaluate() runs outside the page's Content-Security-Policy, which stays on.
        page.evaluate(self._axe)
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{name} ({page.url}): {serious}"


@pytest.fixture
def visit_factory(request: pytest.FixtureRequest):
    def make(page: object) -> Visit:
        return Visit(page, request.node.name)

    return make
