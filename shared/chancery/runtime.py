"""Running a service: its wiring, and the web, worker, relay and migrate processes.

Each service's ``bootstrap`` builds a :class:`ServiceWiring`; this module
turns it into a Flask app, a consumer worker, an outbox relay or a
migration run. Nothing connects before one of these is started.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_smorest import Blueprint
from kombu import Connection
from sqlalchemy import Engine, text

from chancery.auth import TokenVerifier
from chancery.config import ConfigurationError, Settings, require_safe_secrets
from chancery.db import PlatformTables, UnitOfWork, ensure_database, make_engine, session_factory
from chancery.http import create_app
from chancery.http.auditing import TRAIL_EXTENSION, AuditTrail, audit_api
from chancery.http.operations import OPERATIONS_EXTENSION, Operations, operations_api
from chancery.liveness import Heartbeat
from chancery.messages.consumer import Handler, MessageHandling, Worker
from chancery.messages.deadletters import dead_letter_depth
from chancery.messages.outbox import OutboxRelay, Publisher
from chancery.messages.publishers import ConfirmingAmqpPublisher, KombuPublisher
from chancery.messages.topology import declare_topology
from chancery.metrics import DEAD_LETTERS
from chancery.profiles import Profile, ProfileError
from chancery.profiles.loading import load_profile
from chancery.retention import PurgeRule, platform_rules, purge
from chancery.telemetry import instrument_engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """Work the worker process repeats, e.g. a deadline timer."""

    name: str
    seconds: float
    run: Callable[[], Any]


@dataclass(frozen=True)
class ServiceApi:
    """What a service's web app mounts and its OpenAPI document says it is."""

    title: str
    description: str
    blueprints: Iterable[Blueprint]


@dataclass
class ServiceWiring:
    """Everything a service's processes are built from."""

    settings: Settings
    engine: Engine
    tables: PlatformTables
    # The municipality's profile ``settings.profile`` names, loaded once for every use case.
    profile: Profile
    title: str
    description: str
    migrations: Path
    blueprints: Iterable[Blueprint] = ()
    handlers: Mapping[tuple[str, int], Handler] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    periodic: tuple[PeriodicJob, ...] = ()
    after_migrate: Callable[[], Any] | None = None
    # What only this service keeps and purges (the platform tables' rules come with it).
    purge_rules: tuple[PurgeRule, ...] = ()

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work on this service's database."""
        return UnitOfWork(self.sessions, self.tables, self.settings.service)

    def __post_init__(self) -> None:
        self.sessions = session_factory(self.engine)

    def retention_rules(self) -> tuple[PurgeRule, ...]:
        """Every purge rule of this service: the platform tables' and its own."""
        return (*platform_rules(self.tables, self.settings.retention), *self.purge_rules)

    def purge(self) -> dict[str, int]:
        """Remove what is past its retention period now; the rows removed, per rule."""
        return purge(self.engine, self.retention_rules(), self.settings.service)


def service_wiring(
    settings: Settings, tables: PlatformTables, package_file: str, api: ServiceApi
) -> ServiceWiring:
    """A service's wiring on its database and profile, before its use cases are added.

    The engine is traced and not yet connected; the migrations are the folder
    ``migrations`` beside ``package_file`` (the service's ``bootstrap.py``); a
    bad profile raises :class:`~chancery.profiles.ProfileError`.
    """
    return ServiceWiring(
        settings=settings,
        engine=database_engine(settings),
        tables=tables,
        profile=load_profile(settings.profile),
        migrations=Path(package_file).parent / "migrations",
        title=api.title,
        description=api.description,
        blueprints=api.blueprints,
    )


def checked_wiring(build: Callable[[], ServiceWiring], serving: bool = True) -> ServiceWiring:
    """Build a service's wiring, turning every bad setting into one :class:`ConfigurationError`.

    ``serving`` processes (web, worker, relay) also refuse unsafe token
    settings (:func:`chancery.config.require_safe_secrets`). Nothing connects.
    """
    try:
        wiring = build()
    except ProfileError as exc:
        raise ConfigurationError("CHANCERY_PROFILE", f"a usable profile ({exc})") from None
    if serving:
        require_safe_secrets(wiring.settings)
    return wiring


def database_engine(settings: Settings) -> Engine:
    """The service's engine, traced (the database is not contacted yet)."""
    engine = make_engine(settings.database_url)
    instrument_engine(engine)
    return engine


