"""The embedded mode: every service in one process, SQLite files, in-memory transport.

``python -m chancery.embedded`` (what ``make run`` does) migrates each
service's SQLite file, declares the topology on the in-memory broker, loads
demo data once, and runs each service's web server, worker and outbox relay
in threads until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import logging
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from chancery.logs import configure_logging
from chancery.runtime import (
    ServiceDefinition,
    ServiceWiring,
    declare,
    migrate,
    run_relay_until,
    run_worker_until,
    web_app,
)
from chancery.services import installed_services

log = logging.getLogger("chancery.embedded")


def embedded_env(data_dir: Path, base: Mapping[str, str]) -> dict[str, str]:
    """The environment every embedded service reads its settings from."""
    env = dict(base)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{(data_dir / '{service}.db').resolve()}",
            "BROKER_URL": "memory://localhost//",
            "CHANCERY_DATA_DIR": str(data_dir.resolve()),
        }
    )
    env.setdefault("LOG_FORMAT", "text")
    return env


class EmbeddedSystem:
    """The running services of the embedded mode."""

    def __init__(
        self, data_dir: Path, base_port: int, env: Mapping[str, str], demo: bool = True
    ) -> None:
        self.data_dir = data_dir
        self.base_port = base_port
        self.env = embedded_env(data_dir, env)
        # The instance's public address is the staff web app's, one port below the services:
        # the status, booking and invitation links derive from it.
        self.env.setdefault("CHANCERY_PUBLIC_URL", f"http://127.0.0.1:{base_port - 1}")
        self.demo = demo
        self.stop = threading.Event()
        self.wirings: dict[str, ServiceWiring] = {}
        self._servers: list[Any] = []

    def start(self, services: Sequence[ServiceDefinition]) -> list[tuple[str, str]]:
        """Start every service; return (name, base URL) pairs."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        urls = []
        for definition in services:
            wiring = definition.wiring_from_env(self.env)
            migrate(wiring)
            self.wirings[definition.name] = wiring
        declare(next(iter(self.wirings.values())).settings)
        for definition in services:
            wiring = self.wirings[definition.name]
            run_worker_until(wiring, self.stop)
            threading.Thread(
                target=run_relay_until,
                args=(wiring, self.stop),
                daemon=True,
                name=f"{definition.name}-relay",
            ).start()
            port = self.base_port + (definition.port - 8001)
            server = make_server("127.0.0.1", port, web_app(wiring), threaded=True)
            threading.Thread(
                target=server.serve_forever, daemon=True, name=f"{definition.name}-web"
            ).start()
            self._servers.append(server)
            urls.append((definition.name, f"http://127.0.0.1:{port}"))
        return urls

    def load_demo_data(self, services: Sequence[ServiceDefinition]) -> None:
        """Each started service's demo records, once (when the system was made with ``demo``)."""
        for definition in services:
            if not (self.demo and definition.load_demo_data):
                continue
            loaded = definition.load_demo_data(self.wirings[definition.name])
            if loaded:
                log.info("%s: loaded %d demo records", definition.name, loaded)

    def start_staff_web(self, urls: Sequence[tuple[str, str]]) -> str | None:
        """Serve the staff web app (when installed) one port below the services; its URL."""
        # An optional distribution found at run time: the library does not depend on it.
        if importlib.util.find_spec("staff_web") is None:
            return None
        embedded_app = importlib.import_module("staff_web.bootstrap").embedded_app
        port = self.base_port - 1
        server = make_server("127.0.0.1", port, embedded_app(self.env, urls), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True, name="staff-web").start()
        self._servers.append(server)
        return f"http://127.0.0.1:{port}"

    def shutdown(self) -> None:
        """Stop servers, workers and relays."""
        self.stop.set()
        for server in self._servers:
            server.shutdown()
        for wiring in self.wirings.values():
            wiring.engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the embedded system until Ctrl-C (or ``--seconds``)."""
    parser = argparse.ArgumentParser(prog="python -m chancery.embedded")
    parser.add_argument("--data-dir", type=Path, default=Path("var/embedded"))
    parser.add_argument("--base-port", type=int, default=8001)
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args(argv)
    configure_logging("embedded", "INFO", os.environ.get("LOG_FORMAT", "text"))
    system = EmbeddedSystem(args.data_dir, args.base_port, os.environ, demo=not args.no_demo)
    services = installed_services()
    urls = system.start(services)
    staff_web = system.start_staff_web(urls)
    # The address a person opens comes first; the demo's log lines follow it.
    if staff_web:
        print(f"Chancery: {staff_web}   (citizens: {staff_web}/public/)", flush=True)
    system.load_demo_data(services)
    print(
        "Chancery is running in embedded mode (SQLite files in "
        f"{args.data_dir}, in-memory broker).",
        flush=True,
    )
    for name, url in urls:
        print(f"  {name:<18} {url}/docs   (OpenAPI: {url}/openapi.json)", flush=True)
    print("A development token: make token ROLE=registrar DEPARTMENT=COMM", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: system.stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        system.stop.wait(args.seconds)
    system.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
