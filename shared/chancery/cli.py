"""The service command line: ``python -m <service> web|worker|relay|migrate|declare``.

``web`` runs gunicorn with the service's app factory; ``worker`` consumes
the service's queue; ``relay`` publishes its outbox; ``migrate`` upgrades
its database; ``declare`` declares the broker topology. The ``chancery``
command holds the tools that are not a service's: development tokens,
profile checks, dead letters, the outbox lag, resending a failed
notification, verifying a service's audit chain and the AsyncAPI document
(docs/runbook.md says when to use which).
"""

from __future__ import annotations

import argparse
import functools
import signal
import sys
import threading
from collections.abc import Sequence

from chancery.config import CONFIGURATION_ERROR_STATUS, ConfigurationError, process_environment
from chancery.runtime import ServiceDefinition, ServiceWiring, checked_wiring
from chancery.vocabulary import SERVICES

# The processes that serve requests or messages, and so must not trust a public secret.
SERVING_PROCESSES = ("web", "worker", "relay")


def service_main(definition: ServiceDefinition, argv: Sequence[str] | None = None) -> int:
    """Run one of ``definition``'s processes (``python -m <module> web|worker|...``).

    The configuration is checked first: a wrong value, or an unsafe token
    secret outside development, is one line on standard error and exit status 2.
    """
    name = definition.name
    parser = argparse.ArgumentParser(prog=f"python -m {definition.module}")
    parser.add_argument("process", choices=("web", "worker", "relay", "migrate", "declare"))
    parser.add_argument("--bind", default=None, help="web: host:port")
    parser.add_argument("--workers", type=int, default=3, help="web: gunicorn workers")
    args = parser.parse_args(argv)
    try:
        from_env = functools.partial(definition.wiring_from_env, process_environment())
        wiring = checked_wiring(from_env, serving=args.process in SERVING_PROCESSES)
    except ConfigurationError as exc:
        print(f"{name} {args.process}: {exc}", file=sys.stderr)
        return CONFIGURATION_ERROR_STATUS
    if args.process == "web":
        # Each gunicorn worker wires itself after the fork; this wiring only checked the settings.
        wiring.engine.dispose()
        return _gunicorn(definition.app_factory, args.bind or "127.0.0.1:8001", args.workers)
    return _run(args.process, wiring)