def broker_connection(settings: Settings, confirm: bool = False) -> Connection:
    """A kombu connection to the broker; the in-memory transport polls quickly."""
    options: dict[str, Any] = {"confirm_publish": True} if confirm else {}
    if settings.embedded:
        options["polling_interval"] = 0.01
    return Connection(
        settings.broker_url, heartbeat=30 if not settings.embedded else 0, transport_options=options
    )


def verifier_for(settings: Settings) -> TokenVerifier:
    """The token verifier: JWKS (RS256) when configured, else the HS256 secret."""
    if settings.jwt_jwks_url:
        return TokenVerifier(
            settings.jwt_issuer, settings.jwt_audience, jwks_url=settings.jwt_jwks_url
        )
    return TokenVerifier(settings.jwt_issuer, settings.jwt_audience, secret=settings.jwt_secret)


def web_app(wiring: ServiceWiring) -> Flask:
    """The service's Flask app with its readiness checks and the audit trail's API."""
    settings = wiring.settings

    def database() -> None:
        with wiring.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def broker() -> None:
        if settings.embedded:
            return
        # One quick attempt: the probe must answer within its own timeout.
        with Connection(settings.broker_url, connect_timeout=1) as conn:
            conn.ensure_connection(max_retries=0, timeout=1)

    # A web can accept work while the broker is down (its outbox keeps the messages),
    # so only the database decides readiness; the broker is reported.
    return create_app(
        settings,
        title=wiring.title,
        description=wiring.description,
        blueprints=[*wiring.blueprints, audit_api, operations_api],
        readiness_checks={"database": database},
        reported_checks={"broker": broker},
        verifier=verifier_for(settings),
        extensions={
            **wiring.extensions,
            TRAIL_EXTENSION: AuditTrail(wiring.unit_of_work),
            OPERATIONS_EXTENSION: Operations(
                settings.service,
                wiring.unit_of_work,
                None if settings.embedded else lambda: broker_connection(settings, confirm=True),
            ),
        },
    )


def traced_web_app(settings: Any, bootstrap: Callable[[Any], ServiceWiring]) -> Flask:
    """A service's web app with logging and tracing set up: what gunicorn's factories return.

    ``settings`` is the service's own settings object (with ``.common``).
    """
    from chancery.logs import configure_logging
    from chancery.telemetry import configure_tracing

    common = settings.common
    # Also checked by `python -m <service> web` before gunicorn starts; this covers gunicorn
    # started by other means.
    require_safe_secrets(common)
    configure_logging(common.service, common.log_level, common.log_format)
    configure_tracing(common.service, common.otel_exporter, common.otel_endpoint)
    return web_app(bootstrap(settings))


def web_app_factory(
    load_settings: Callable[[], Any], bootstrap: Callable[[Any], ServiceWiring]
) -> Callable[[], Flask]:
    """A service's gunicorn app factory (``<module>.bootstrap:create_web_app()``).

    Each call reads the environment and builds one traced app (one per
    gunicorn worker).
    """

    def create_web_app() -> Flask:
        return traced_web_app(load_settings(), bootstrap)

    return create_web_app


def message_handling(wiring: ServiceWiring) -> MessageHandling:
    """The plain message-handling core of the service."""
    return MessageHandling(wiring.handlers, wiring.unit_of_work, wiring.settings.delivery_limit)


def worker(
    wiring: ServiceWiring, connection: Connection | None = None, heartbeat: Heartbeat | None = None
) -> Worker:
    """The consumer of the service's queue (reconnects on its own); it beats ``heartbeat``."""
    settings = wiring.settings
    return Worker(
        connection or broker_connection(settings, confirm=not settings.embedded),
        settings.service,
        message_handling(wiring),
        settings.prefetch,
        settings.delivery_limit,
        on_turn=(heartbeat or Heartbeat()).beat,
    )


def relay(wiring: ServiceWiring, publisher: Publisher | None = None) -> OutboxRelay:
    """The outbox relay, publishing with pipelined confirms in real mode."""
    settings = wiring.settings
    if publisher is None:
        publisher = (
            KombuPublisher(broker_connection(settings))
            if settings.embedded
            else ConfirmingAmqpPublisher(settings.broker_url)
        )
    return OutboxRelay(
        wiring.engine,
        wiring.tables.outbox,
        publisher,
        settings.relay_batch_size,
        settings.relay_idle_seconds,
        settings.service,
    )


def declare(settings: Settings) -> None:
    """Declare the whole broker topology (idempotent)."""
    with broker_connection(settings) as conn:
        conn.ensure_connection(max_retries=5)
        declare_topology(conn, settings.delivery_limit)


