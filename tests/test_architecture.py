"""Every service keeps the one shape of docs/architecture.md (decision 77).

The domain is pure: imported alone, in a fresh interpreter, it loads none of the
libraries of the edges. The check runs the import for real instead of reading import
lines, so a pure-looking module that reaches the database through a helper fails too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "intake": "intake",
    "routing": "routing",
    "protocol-events": "protocol_events",
    "foreign-relations": "foreign_relations",
    "notifications": "notifications",
}
# The edges' libraries; a domain that loads one of them is no longer plain Python.
EDGE_LIBRARIES = (
    "flask",
    "flask_smorest",
    "sqlalchemy",
    "kombu",
    "pika",
    "amqp",
    "marshmallow",
    "jwt",
    "requests",
    "opentelemetry",
    "psycopg2",
    "boto3",
)
ROOMS = (
    "config.py",
    "bootstrap.py",
    "permissions.py",
    "handlers.py",
    "domain",
    "usecases",
    "adapters",
    "http",
)


def _loaded_by(module: str) -> list[str]:
    probe = (
        "import importlib, json, pkgutil, sys\n"
        f"package = importlib.import_module({module!r})\n"
        "for info in pkgutil.walk_packages(getattr(package, '__path__', []),\n"
        "                                  package.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & "
        f"set({list(EDGE_LIBRARIES)!r}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_the_domain_loads_no_library_of_the_edges(service: str) -> None:
    assert _loaded_by(f"{PACKAGES[service]}.domain") == []


@pytest.mark.parametrize("service", sorted(PACKAGES))
def test_every_service_has_the_same_rooms(service: str) -> None:
    package = ROOT / "services" / service / PACKAGES[service]
    missing = [room for room in ROOMS if not (package / room).exists()]
    assert missing == [], f"{service} lacks {missing} (docs/architecture.md)"
