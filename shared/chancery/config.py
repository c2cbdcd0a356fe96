"""Settings read from the environment: the only place the library reads it.

Every service builds a :class:`Settings` with :func:`settings_from_env`; its
own ``config.py`` adds what only it needs. Values that name a per-service
resource may contain ``{service}`` (for example
``DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/chancery_{service}``)
so one environment serves every service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DEV_JWT_SECRET = "chancery-development-secret-not-for-production"
REAL_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/chancery_{service}"
REAL_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


@dataclass(frozen=True)
class Retention:
    """How long the platform tables keep rows once they have served their purpose."""

    outbox: timedelta = timedelta(days=7)
    inbox: timedelta = timedelta(days=30)
    idempotency: timedelta = timedelta(hours=24)
    # How often the worker purges (chancery.retention).
    interval_seconds: float = 3600.0


@dataclass(frozen=True)
class Settings:
    """Everything a service process needs to wire itself."""

    service: str
    database_url: str
    broker_url: str
    profile: str = "alytus"
    data_dir: Path = Path("var")
    jwt_secret: str = DEV_JWT_SECRET
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "chancery"
    jwt_audience: str = "chancery"
    otel_endpoint: str | None = None
    otel_exporter: str = "none"
    log_level: str = "INFO"
    log_format: str = "json"
    delivery_limit: int = 5
    prefetch: int = 50
    relay_batch_size: int = 500
    relay_idle_seconds: float = 0.05
    max_request_bytes: int = 1_000_000
    max_attachment_bytes: int = 20_000_000
    metrics_multiprocess: bool = False
    # Where a worker or relay serves /metrics itself (its own container has no web).
    metrics_port: int | None = None
    # How many reverse proxies in front of the web append to X-Forwarded-For and
    # are trusted to: 0 takes the client's address from the socket.
    trusted_proxy_hops: int = 0
    retention: Retention = field(default_factory=Retention)

    @property
    def embedded(self) -> bool:
        """True when the in-memory transport is used (all services in one process)."""
        return self.broker_url.startswith("memory://")



def process_environment() -> Mapping[str, str]:
    """The process's environment, for code that hands it on (e.g. to a service's wiring)."""
    return os.environ


def _get(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name)
    return default if value is None or value == "" else value


def settings_from_env(service: str, env: Mapping[str, str] | None = None) -> Settings:
    """Read the common settings for ``service`` from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    data_dir = Path(_get(env, "CHANCERY_DATA_DIR", "var"))
    database_url = _get(env, "DATABASE_URL", REAL_DATABASE_URL).format(service=service)
    return Settings(
        service=service,
        database_url=database_url,
        broker_url=_get(env, "BROKER_URL", REAL_BROKER_URL),
        profile=_get(env, "CHANCERY_PROFILE", "alytus"),
        data_dir=data_dir,
        jwt_secret=_get(env, "JWT_SECRET", DEV_JWT_SECRET),
        jwt_jwks_url=env.get("JWT_JWKS_URL") or None,
        jwt_issuer=_get(env, "JWT_ISSUER", "chancery"),
        jwt_audience=_get(env, "JWT_AUDIENCE", "chancery"),
        otel_endpoint=env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
        otel_exporter=_get(env, "OTEL_TRACES_EXPORTER", "otlp" if env.get(
            "OTEL_EXPORTER_OTLP_ENDPOINT") else "none"),
        log_level=_get(env, "LOG_LEVEL", "INFO"),
        log_format=_get(env, "LOG_FORMAT", "json"),
        delivery_limit=int(_get(env, "DELIVERY_LIMIT", "5")),
        prefetch=int(_get(env, "PREFETCH", "50")),
        relay_batch_size=int(_get(env, "RELAY_BATCH_SIZE", "500")),
        relay_idle_seconds=float(_get(env, "RELAY_IDLE_SECONDS", "0.05")),
        max_request_bytes=int(_get(env, "MAX_REQUEST_BYTES", "1000000")),
        max_attachment_bytes=int(_get(env, "MAX_ATTACHMENT_BYTES", "20000000")),
        metrics_multiprocess=bool(env.get("PROMETHEUS_MULTIPROC_DIR")),
        metrics_port=int(env["METRICS_PORT"]) if env.get("METRICS_PORT") else None,
        trusted_proxy_hops=int(_get(env, "TRUSTED_PROXY_HOPS", "0")),
        retention=Retention(
            outbox=timedelta(days=float(_get(env, "PURGE_OUTBOX_DAYS", "7"))),
            inbox=timedelta(days=float(_get(env, "PURGE_INBOX_DAYS", "30"))),
            idempotency=timedelta(hours=float(_get(env, "PURGE_IDEMPOTENCY_HOURS", "24"))),
            interval_seconds=float(_get(env, "PURGE_INTERVAL_SECONDS", "3600"))),
    )
