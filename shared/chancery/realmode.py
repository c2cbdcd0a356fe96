"""Real mode: every service as its own processes against RabbitMQ and PostgreSQL.

``python -m chancery.realmode up`` (``make up``) migrates each installed
service, then starts its web process (gunicorn), worker and outbox relay in
the background, logging to ``var/real/<service>-<process>.log``; ``down``
stops them; ``migrate`` (``make migrate``) only upgrades every service's
database. :class:`ProcessGroup` is also what the end-to-end tests use.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chancery.config import CONFIGURATION_ERROR_STATUS, ConfigurationError
from chancery.runtime import ServiceDefinition, checked_wiring, migrate
from chancery.services import installed_services

PROCESS_KINDS = ("web", "worker", "relay")


@dataclass
class ManagedProcess:
    """One started process, its command and its log."""

    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str]
    popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The process id while it runs."""
        return self.popen.pid if self.popen else None


@dataclass
class ProcessGroup:
    """Starts, kills, restarts and stops a set of processes; keeps each one's log."""

    logs_dir: Path
    env: Mapping[str, str]
    processes: dict[str, ManagedProcess] = field(default_factory=dict)

    def start(
        self, name: str, argv: Sequence[str], extra_env: Mapping[str, str] | None = None
    ) -> ManagedProcess:
        """Start ``argv`` as ``name`` (its own session, output to its log)."""
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        process = self.processes.get(name) or ManagedProcess(
            name, list(argv), self.logs_dir / f"{name}.log", {**self.env, **(extra_env or {})}
        )
        log = open(process.log_path, "ab")  # noqa: SIM115 - handed to the child
        process.popen = subprocess.Popen(
            process.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=process.env,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        return process

    def run(
        self,
        name: str,
        argv: Sequence[str],
        timeout: float = 120,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        """Run ``argv`` to completion; raise with its log when it fails."""
        process = self.start(name, argv, extra_env)
        assert process.popen is not None
        if process.popen.wait(timeout) != 0:
            raise RuntimeError(f"{name} failed:\n{self.log_of(name)}")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the process group of ``name`` and reap it."""
        process = self.processes[name]
        if process.popen and process.popen.poll() is None:
            os.killpg(process.popen.pid, sig)
            process.popen.wait(30)

    def restart(self, name: str, extra_env: Mapping[str, str] | None = None) -> ManagedProcess:
        """Start ``name`` again with the same command, its environment changed by ``extra_env``
        (a test moving a process's clock, say)."""
        process = self.processes[name]
        process.env = {**process.env, **(extra_env or {})}
        return self.start(name, process.argv)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM everything, then SIGKILL what is still running."""
        running = [
            p.popen
            for p in self.processes.values()
            if p.popen is not None and p.popen.poll() is None
        ]
        for popen in running:
            os.killpg(popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for popen in running:
            try:
                popen.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait(10)

    def log_of(self, name: str, tail: int = 20_000, since: int = 0) -> str:
        """The end of a process's log, of what it wrote after its first ``since`` bytes."""
        path = self.processes[name].log_path
        if not path.exists():
            return ""
        with path.open("rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", errors="replace")[-tail:]

    def log_sizes(self) -> dict[str, int]:
        """How far each process's log reaches now: what :meth:`logs` may start after."""
        return {
            name: process.log_path.stat().st_size if process.log_path.exists() else 0
            for name, process in self.processes.items()
        }

    def logs(self, since: Mapping[str, int] | None = None) -> str:
        """Every process's log (what it wrote after ``since``, :meth:`log_sizes`), for a
        failure report."""
        since = since or {}
        return "\n".join(
            f"===== {name} =====\n{self.log_of(name, 5000, since.get(name, 0))}"
            for name in self.processes
        )


# Below Linux's ephemeral range (32768-60999): a port the kernel hands out for bind(0) is
# also one it may give an outgoing connection (a driver's, a browser's) as its source
# port before the process that was told to listen there binds it ("Connection in use").
_LISTEN_PORTS = range(20_000, 32_768)
_handed_out: set[int] = set()


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now, never handed out before by
    this process, and outside the range outgoing connections take their ports from."""
    for port in random.sample(_LISTEN_PORTS, len(_LISTEN_PORTS)):
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free TCP port on 127.0.0.1")


def wait_until_healthy(
    url: str, timeout: float = 60, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` dies."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} was up")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = str(exc)
        time.sleep(0.1)
    raise TimeoutError(f"{url} not healthy after {timeout}s: {last_error}")


def start_service(
    group: ProcessGroup,
    definition: ServiceDefinition,
    port: int,
    web_workers: int = 2,
    kinds: Sequence[str] = PROCESS_KINDS,
    extra_env: Mapping[str, str] | None = None,
) -> None:
    """Migrate a service, start its processes and wait until its web answers /readyz.

    The service's metrics directory (``PROMETHEUS_MULTIPROC_DIR``) is emptied
    first: its web, worker and relay all write their samples there.
    """
    env = {**group.env, **(extra_env or {})}
    if env.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(env["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True)
    python = sys.executable
    name = definition.name
    group.run(f"{name}-migrate", [python, "-m", definition.module, "migrate"], extra_env=extra_env)
    for kind in kinds:
        argv = [python, "-m", definition.module, kind]
        if kind == "web":
            argv += ["--bind", f"127.0.0.1:{port}", "--workers", str(web_workers)]
        group.start(f"{name}-{kind}", argv, extra_env)
    if "web" in kinds:
        wait_until_healthy(
            f"http://127.0.0.1:{port}/readyz", process=group.processes[f"{name}-web"].popen
        )


def configuration_problem(
    definitions: Sequence[ServiceDefinition], env: Mapping[str, str]
) -> str | None:
    """What is wrong with ``env`` for any of the services' processes, before one is started."""
    for definition in definitions:
        try:
            checked_wiring(functools.partial(definition.wiring_from_env, env)).engine.dispose()
        except ConfigurationError as exc:
            return f"{definition.name}: {exc}"
    return None


STAFF_WEB_PORT, STAFF_WEB_PUBLIC_PORT = 8000, 8010


def start_staff_web(
    group: ProcessGroup, port: int = STAFF_WEB_PORT, public_port: int = STAFF_WEB_PUBLIC_PORT
) -> bool:
    """Start the staff web app and its public-only twin (when installed); wait for both.

    ``make up`` is a developer's machine: without a session secret or an identity
    provider configured, the development sign-in is switched on.
    """
    if importlib.util.find_spec("staff_web") is None:
        return False
    configured = group.env.get("STAFF_WEB_SESSION_SECRET") or group.env.get("OIDC_ISSUER")
    extra = (
        {} if configured else {"STAFF_WEB_DEV_SIGN_IN": "true", "STAFF_WEB_SECURE_COOKIES": "false"}
    )
    for kind, bind in (("web", port), ("public", public_port)):
        group.start(
            f"staff-web-{kind}",
            [
                sys.executable,
                "-m",
                "staff_web",
                kind,
                "--bind",
                f"127.0.0.1:{bind}",
                "--workers",
                "2",
            ],
            extra,
        )
        wait_until_healthy(
            f"http://127.0.0.1:{bind}/healthz", process=group.processes[f"staff-web-{kind}"].popen
        )
    return True


def migrate_all(definitions: Sequence[ServiceDefinition], env: Mapping[str, str]) -> None:
    """Upgrade each service's database (``DATABASE_URL`` of ``env``) to its newest migration."""
    for definition in definitions:
        wiring = checked_wiring(functools.partial(definition.wiring_from_env, env))
        try:
            migrate(wiring)
        finally:
            wiring.engine.dispose()
        print(f"{definition.name:<18} migrated: {wiring.engine.url.render_as_string()}")


def main(argv: Sequence[str] | None = None) -> int:
    """``up`` starts every installed service in the background; ``down`` stops them;
    ``migrate`` upgrades their databases and exits."""
    parser = argparse.ArgumentParser(prog="python -m chancery.realmode")
    parser.add_argument("command", choices=("up", "down", "migrate"))
    parser.add_argument("--dir", type=Path, default=Path("var/real"))
    args = parser.parse_args(argv)
    pid_file = args.dir / "pids.json"
    if args.command == "down":
        pids = json.loads(pid_file.read_text()) if pid_file.exists() else {}
        for name, pid in pids.items():
            try:
                os.killpg(pid, signal.SIGTERM)
                print(f"stopped {name}")
            except ProcessLookupError:
                pass
        pid_file.unlink(missing_ok=True)
        return 0
    problem = configuration_problem(installed_services(), os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return CONFIGURATION_ERROR_STATUS
    if args.command == "migrate":
        migrate_all(installed_services(), os.environ)
        return 0
    group = ProcessGroup(args.dir, os.environ)
    try:
        for definition in installed_services():
            metrics = (args.dir / "metrics" / definition.name).resolve()
            start_service(
                group,
                definition,
                definition.port,
                extra_env={"PROMETHEUS_MULTIPROC_DIR": str(metrics)},
            )
            print(f"{definition.name:<18} http://127.0.0.1:{definition.port}/docs")
        if start_staff_web(group):
            print(
                f"{'staff-web':<18} http://127.0.0.1:{STAFF_WEB_PORT}/   (public pages alone: "
                f"http://127.0.0.1:{STAFF_WEB_PUBLIC_PORT}/public/)"
            )
    except Exception:
        print(group.logs(), file=sys.stderr)
        group.stop()
        raise
    pid_file.write_text(
        json.dumps(
            {n: p.pid for n, p in group.processes.items() if p.popen and p.popen.poll() is None}
        )
    )
    print(f"logs in {args.dir}; stop with: make down")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
