"""Chancery in containers: images built here, the stack up with compose, a journey through it.

Builds the Debian base (deploy/images/build-base.sh, once per machine), the images of
every service and the staff web app, and the test stack's PostgreSQL,
RabbitMQ, SMTP catcher and Prometheus from Debian's packages, each tagged by a digest of
its inputs and built again only when they change; brings up tests/containers/compose.yaml
(host networking, loopback ports of its own, random passwords); signs in to the staff
web app, registers complaints, sees them routed and acknowledged by e-mail, reads the
citizen's page, and kills routing's and the notifications worker under load: every
letter is routed once and acknowledged once. Prometheus has loaded the shipped rules and
scrapes every process.
The stack is torn down whatever happens. Skips, saying why, when no Docker engine is
available.
"""

from __future__ import annotations

import hashlib
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
from urllib.parse import unquote

import pytest
import requests
import yaml

from chancery.auth import issue_token
from chancery_testing import wait_for
from tests.letters import incoming_letter, person

# The first run on a machine builds every image (the base, the locked wheels, Debian's
# packages): minutes, not the suite's usual five per test.
pytestmark = [pytest.mark.containers, pytest.mark.timeout(2400)]
ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = Path(__file__).with_name("compose.yaml")
BASE_IMAGE = "chancery/debian-base:bookworm"
SERVICES = (
    "intake",
    "routing",
    "protocol-events",
    "foreign-relations",
    "notifications",
    "staff-web",
)
THIRD_PARTY = ("postgres", "rabbitmq", "smtp-catcher", "prometheus")
URLS = {
    "intake": "http://127.0.0.1:18001",
    "routing": "http://127.0.0.1:18002",
    "protocol-events": "http://127.0.0.1:18003",
    "foreign-relations": "http://127.0.0.1:18004",
    "notifications": "http://127.0.0.1:18005",
    "staff-web": "http://127.0.0.1:18000",
}
MAILS = "http://127.0.0.1:18025/messages"
PROMETHEUS = "http://127.0.0.1:19090"
ALERTS = ROOT / "deploy" / "observability" / "alerts.yml"
# What tests/containers/prometheus.yml scrapes: each web's port and each loop's METRICS_PORT.
SCRAPED = {
    "127.0.0.1:18001",
    "127.0.0.1:18002",
    "127.0.0.1:18003",
    "127.0.0.1:18004",
    "127.0.0.1:18005",
    *(f"127.0.0.1:{port}" for port in (19102, 19103, 19105, 19106, 19108, 19109)),
}
PROJECT_PREFIX = "chancery-stack-"
# The workers' and relays' /healthz (compose.yaml's METRICS_PORT of each; the webs' answer
# on their own port).
LOOP_HEALTH_PORTS = (19102, 19103, 19105, 19106, 19108, 19109)
BUILD_TIMEOUT = 1200
STAFF_WEB = "services/staff-web"
# What .dockerignore keeps out of the context, for the inputs' digest.
IGNORED_PARTS = {"tests", "__pycache__", "node_modules", "build", "dist"}
IGNORED_PATHS = (Path("shared/testing"), Path(STAFF_WEB) / "staff_web" / "static" / "vendor")
SUBJECT = "Skundas dėl šiukšlių išvežimo Žaliakalnio gatvėje"