def _run(process: str, wiring: ServiceWiring) -> int:
    from chancery.liveness import Heartbeat
    from chancery.logs import configure_logging
    from chancery.runtime import declare, migrate, run_relay_until, run_worker_until
    from chancery.telemetry import configure_tracing
    from chancery.version import announce_build

    settings = wiring.settings
    configure_logging(settings.service, settings.log_level, settings.log_format)
    configure_tracing(settings.service, settings.otel_exporter, settings.otel_endpoint)
    announce_build(settings.service)
    if process == "migrate":
        migrate(wiring)
        return 0
    if process == "declare":
        declare(settings)
        return 0
    stop = _stop_on_signals()
    heartbeat = Heartbeat()
    if settings.metrics_port:
        from chancery.metrics import serve

        serve(settings.metrics_port, settings.metrics_multiprocess, heartbeat.alive)
    if process == "relay":
        run_relay_until(wiring, stop, heartbeat)
        return 0
    declare(settings)
    run_worker_until(wiring, stop, heartbeat)
    stop.wait()
    return 0


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _gunicorn(app_factory: str, bind: str, workers: int) -> int:
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--config",
        "python:chancery.gunicorn_conf",
        app_factory,
    ]
    run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``chancery token`` prints a development token; ``chancery profiles`` checks profiles;
    ``chancery dead-letters list|replay --service S`` shows or replays dead letters;
    ``chancery outbox-lag --service S`` shows a service's unsent messages;
    ``chancery resend --notification ID`` queues a failed notification again;
    ``chancery audit verify --service S`` checks a service's audit hash chain;
    ``chancery purge --service S`` removes what is past its retention period now;
    ``chancery asyncapi [--output FILE]`` writes the message catalogue's AsyncAPI document."""
    parser = argparse.ArgumentParser(prog="chancery")
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print a development bearer token")
    token.add_argument(
        "--role",
        action="append",
        required=True,
        help="a role (repeat, or separate by commas, for several; e.g. registrar,clearance_secret)",
    )
    token.add_argument("--department", default=None)
    token.add_argument("--subject", default="developer")
    token.add_argument("--hours", type=int, default=8)
    commands.add_parser("profiles", help="load and check every shipped municipality profile")
    dead = commands.add_parser("dead-letters", help="list or replay a service's dead letters")
    dead.add_argument("action", choices=("list", "replay"))
    dead.add_argument("--service", required=True, choices=SERVICES)
    dead.add_argument(
        "--message-id",
        action="append",
        default=None,
        help="replay: only this message (repeat for several); default all",
    )
    dead.add_argument("--limit", type=int, default=100)
    lag = commands.add_parser(
        "outbox-lag",
        help="unsent outbox messages of a service and the age of the oldest (its DATABASE_URL)",
    )
    lag.add_argument("--service", required=True, choices=SERVICES)
    purge = commands.add_parser(
        "purge", help="remove a service's rows past their retention period now (its DATABASE_URL)"
    )
    purge.add_argument("--service", required=True, choices=SERVICES)
    resend = commands.add_parser("resend", help="queue a failed notification again")
    resend.add_argument("--notification", required=True, help="the delivery id")
    resend.add_argument(
        "--url", default="http://127.0.0.1:8005", help="notifications' web (default: %(default)s)"
    )
    resend.add_argument(
        "--token",
        default=None,
        help="an operator's bearer token; default: one signed with JWT_SECRET",
    )
    audit = commands.add_parser(
        "audit",
        help="check a service's audit trail (its DATABASE_URL) "
        "for changed, removed or inserted rows",
    )
    audit.add_argument("action", choices=("verify",))
    audit.add_argument("--service", required=True, choices=SERVICES)
    asyncapi = commands.add_parser("asyncapi", help="write the AsyncAPI document of the bus")
    asyncapi.add_argument("--output", default=None, help="a file (default: standard output)")
    args = parser.parse_args(argv)
    if args.command == "dead-letters":
        return _dead_letters(args.action, args.service, args.message_id, args.limit)
    if args.command == "outbox-lag":
        return _outbox_lag(args.service)
    if args.command == "resend":
        return _resend(args.notification, args.url, args.token)
    if args.command == "audit":
        return _verify_audit(args.service)
    if args.command == "purge":
        return _purge(args.service)
    if args.command == "asyncapi":
        from chancery.asyncapi import asyncapi_document, render

        text = render(asyncapi_document())
        if args.output is None:
            sys.stdout.write(text)
        else:
            with open(args.output, "w", encoding="utf-8") as output:
                output.write(text)
        return 0
    if args.command == "token":
        from datetime import timedelta

        from chancery.auth import issue_token
        from chancery.config import settings_from_env

        settings = settings_from_env("cli")
        roles = [role.strip() for given in args.role for role in given.split(",") if role.strip()]
        print(
            issue_token(
                settings.jwt_secret,
                roles,
                args.department or None,
                args.subject,
                settings.jwt_issuer,
                settings.jwt_audience,
                timedelta(hours=args.hours),
            )
        )
        return 0
    from chancery.profiles.loading import available_profiles, load_profile

    for code in available_profiles():
        profile = load_profile(code)
        print(
            f"{code}: {profile.name('en')} ({profile.country}), "
            f"{len(profile.departments)} departments, {len(profile.routing_rules)} rules"
        )
    return 0


def _dead_letters(action: str, service: str, message_ids: list[str] | None, limit: int) -> int:
    from amqp.exceptions import NotFound
    from kombu import Connection

    from chancery.config import settings_from_env
    from chancery.messages.deadletters import list_dead_letters, replay_dead_letters

    with Connection(settings_from_env("cli").broker_url) as connection:
        try:
            if action == "replay":
                replayed = replay_dead_letters(connection, service, message_ids, limit)
                print(f"replayed {replayed} dead letter(s) to {service}")
                return 0
            letters = list_dead_letters(connection, service, limit)
        except NotFound:
            print(
                f"no dead-letter queue for {service} on this broker: start a service once "
                "(or run `python -m <service> declare`) to declare the topology",
                file=sys.stderr,
            )
            return 2
    for letter in letters:
        print(
            f"{letter.message_id}\t{letter.message_type}\t{letter.routing_key}\t"
            f"replayed={letter.replayed}\t{letter.reason}"
        )
    print(f"{len(letters)} dead letter(s) in {service}")
    return 0


