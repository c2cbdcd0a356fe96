"""No password or secret is written into anything an operator runs (decision 74).

The compose stack takes every password from an untracked ``.env`` (``make secrets`` writes
one with random values from ``deploy/env.example``); Kubernetes takes them from Secrets
created outside git. This scans every tracked file an operator runs: the compose file, its
env files, the database's and the broker's start-up files and the Kubernetes manifests. A
value is allowed only when it is empty, a compose reference (``${NAME}``, ``${NAME:?...}``)
or a visible placeholder (``CHANGE-ME``) in the example Secrets nobody applies as they are.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What an operator runs or mounts (deploy/images/ is the test stack's, whose passwords are
# generated per run by tests/containers; build scripts and generators hold none either).
OPERATED = (
    "docker-compose.yml",
    "deploy/env/",
    "deploy/postgres/",
    "deploy/rabbitmq/",
    "deploy/k8s/",
    "deploy/observability/",
    "deploy/make-secrets.sh",
    "deploy/env.example",
)
NAME = r"[A-Za-z0-9_.-]*(?:password|passwd|secret|_pass|api_key|access_key|token)[A-Za-z0-9_]*"
# A name assigned a value (YAML, JSON, env files); not a ${NAME} reference's name.
# (A YAML or JSON colon is followed by a space; ``:'name'`` is a psql variable.)
ASSIGNED = re.compile(
    rf"""(?<![\w${{])["']?({NAME})["']?\s*(?::(?=\s|$)|=)\s*(.*)$""", re.IGNORECASE
)
URL_CREDENTIALS = re.compile(r"[a-z+]+://[^:/@\s]+:(\$\{[^}]*\}|[^@\s]+)@")
SQL_PASSWORD = re.compile(r"\bPASSWORD\s+'([^']*)'", re.IGNORECASE)
# ${NAME}, ${NAME:?message} (compose) or $name, $1 (a shell's variables).
REFERENCE = re.compile(r"^\$(\{[A-Z][A-Z0-9_]*(?::?[?-][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*|[0-9])$")
# The value's first word: a quoted string whole, or up to a space.
FIRST = re.compile(r"""^("[^"]*"|'[^']*'|\S*)""")
PLACEHOLDER = re.compile(r"^(CHANGE-ME[\w-]*|\.\.\.)$")


def _allowed(value: str) -> bool:
    """Whether an assigned value (its first word) is no written-out secret."""
    first = FIRST.match(value.strip())
    return _permitted((first.group(1) if first else "").rstrip(","))


def _permitted(value: str) -> bool:
    value = value.strip("\"'")
    return (
        value in ("", "|", ">")
        or bool(REFERENCE.match(value))
        or bool(PLACEHOLDER.match(value))
        or value.isdigit()
        # A mapping or a reference to a Secret's name follows on the next lines.
        or value.startswith(("{", "[", "#"))
        or value.endswith("-credentials")
    )


def literal_secrets(text: str) -> list[str]:
    """The lines of ``text`` that hold a password or secret written out."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for url in URL_CREDENTIALS.finditer(line):
            if not _permitted(url.group(1)):
                found.append(f"{number}: {line.strip()}")
        for sql in SQL_PASSWORD.finditer(line):
            if not _permitted(sql.group(1)):
                found.append(f"{number}: {line.strip()}")
        # Prose in comments names secrets freely; URLs and dev passwords in it still count.
        assigned = None if line.lstrip().startswith("#") else ASSIGNED.search(line)
        if (
            assigned
            and not URL_CREDENTIALS.search(assigned.group(2))
            and not _allowed(assigned.group(2))
        ):
            found.append(f"{number}: {line.strip()}")
        if "dev-password" in line:
            found.append(f"{number}: {line.strip()}")
    return sorted(set(found))


def operated_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *OPERATED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    return [ROOT / name for name in listed if not name.endswith(".py")]


def test_the_scan_finds_what_it_must() -> None:
    assert literal_secrets("POSTGRES_PASSWORD: postgres-dev-password") != []
    assert literal_secrets("JWT_SECRET=change-me-compose-development-secret") != []
    assert literal_secrets("DATABASE_URL=postgresql+psycopg://intake:hunter2@db:5432/x") != []
    assert literal_secrets("CREATE ROLE intake LOGIN PASSWORD 'hunter2';") != []
    assert literal_secrets('{"name": "intake", "password_hash": "uRfBczgYIc2bSYOPBtYC"}') != []
    assert literal_secrets("BROKER_URL: amqp://intake:${INTAKE_BROKER_PASSWORD:?set it}@r/c") == []
    assert literal_secrets("SMTP_PASSWORD=") == []
    assert literal_secrets("  JWT_SECRET: CHANGE-ME") == []
    assert literal_secrets('"password": "${INTAKE_BROKER_PASSWORD}",') == []


@pytest.mark.parametrize("path", operated_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_tracked_file_an_operator_runs_holds_a_literal_password(path: Path) -> None:
    assert literal_secrets(path.read_text(encoding="utf-8")) == [], (
        f"{path.relative_to(ROOT)} writes a password out: take it from .env (compose, "
        "deploy/env.example) or from a Secret created outside git (Kubernetes)"
    )


def test_the_secrets_file_stays_out_of_git() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, timeout=60)
    assert ignored.returncode == 0, ".env must be in .gitignore"


def test_make_secrets_writes_every_variable_with_a_random_value(tmp_path: Path) -> None:
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.MULTILINE)
    assert names, "deploy/env.example names the variables"
    written = []
    for attempt in ("first", "second"):
        target = tmp_path / attempt / ".env"
        target.parent.mkdir()
        subprocess.run(
            ["sh", str(ROOT / "deploy" / "make-secrets.sh"), str(target)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", target.read_text(), re.MULTILINE))
        assert list(values) == names
        assert all(re.fullmatch(r"[0-9a-f]{40,}", value) for value in values.values()), values
        assert len(set(values.values())) == len(values), "each secret its own"
        assert oct(target.stat().st_mode & 0o777) == "0o600"
        written.append(values)
    assert not set(written[0].values()) & set(written[1].values()), "random each time"
    again = subprocess.run(
        ["sh", str(ROOT / "deploy" / "make-secrets.sh"), str(tmp_path / "first" / ".env")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode != 0, "an existing .env is never overwritten"
    assert "exists" in again.stderr


def test_compose_refuses_to_start_without_the_secrets() -> None:
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?set it in \.env \(make secrets\)\}", compose))
    referenced = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose))
    assert referenced == used == names, "every secret compose reads is required and documented"