def _engine_missing() -> str | None:
    if not shutil.which("docker") or not shutil.which("docker-compose"):
        return "no docker CLI or docker-compose on this machine (.ci/run installs them)"
    try:
        answered = subprocess.run(["docker", "info"], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "the Docker engine does not answer within 30 s"
    if answered.returncode != 0:
        return "no Docker engine answers (start dockerd as root; .ci/run does)"
    if not shutil.which("debootstrap") and not _image_exists(BASE_IMAGE):
        return f"no debootstrap to build {BASE_IMAGE} (.ci/run installs it)"
    return None


def _run(*command: str, env: dict[str, str] | None = None, timeout: float = 600) -> None:
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def _image_exists(tag: str) -> bool:
    return (
        subprocess.run(
            ["docker", "image", "inspect", tag], capture_output=True, timeout=30
        ).returncode
        == 0
    )


def _image_id(tag: str) -> str:
    return subprocess.run(
        ["docker", "image", "inspect", "-f", "{{.Id}}", tag],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()


def _in_context(path: Path) -> bool:
    """Whether a file reaches the build context (the patterns of .dockerignore that matter)."""
    relative = path.relative_to(ROOT)
    parts = set(relative.parts)
    return not (
        parts & IGNORED_PARTS
        or path.suffix in (".pyc", ".mo")
        or any(part.endswith(".egg-info") for part in parts)
        or any(relative.is_relative_to(ignored) for ignored in IGNORED_PATHS)
    )


def inputs_digest(*inputs: str) -> str:
    """A digest of the files under ``inputs`` (names and contents) as the build sees them."""
    digest = hashlib.sha256()
    for name in inputs:
        root = ROOT / name
        files = sorted(
            p
            for p in ([root] if root.is_file() else root.rglob("*"))
            if p.is_file() and _in_context(p)
        )
        for path in files:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _build_cached(name: str, dockerfile: str, inputs: tuple[str, ...], *args: str) -> None:
    """Build ``name`` unless an image of the same inputs exists (tagged by their digest),
    then tag it ``:test`` for compose; older digests of ``name`` are removed."""
    tagged = f"{name}:{inputs_digest(dockerfile, *inputs)}-{_image_id(BASE_IMAGE)[7:19]}"
    if not _image_exists(tagged):
        _run(
            "docker",
            "build",
            "-q",
            "--network",
            "host",
            "--build-arg",
            f"BASE_IMAGE={BASE_IMAGE}",
            *args,
            "-f",
            dockerfile,
            "-t",
            tagged,
            ".",
            env={"DOCKER_BUILDKIT": "0"},
            timeout=BUILD_TIMEOUT,
        )
        _remove_other_digests(name, keep=tagged)
    _run("docker", "tag", tagged, f"{name}:test")


def _remove_other_digests(name: str, keep: str) -> None:
    listed = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", name],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.split()
    stale = [tag for tag in listed if tag not in (keep, f"{name}:test")]
    if stale:
        subprocess.run(["docker", "image", "rm", *stale], capture_output=True, timeout=120)


def _build_images() -> None:
    """The base once per machine, then each image only when its inputs changed."""
    _run("deploy/images/build-base.sh", BASE_IMAGE, timeout=BUILD_TIMEOUT)
    for name in THIRD_PARTY:
        _build_cached(
            f"chancery/test-{name}", f"deploy/images/Dockerfile.{name}", ("deploy/images",)
        )
    for service in SERVICES:
        assets = (
            (f"{STAFF_WEB}/package.json", f"{STAFF_WEB}/package-lock.json")
            if service == "staff-web"
            else ()
        )
        _build_cached(
            f"chancery/{service}",
            "deploy/Dockerfile",
            ("requirements/runtime.lock", "shared", f"services/{service}", *assets),
            "--build-arg",
            f"SERVICE={service}",
            "--target",
            f"service-{service}",
        )


@dataclass
class Stack:
    """The running stack: compose's project and the secret its services share."""

    project: str
    env: dict[str, str]

    def compose(self, *args: str, timeout: float = 300) -> None:
        _run(
            "docker-compose",
            "-p",
            self.project,
            "-f",
            str(COMPOSE_FILE),
            *args,
            env=self.env,
            timeout=timeout,
        )

    def logs(self) -> str:
        """The last lines each container wrote, for a failure's report."""
        return subprocess.run(
            [
                "docker-compose",
                "-p",
                self.project,
                "-f",
                str(COMPOSE_FILE),
                "logs",
                "--no-color",
                "--tail",
                "30",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, **self.env},
        ).stdout[-20000:]

    def token(self, *roles: str, department: str | None = None) -> dict[str, str]:
        token = issue_token(
            self.env["CHANCERY_STACK_JWT_SECRET"],
            list(roles),
            department,
            subject=f"stack-{uuid.uuid4().hex[:6]}",
        )
        return {"Authorization": f"Bearer {token}"}


def _healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _remove_leftover_stacks() -> None:
    """Containers of a run that was killed before its teardown would hold the ports."""
    listed = subprocess.run(
        ["docker", "ps", "-aq", "--filter", "label=com.docker.compose.project"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    leftovers = [
        container
        for container in listed
        if subprocess.run(
            [
                "docker",
                "inspect",
                "-f",
                '{{index .Config.Labels "com.docker.compose.project"}}',
                container,
            ],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.startswith(PROJECT_PREFIX)
    ]
    if leftovers:
        subprocess.run(["docker", "rm", "-f", "-v", *leftovers], capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    missing = _engine_missing()
    if missing:
        pytest.skip(f"containers: {missing}")
    _build_images()
    _remove_leftover_stacks()
    stack = Stack(
        f"{PROJECT_PREFIX}{uuid.uuid4().hex[:8]}",
        {
            "CHANCERY_STACK_PASSWORD": secrets.token_urlsafe(18),
            "CHANCERY_STACK_JWT_SECRET": secrets.token_urlsafe(36),
        },
    )
    try:
        try:
            stack.compose("up", "-d", timeout=900)
            for url in [
                *(f"{u}/readyz" for u in URLS.values()),
                *(f"http://127.0.0.1:{port}/healthz" for port in LOOP_HEALTH_PORTS),
            ]:
                wait_for(lambda url=url: _healthy(url), timeout=240, what=url)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- the containers' logs:\n{stack.logs()}") from None
        yield stack
    finally:
        stack.compose("down", "-v", "--remove-orphans", "--timeout", "5", timeout=300)


def _register(stack: Stack, citizen: str) -> dict:
    answer = requests.post(
        f"{URLS['intake']}/letters",
        headers=stack.token("registrar"),
        timeout=10,
        json=incoming_letter("complaint", "lt", SUBJECT, person("Ona Žemaitytė", citizen)),
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _mails() -> list[dict]:
    return requests.get(MAILS, timeout=5).json()


def _routed(stack: Stack, letter_id: str) -> bool:
    answer = requests.get(
        f"{URLS['routing']}/letters/{letter_id}", headers=stack.token("registrar"), timeout=5
    )
    return answer.status_code == 200 and answer.json()["status"] == "routed"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "a form with its CSRF token"
    return found.group(1)


def _register_at_the_desk(web: requests.Session, citizen: str) -> tuple[str, str]:
    """The registry clerk's morning post form, as a browser would post it; the number from
    the page it lands on and the access code from the acknowledgement."""
    form = web.get(f"{URLS['staff-web']}/registry/post", timeout=10)
    assert form.status_code == 200, form.text[:500]
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text).group(1)
    posted = web.post(
        f"{URLS['staff-web']}/registry/post",
        timeout=30,
        data={
            "csrf_token": _csrf(form.text),
            "idempotency_key": key,
            "kind": "complaint",
            "channel": "email",
            "language": "lt",
            "subject": SUBJECT,
            "addressee": "mayor",
            "sender_type": "person",
            "sender_name": "Ona Žemaitytė",
            "sender_email": citizen,
        },
    )
    assert posted.status_code == 200, posted.text[:500]
    number = unquote(posted.url.rsplit("/registry/registered/", 1)[1])
    acknowledgement = web.get(
        f"{URLS['staff-web']}/registry/registered/{number}/acknowledgement", timeout=10
    )
    code = re.search(r'<dd class="code">([^<]+)</dd>', acknowledgement.text)
    assert code, acknowledgement.text[:500]
    return number, code.group(1).strip()


def test_a_complaint_through_the_containers(stack: Stack) -> None:
    web = requests.Session()
    sign_in = web.get(f"{URLS['staff-web']}/sign-in", timeout=10)
    signed_in = web.post(
        f"{URLS['staff-web']}/sign-in/dev",
        timeout=10,
        data={"csrf_token": _csrf(sign_in.text), "person": "registrar"},
    )
    assert signed_in.status_code == 200, signed_in.text[:500]

    citizen = f"ona.{uuid.uuid4().hex[:8]}@example.org"
    number, code = _register_at_the_desk(web, citizen)
    book = web.get(f"{URLS['staff-web']}/book", params={"q": number}, timeout=10)
    assert book.status_code == 200
    assert number in book.text, "the book, through the app"
    letter = requests.get(
        f"{URLS['intake']}/letters/by-number/{number}", timeout=10, headers=stack.token("registrar")
    ).json()

    wait_for(lambda: _routed(stack, letter["id"]), timeout=60, what="routed")
    [mail] = wait_for(
        lambda: [m for m in _mails() if citizen in m["to"]], timeout=60, what="the acknowledgement"
    )
    assert number in mail["subject"] + mail["text"]
    assert SUBJECT in mail["text"], "Lithuanian text byte for byte through every hop"

    public = requests.Session()
    page = public.get(f"{URLS['staff-web']}/public/status/{number}", timeout=10)
    status = public.post(
        f"{URLS['staff-web']}/public/status",
        timeout=10,
        data={"csrf_token": _csrf(page.text), "number": number, "code": code},
    )
    assert status.status_code == 200
    assert number in status.text


def _history(stack: Stack, letter_id: str) -> list[str]:
    answer = requests.get(
        f"{URLS['routing']}/letters/{letter_id}", headers=stack.token("registrar"), timeout=5
    )
    answer.raise_for_status()
    return [entry["action"] for entry in answer.json()["history"]]


def test_killed_workers_lose_nothing_and_repeat_nothing(stack: Stack) -> None:
    """Routing's worker and the notifications worker are killed (SIGKILL) while letters
    arrive: each letter is taken by routing once (its history says "registered" once) and
    each citizen acknowledged once (the notifications worker sends from the same
    ``letter.registered``; one Message-ID each, however often a killed worker sent it)."""
    citizens = [f"petras.{uuid.uuid4().hex[:8]}@example.org" for _ in range(30)]
    with ThreadPoolExecutor(4) as pool:
        registering = [pool.submit(_register, stack, c) for c in citizens]
        wait_for(lambda: any(f.done() for f in registering), what="the load under way")
        stack.compose("kill", "-s", "SIGKILL", "routing-worker")
        wait_for(
            lambda: sum(f.done() for f in registering) >= len(citizens) // 2,
            what="half the letters registered",
        )
        stack.compose("kill", "-s", "SIGKILL", "notifications-worker")
        letters = [future.result() for future in registering]
    stack.compose("up", "-d", "--no-deps", "routing-worker", "notifications-worker")
    wait_for(
        lambda: all(_routed(stack, letter["id"]) for letter in letters),
        timeout=120,
        what="every letter routed after the worker came back",
    )
    wait_for(
        lambda: {c for m in _mails() for c in m["to"]} >= set(citizens),
        timeout=120,
        what="every acknowledgement",
    )
    # A worker killed between the SMTP server's yes and its own record sends again once the
    # delivery is stale, with the same Message-ID, which receivers take as one message.
    sent = {(c, m["message_id"]) for m in _mails() for c in m["to"] if c in citizens}
    assert sorted(c for c, _ in sent) == sorted(citizens), "each citizen acknowledged once"
    taken = {
        letter["registration_number"]: _history(stack, letter["id"]).count("registered")
        for letter in letters
    }
    assert set(taken.values()) == {1}, f"routing took a letter more than once: {taken}"


def _prometheus(path: str) -> dict | None:
    try:
        answer = requests.get(f"{PROMETHEUS}{path}", timeout=5)
    except requests.RequestException:
        return None
    return answer.json()["data"] if answer.status_code == 200 else None


def test_prometheus_has_the_shipped_rules_and_scrapes_every_process(stack: Stack) -> None:
    shipped = {
        rule["alert"]
        for group in yaml.safe_load(ALERTS.read_text())["groups"]
        for rule in group["rules"]
    }
    groups = wait_for(
        lambda: (_prometheus("/api/v1/rules") or {}).get("groups"),
        timeout=60,
        what="Prometheus up with its rules",
    )
    loaded = [rule for group in groups for rule in group["rules"]]
    assert {rule["name"] for rule in loaded} == shipped, (
        "every rule of deploy/observability/alerts.yml, and only those"
    )
    assert all(rule["health"] != "err" for rule in loaded), loaded

    def healthy_targets() -> set[str] | None:
        targets = (_prometheus("/api/v1/targets") or {}).get("activeTargets", [])
        up = {target["labels"]["instance"] for target in targets if target["health"] == "up"}
        return up if up == SCRAPED else None

    wait_for(healthy_targets, timeout=60, what="every web, worker and relay scraped")
