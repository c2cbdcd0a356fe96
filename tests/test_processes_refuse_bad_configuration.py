"""Every process checks its configuration at start: one line naming the variable, exit 2.

Real processes (``python -m <service> ...``, ``python -m chancery.realmode up``)
in a clean environment; none of them gets far enough to need a server.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chancery.config import DEV_JWT_SECRET

DEVELOPMENT = {"CHANCERY_ENV": "development"}


def run(argv: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # Only what a fresh shell would have: none of the developer's own settings leak in.
    clean = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, *argv], env=clean, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


# The process (package and command), the one wrong setting in development, what the line says.
WRONG_VALUES = {
    "int": (
        "routing worker",
        {"DELIVERY_LIMIT": "abc"},
        ("DELIVERY_LIMIT='abc'", "a whole number"),
    ),
    "enum": ("intake web", {"LOG_LEVEL": "LOUD"}, ("LOG_LEVEL='LOUD'", "one of DEBUG")),
    "url": ("notifications relay", {"SMTP_URL": "ftp://mail"}, ("SMTP_URL", "smtp://")),
    "profile": (
        "protocol_events worker",
        {"CHANCERY_PROFILE": "atlantis"},
        ("CHANCERY_PROFILE", "atlantis"),
    ),
    "moved-clock": (
        "intake web",
        {"CHANCERY_TEST_CLOCK_OFFSET_DAYS": "800"},
        ("CHANCERY_TEST_CLOCK_OFFSET_DAYS='800'", "test runs only"),
    ),
}


@pytest.mark.parametrize(("process", "wrong", "words"), WRONG_VALUES.values(), ids=WRONG_VALUES)
def test_a_wrong_value_stops_the_process_with_one_line(process, wrong, words, tmp_path):
    argv = ["-m", *process.split()]
    assert_refused(run(argv, {**DEVELOPMENT, **wrong}, tmp_path), *words)


@pytest.mark.parametrize("env", [{}, {"JWT_SECRET": DEV_JWT_SECRET}], ids=["unset", "dev"])
@pytest.mark.parametrize("process", ["web", "worker", "relay"])
def test_serving_processes_refuse_the_public_secret_outside_development(process, env, tmp_path):
    assert_refused(
        run(["-m", "foreign_relations", process], env, tmp_path),
        "JWT_SECRET",
        "CHANCERY_ENV=development",
    )


def test_real_mode_refuses_before_starting_anything(tmp_path):
    result = run(["-m", "chancery.realmode", "up", "--dir", str(tmp_path / "real")], {}, tmp_path)
    assert_refused(result, "JWT_SECRET")
    assert not (tmp_path / "real").exists()
