"""Chancery in containers: images built here, the stack up with compose, a journey through it.

Builds the Debian base (deploy/images/build-base.sh, cached), the images of intake,
routing, notifications and the staff web app, and the test stack's PostgreSQL,
RabbitMQ and SMTP catcher from Debian's packages; brings up tests/containers/compose.yaml
(host networking, loopback ports of its own, random passwords); signs in to the staff
web app, registers complaints, sees them routed and acknowledged by e-mail, reads the
citizen's page, and kills routing's worker under load: every letter is routed once and
acknowledged once. Skips, saying why, when no Docker engine is available.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from chancery.auth import issue_token
from chancery_testing import wait_for

pytestmark = pytest.mark.containers
ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = Path(__file__).with_name("compose.yaml")
BASE_IMAGE = "chancery/debian-base:bookworm"
SERVICES = ("intake", "routing", "notifications", "staff-web")
THIRD_PARTY = ("postgres", "rabbitmq", "smtp-catcher")
URLS = {"intake": "http://127.0.0.1:18001", "routing": "http://127.0.0.1:18002",
        "notifications": "http://127.0.0.1:18005", "staff-web": "http://127.0.0.1:18000"}
MAILS = "http://127.0.0.1:18025/messages"
BUILD_TIMEOUT = 1200
SUBJECT = "Skundas dėl šiukšlių išvežimo Žaliakalnio gatvėje"


def _engine_missing() -> str | None:
    if os.environ.get("CHANCERY_CONTAINER_TESTS") != "1":
        # Opt-in until the Debian-built broker starts reliably beside the host's own
        # (docs/decisions/0052): set CHANCERY_CONTAINER_TESTS=1 to run it.
        return "CHANCERY_CONTAINER_TESTS is not 1"
    if not shutil.which("docker") or not shutil.which("docker-compose"):
        return "no docker CLI or docker-compose on this machine"
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode != 0:
        return "no Docker engine answers (start dockerd as root; .ci/run does)"
    return None


def _run(*command: str, env: dict[str, str] | None = None, timeout: float = 600) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n"
                             f"{result.stderr[-3000:]}")


def _build_images() -> None:
    _run("deploy/images/build-base.sh", BASE_IMAGE, timeout=BUILD_TIMEOUT)
    legacy = {"DOCKER_BUILDKIT": "0"}
    for name in THIRD_PARTY:
        _run("docker", "build", "-q", "--network", "host", "--build-arg",
             f"BASE_IMAGE={BASE_IMAGE}", "-f", f"deploy/images/Dockerfile.{name}",
             "-t", f"chancery/test-{name}:bookworm", ".", env=legacy, timeout=BUILD_TIMEOUT)
    for service in SERVICES:
        _run("docker", "build", "-q", "--network", "host", "--build-arg",
             f"BASE_IMAGE={BASE_IMAGE}", "--build-arg", f"SERVICE={service}",
             "-f", "deploy/Dockerfile", "-t", f"chancery/{service}:test", ".", env=legacy,
             timeout=BUILD_TIMEOUT)


@dataclass
class Stack:
    """The running stack: compose's project and the secret its services share."""

    project: str
    env: dict[str, str]

    def compose(self, *args: str, timeout: float = 300) -> None:
        _run("docker-compose", "-p", self.project, "-f", str(COMPOSE_FILE), *args,
             env=self.env, timeout=timeout)

    def token(self, *roles: str, department: str | None = None) -> dict[str, str]:
        token = issue_token(self.env["CHANCERY_STACK_JWT_SECRET"], list(roles), department,
                            subject=f"stack-{uuid.uuid4().hex[:6]}")
        return {"Authorization": f"Bearer {token}"}


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    missing = _engine_missing()
    if missing:
        pytest.skip(f"containers: {missing}")
    _build_images()
    stack = Stack(f"chancery-{uuid.uuid4().hex[:8]}", {
        "CHANCERY_STACK_PASSWORD": secrets.token_urlsafe(18),
        "CHANCERY_STACK_JWT_SECRET": secrets.token_urlsafe(36)})
    try:
        stack.compose("up", "-d", timeout=600)
        for url in [*(f"{u}/readyz" for u in URLS.values()),
                    *(f"http://127.0.0.1:{port}/healthz" for port in range(19101, 19110))]:
            wait_for(lambda url=url: _healthy(url), timeout=240, what=url)
        yield stack
    finally:
        stack.compose("down", "-v", "--remove-orphans", timeout=300)


def _register(stack: Stack, citizen: str) -> dict:
    answer = requests.post(f"{URLS['intake']}/letters", headers=stack.token("registrar"),
                           timeout=10, json={
        "kind": "complaint", "channel": "email", "language": "lt", "subject": SUBJECT,
        "addressee": {"kind": "mayor"},
        "sender": {"type": "person", "name": "Ona Žemaitytė", "email": citizen}})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _mails() -> list[dict]:
    return requests.get(MAILS, timeout=5).json()


def _routed(stack: Stack, letter_id: str) -> bool:
    answer = requests.get(f"{URLS['routing']}/letters/{letter_id}",
                          headers=stack.token("registrar"), timeout=5)
    return answer.status_code == 200 and answer.json()["status"] == "routed"


def test_a_complaint_through_the_containers(stack: Stack) -> None:
    web = requests.Session()
    sign_in = web.get(f"{URLS['staff-web']}/sign-in", timeout=10)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', sign_in.text).group(1)
    signed_in = web.post(f"{URLS['staff-web']}/sign-in/dev", timeout=10,
                         data={"csrf_token": csrf, "person": "registrar"})
    assert signed_in.status_code == 200, signed_in.text[:500]

    citizen = f"ona.{uuid.uuid4().hex[:8]}@example.org"
    letter = _register(stack, citizen)
    number = letter["registration_number"]
    book = web.get(f"{URLS['staff-web']}/book", params={"q": number}, timeout=10)
    assert book.status_code == 200
    assert number in book.text, "the book, through the app"

    wait_for(lambda: _routed(stack, letter["id"]), timeout=60, what="routed")
    [mail] = wait_for(lambda: [m for m in _mails() if citizen in m["to"]], timeout=60,
                      what="the acknowledgement")
    assert number in mail["subject"] + mail["text"]
    assert SUBJECT in mail["text"], "Lithuanian text byte for byte through every hop"

    public = requests.Session()
    page = public.get(f"{URLS['staff-web']}/public/status/{number}", timeout=10)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    status = public.post(f"{URLS['staff-web']}/public/status", timeout=10, data={
        "csrf_token": csrf, "number": number, "code": letter["status_lookup_code"]})
    assert status.status_code == 200
    assert number in status.text


def test_a_killed_worker_loses_nothing_and_repeats_nothing(stack: Stack) -> None:
    citizens = [f"petras.{uuid.uuid4().hex[:8]}@example.org" for _ in range(30)]
    with ThreadPoolExecutor(4) as pool:
        registering = [pool.submit(_register, stack, c) for c in citizens]
        wait_for(lambda: any(f.done() for f in registering), what="the load under way")
        stack.compose("kill", "-s", "SIGKILL", "routing-worker")
        letters = [future.result() for future in registering]
    stack.compose("up", "-d", "routing-worker")
    wait_for(lambda: all(_routed(stack, letter["id"]) for letter in letters), timeout=120,
             what="every letter routed after the worker came back")
    wait_for(lambda: {c for m in _mails() for c in m["to"]} >= set(citizens), timeout=120,
             what="every acknowledgement")
    sent = [c for m in _mails() for c in m["to"] if c in citizens]
    assert sorted(sent) == sorted(citizens), "each citizen acknowledged exactly once"