def _outbox_lag(service: str) -> int:
    from sqlalchemy import MetaData, func, select
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import Session

    from chancery.config import settings_from_env
    from chancery.db import make_engine, platform_tables
    from chancery.messages.outbox import oldest_unsent_age

    # The service's own settings read DATABASE_URL exactly so (with {service} filled in).
    engine = make_engine(settings_from_env(service).database_url, pool_size=1)
    outbox = platform_tables(MetaData()).outbox
    try:
        with Session(engine) as session:
            unsent = session.execute(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            ).scalar_one()
            age = oldest_unsent_age(session, outbox)
    except DBAPIError as exc:
        print(
            f"cannot read the outbox of {service} ({engine.url.render_as_string()}): "
            f"{type(exc.orig).__name__}: {str(exc.orig).strip()}",
            file=sys.stderr,
        )
        return 2
    finally:
        engine.dispose()
    print(f"{service}: {unsent} unsent message(s), oldest {age:.1f} s")
    return 0


def _verify_audit(service: str) -> int:
    from sqlalchemy import MetaData
    from sqlalchemy.orm import Session

    from chancery.audit import verify_chain
    from chancery.config import settings_from_env
    from chancery.db import make_engine, platform_tables

    engine = make_engine(settings_from_env(service).database_url, pool_size=1)
    try:
        with Session(engine) as session:
            tables = platform_tables(MetaData())
            result = verify_chain(session, tables.audit, tables.audit_subjects)
    finally:
        engine.dispose()
    if result.broken is not None:
        print(
            f"{service}: the audit chain is broken at row {result.broken.id} "
            f"({result.broken.at.isoformat()}): {result.broken.reason}",
            file=sys.stderr,
        )
        return 1
    end = (
        f" (last row {result.last_id} at {result.last_at.isoformat()})"
        if result.last_at is not None
        else ""
    )
    # Keep this line outside the database: it anchors the chain's end.
    print(f"{service}: {result.rows} audit row(s), the chain holds{end}")
    return 0


def _purge(service: str) -> int:
    from sqlalchemy.exc import DBAPIError

    from chancery.services import installed_services

    definition = next((d for d in installed_services() if d.name == service), None)
    if definition is None:
        print(f"{service} is not installed here", file=sys.stderr)
        return 2
    # The service's own wiring: its own rules (texts of sent notices, lookup counters) too.
    wiring = definition.wiring_from_env(process_environment())
    try:
        counts = wiring.purge()
    except DBAPIError as exc:
        print(f"cannot purge {service}: {type(exc.orig).__name__}", file=sys.stderr)
        return 2
    finally:
        wiring.engine.dispose()
    for what, rows in counts.items():
        print(f"{service}\t{what}\t{rows} row(s) purged")
    return 0


def _resend(delivery_id: str, url: str, token: str | None) -> int:
    import requests

    if token is None:
        from chancery.auth import issue_token
        from chancery.config import settings_from_env

        settings = settings_from_env("cli")
        if settings.jwt_jwks_url:
            print(
                "tokens come from the identity provider here (JWT_JWKS_URL is set): pass "
                "an operator's token with --token",
                file=sys.stderr,
            )
            return 2
        token = issue_token(
            settings.jwt_secret,
            ["operator"],
            subject="chancery-cli",
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
    response = requests.post(
        f"{url.rstrip('/')}/notifications/{delivery_id}/resend",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if response.status_code != 200:
        problem = (
            response.json() if response.headers.get("Content-Type", "").endswith("json") else {}
        )
        print(
            f"not resent: {response.status_code} {problem.get('detail', response.text)}",
            file=sys.stderr,
        )
        return 1
    delivery = response.json()
    print(
        f"{delivery['id']}\t{delivery['channel']}\t{delivery['status']}\t"
        f"next attempt {delivery['next_attempt_at']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