def migrate(wiring: ServiceWiring) -> None:
    """Create the database if needed and upgrade it to the newest migration."""
    from alembic import command

    ensure_database(wiring.settings.database_url)
    with wiring.engine.begin() as connection:
        config = alembic_config(wiring.migrations, wiring.profile.time_zone)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    if wiring.after_migrate is not None:
        wiring.after_migrate()


def alembic_config(migrations: Path, time_zone: str | None = None) -> Any:
    """An Alembic configuration for a service's migration folder.

    ``time_zone``, the municipality's, is there for a migration that counts by local day
    (intake's statistics tally).
    """
    from alembic.config import Config

    config = Config()
    config.attributes["time_zone"] = time_zone
    config.set_main_option("script_location", str(migrations))
    return config


def run_relay_until(
    wiring: ServiceWiring, stop: threading.Event, heartbeat: Heartbeat | None = None
) -> None:
    """Run the outbox relay until ``stop`` is set (the topology is declared first)."""
    declare(wiring.settings)
    relay(wiring).run_forever(stop, on_turn=(heartbeat or Heartbeat()).beat)


def run_periodic_until(job: PeriodicJob, stop: threading.Event) -> None:
    """Run ``job`` once at start, then every ``job.seconds``, until ``stop`` is set.

    The first run is immediate: a restart must not postpone an hourly reminder by an
    hour (or forever, for a worker restarted more often than its period). A failure
    waits a turn.
    """
    while not stop.is_set():
        try:
            job.run()
        except Exception:
            log.exception("periodic job failed", extra={"job": job.name})
        if stop.wait(job.seconds):
            return


def dead_letter_watch(settings: Settings, seconds: float = 15.0) -> PeriodicJob:
    """A job that publishes the depth of the service's dead-letter queue as a metric."""

    def measure() -> None:
        with broker_connection(settings) as connection:
            DEAD_LETTERS.labels(settings.service).set(
                dead_letter_depth(connection, settings.service)
            )

    return PeriodicJob("dead-letter-depth", seconds, measure)


def purge_job(wiring: ServiceWiring) -> PeriodicJob:
    """A job that purges what is past its retention period (``Settings.retention``)."""
    return PeriodicJob("purge", wiring.settings.retention.interval_seconds, wiring.purge)


def run_worker_until(
    wiring: ServiceWiring, stop: threading.Event, heartbeat: Heartbeat | None = None
) -> Worker:
    """Start the consumer, the periodic jobs, the purge and the dead-letter watch.

    The consumer beats ``heartbeat`` while it consumes (the worker's ``/healthz``).
    """
    for job in (*wiring.periodic, purge_job(wiring), dead_letter_watch(wiring.settings)):
        threading.Thread(
            target=run_periodic_until,
            args=(job, stop),
            daemon=True,
            name=f"{wiring.settings.service}-{job.name}",
        ).start()
    consumer = worker(wiring, heartbeat=heartbeat)
    thread = threading.Thread(
        target=consumer.run, name=f"{wiring.settings.service}-worker", daemon=True
    )
    thread.start()

    def stopper() -> None:
        stop.wait()
        consumer.should_stop = True

    threading.Thread(target=stopper, daemon=True).start()
    return consumer


@dataclass(frozen=True)
class ServiceDefinition:
    """How the embedded mode and the process launcher find a service."""

    name: str
    port: int
    module: str
    wiring_from_env: Callable[[Mapping[str, str]], ServiceWiring]
    # gunicorn's app factory: each call reads the environment and builds one traced app.
    create_web_app: Callable[[], Flask]
    load_demo_data: Callable[[ServiceWiring], int] | None = None

    @classmethod
    def of(
        cls,
        name: str,
        port: int,
        module: str,
        load_settings: Callable[[Mapping[str, str] | None], Any],
        bootstrap: Callable[[Any], ServiceWiring],
        load_demo_data: Callable[[ServiceWiring], int] | None = None,
    ) -> ServiceDefinition:
        """A service's definition from its settings loader and its ``bootstrap``.

        ``load_settings(None)`` reads the process environment.
        """
        return cls(
            name=name,
            port=port,
            module=module,
            wiring_from_env=lambda env: bootstrap(load_settings(env)),
            create_web_app=web_app_factory(lambda: load_settings(None), bootstrap),
            load_demo_data=load_demo_data,
        )

    @property
    def app_factory(self) -> str:
        """gunicorn's ``module:factory()`` for the web process."""
        return f"{self.module}.bootstrap:create_web_app()"
