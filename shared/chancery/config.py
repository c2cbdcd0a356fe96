"""Settings read from the environment: the only place the library reads it.

Every service builds a :class:`Settings` with :func:`settings_from_env`; its
own ``config.py`` adds what only it needs. Values that name a per-service
resource may contain ``{service}`` (for example
``DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/chancery_{service}``)
so one environment serves every service.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

DEV_JWT_SECRET = "chancery-development-secret-not-for-production"
REAL_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/chancery_{service}"
REAL_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
# The staff web app's own default address: the instance's public address when none is set.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
# The kinds of number a setting is read as.
_Number = TypeVar("_Number", int, float)


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
    # "development" admits the public development secret (see require_safe_secrets).
    environment: str = "production"
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
    # The instance's one public address (CHANCERY_PUBLIC_URL): the staff web app's, its
    # public pages under /public. The links services hand out (status, booking and
    # invitation links) derive from it unless a specific setting overrides them.
    public_url: str = DEFAULT_PUBLIC_URL
    # How far the use cases' "now" is moved from the real time: zero except in tests
    # (CHANCERY_TEST_CLOCK_OFFSET_DAYS, refused without CHANCERY_TESTING; see clock_offset).
    clock_offset: timedelta = timedelta(0)

    @property
    def clock(self) -> Callable[[], datetime]:
        """The use cases' "now": the real instant, moved by :attr:`clock_offset`.

        Tokens, leases and timers keep the real clock; only the rules that count
        days (year-end closing, retention) are meant to be moved.
        """
        return _shifted_clock(self.clock_offset)

    def public_page(self, path: str) -> str:
        """``path`` (``/public/...``) under the instance's public address."""
        return f"{self.public_url}{path}"

    @property
    def embedded(self) -> bool:
        """True when the in-memory transport is used (all services in one process)."""
        return self.broker_url.startswith("memory://")


# What a process exits with when its configuration is wrong (as argparse does for bad usage).
CONFIGURATION_ERROR_STATUS = 2


def process_environment() -> Mapping[str, str]:
    """The process's environment, for code that hands it on (e.g. to a service's wiring)."""
    return os.environ


class ConfigurationError(Exception):
    """A setting a process cannot start with; the message names the variable and what it expects.

    Process entry points print it as one line and exit non-zero (no traceback).
    """

    def __init__(self, variable: str, expected: str, value: str | None = None) -> None:
        shown = f"={value!r}" if value is not None else ""
        super().__init__(f"configuration: {variable}{shown} is not valid: expected {expected}")
        self.variable = variable
        self.expected = expected


class EnvironmentReader:
    """Typed readers of environment variables; a wrong value raises :class:`ConfigurationError`.

    An unset or empty variable gives the default. Values of URLs are never
    repeated in an error (they may carry passwords).
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def raw(self, name: str) -> str | None:
        """The variable's text, or None when unset or empty."""
        value = self._env.get(name)
        return None if value is None or value == "" else value

    def text(self, name: str, default: str) -> str:
        """Free text."""
        value = self.raw(name)
        return default if value is None else value

    def integer(
        self, name: str, default: int, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        """A whole number within ``minimum``..``maximum`` (either bound optional)."""
        return self._parsed(
            name,
            default,
            int,
            lambda number: _within(number, minimum, maximum),
            f"a whole number{_bounds(minimum, maximum)}",
        )

    def optional_integer(
        self, name: str, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """A whole number within bounds, or None when unset."""
        if self.raw(name) is None:
            return None
        return self.integer(name, 0, minimum, maximum)

    def number(
        self,
        name: str,
        default: float,
        minimum: float | None = None,
        maximum: float | None = None,
        positive: bool = False,
    ) -> float:
        """A decimal number within bounds; ``positive`` means strictly above zero."""
        above = " above 0" if positive else ""
        return self._parsed(
            name,
            default,
            float,
            lambda number: (
                math.isfinite(number)
                and _within(number, minimum, maximum)
                and not (positive and number <= 0)
            ),
            f"a number{above}{_bounds(minimum, maximum)}",
        )

    def _parsed(
        self,
        name: str,
        default: _Number,
        parse: Callable[[str], _Number],
        acceptable: Callable[[_Number], bool],
        expected: str,
    ) -> _Number:
        """The variable read by ``parse`` and checked by ``acceptable``; ``default`` when unset.

        Text ``parse`` refuses and a value out of bounds give the same error: ``expected``.
        """
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = parse(value.strip())
        except ValueError:
            raise ConfigurationError(name, expected, value) from None
        if not acceptable(number):
            raise ConfigurationError(name, expected, value)
        return number

    def boolean(self, name: str, default: bool) -> bool:
        """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``)."""
        value = self.raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigurationError(name, "true or false", value)

    def choice(
        self, name: str, default: str, choices: Collection[str], case_insensitive: bool = True
    ) -> str:
        """One of ``choices``, given back as spelt in ``choices``."""
        value = self.raw(name)
        if value is None:
            return default
        for option in choices:
            if value.strip() == option or (
                case_insensitive and value.strip().lower() == option.lower()
            ):
                return option
        raise ConfigurationError(name, f"one of {', '.join(choices)}", value)

    def url(
        self, name: str, default: str, schemes: Collection[str], needs_host: bool = True
    ) -> str:
        """A URL with one of ``schemes`` (``postgresql`` also admits ``postgresql+psycopg``)."""
        value = self.raw(name)
        return default if value is None else self._checked_url(name, value, schemes, needs_host)

    def optional_url(self, name: str, schemes: Collection[str]) -> str | None:
        """A URL as :meth:`url`, or None when unset."""
        value = self.raw(name)
        return None if value is None else self._checked_url(name, value, schemes, True)

    @staticmethod
    def _checked_url(name: str, value: str, schemes: Collection[str], needs_host: bool) -> str:
        expected = f"a URL starting with {' or '.join(s + '://' for s in schemes)}"
        try:
            parts = urlsplit(value.strip())
            parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        except ValueError:
            raise ConfigurationError(name, expected) from None
        scheme = parts.scheme.lower()
        if not any(scheme == s or scheme.startswith(s + "+") for s in schemes):
            raise ConfigurationError(name, expected)
        if needs_host and not parts.hostname:
            raise ConfigurationError(name, f"{expected} and a host")
        return value.strip()


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("json", "text")
ENVIRONMENTS = ("production", "development")
TRACE_EXPORTERS = ("none", "otlp", "console")
MIN_JWT_SECRET_LENGTH = 32
CLOCK_OFFSET_VARIABLE = "CHANCERY_TEST_CLOCK_OFFSET_DAYS"


def _shifted_clock(offset: timedelta) -> Callable[[], datetime]:
    def now() -> datetime:
        return datetime.now(UTC) + offset

    return now


def _clock_offset(read: EnvironmentReader, environment: str) -> timedelta:
    """The test clock's offset; refused outside a development test run.

    A moved clock in production would close years and destroy files early,
    so it needs ``CHANCERY_TESTING=true`` and ``CHANCERY_ENV=development``.
    """
    if read.raw(CLOCK_OFFSET_VARIABLE) is None:
        return timedelta(0)
    if not read.boolean("CHANCERY_TESTING", False) or environment != "development":
        raise ConfigurationError(
            CLOCK_OFFSET_VARIABLE,
            "to be unset: a moved clock is for test runs only "
            "(CHANCERY_TESTING=true with CHANCERY_ENV=development)",
            read.raw(CLOCK_OFFSET_VARIABLE),
        )
    return timedelta(days=read.number(CLOCK_OFFSET_VARIABLE, 0, minimum=-36_500, maximum=36_500))


def _within(number: float, minimum: float | None, maximum: float | None) -> bool:
    return (minimum is None or number >= minimum) and (maximum is None or number <= maximum)


def _bounds(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    return f" of at most {maximum}" if maximum is not None else ""


def settings_from_env(service: str, env: Mapping[str, str] | None = None) -> Settings:
    """Read the common settings for ``service`` from ``env`` (default: ``os.environ``).

    Raises :class:`ConfigurationError` naming the first variable with a wrong value.
    """
    read = EnvironmentReader(os.environ if env is None else env)
    database_url = read.url(
        "DATABASE_URL", REAL_DATABASE_URL, ("postgresql", "sqlite"), needs_host=False
    ).replace("{service}", service)
    broker_url = read.url(
        "BROKER_URL", REAL_BROKER_URL, ("amqp", "amqps", "memory"), needs_host=False
    )
    otel_endpoint = read.optional_url("OTEL_EXPORTER_OTLP_ENDPOINT", ("http", "https"))
    environment = read.choice("CHANCERY_ENV", "production", ENVIRONMENTS)
    return Settings(
        service=service,
        database_url=database_url,
        broker_url=broker_url,
        environment=environment,
        profile=read.text("CHANCERY_PROFILE", "alytus"),
        data_dir=Path(read.text("CHANCERY_DATA_DIR", "var")),
        jwt_secret=read.text("JWT_SECRET", DEV_JWT_SECRET),
        jwt_jwks_url=read.optional_url("JWT_JWKS_URL", ("https", "http")),
        jwt_issuer=read.text("JWT_ISSUER", "chancery"),
        jwt_audience=read.text("JWT_AUDIENCE", "chancery"),
        otel_endpoint=otel_endpoint,
        otel_exporter=read.choice(
            "OTEL_TRACES_EXPORTER", "otlp" if otel_endpoint else "none", TRACE_EXPORTERS
        ),
        log_level=read.choice("LOG_LEVEL", "INFO", LOG_LEVELS),
        log_format=read.choice("LOG_FORMAT", "json", LOG_FORMATS),
        delivery_limit=read.integer("DELIVERY_LIMIT", 5, minimum=1, maximum=1000),
        prefetch=read.integer("PREFETCH", 50, minimum=1, maximum=65535),
        relay_batch_size=read.integer("RELAY_BATCH_SIZE", 500, minimum=1, maximum=100_000),
        relay_idle_seconds=read.number("RELAY_IDLE_SECONDS", 0.05, maximum=60, positive=True),
        max_request_bytes=read.integer("MAX_REQUEST_BYTES", 1_000_000, minimum=1),
        max_attachment_bytes=read.integer("MAX_ATTACHMENT_BYTES", 20_000_000, minimum=1),
        metrics_multiprocess=read.raw("PROMETHEUS_MULTIPROC_DIR") is not None,
        metrics_port=read.optional_integer("METRICS_PORT", minimum=1, maximum=65535),
        trusted_proxy_hops=read.integer("TRUSTED_PROXY_HOPS", 0, minimum=0, maximum=10),
        public_url=read.url("CHANCERY_PUBLIC_URL", DEFAULT_PUBLIC_URL, ("http", "https")).rstrip(
            "/"
        ),
        retention=Retention(
            outbox=timedelta(days=read.number("PURGE_OUTBOX_DAYS", 7, positive=True)),
            inbox=timedelta(days=read.number("PURGE_INBOX_DAYS", 30, positive=True)),
            idempotency=timedelta(hours=read.number("PURGE_IDEMPOTENCY_HOURS", 24, positive=True)),
            interval_seconds=read.number("PURGE_INTERVAL_SECONDS", 3600, positive=True),
        ),
        clock_offset=_clock_offset(read, environment),
    )


def require_safe_secrets(settings: Settings) -> None:
    """Refuse token settings anyone could forge, unless the environment is development.

    Outside ``CHANCERY_ENV=development`` a process needs ``JWT_JWKS_URL`` or a
    ``JWT_SECRET`` of its own: the built-in development secret is public (it
    is in this repository), so tokens signed with it prove nothing.
    """
    if settings.environment == "development" or settings.jwt_jwks_url:
        return
    if settings.jwt_secret == DEV_JWT_SECRET:
        raise ConfigurationError(
            "JWT_SECRET",
            "a secret of your own or JWT_JWKS_URL: the built-in development "
            "secret is public and accepted only with CHANCERY_ENV=development",
        )
    if len(settings.jwt_secret) < MIN_JWT_SECRET_LENGTH:
        raise ConfigurationError(
            "JWT_SECRET", f"at least {MIN_JWT_SECRET_LENGTH} characters outside development"
        )
