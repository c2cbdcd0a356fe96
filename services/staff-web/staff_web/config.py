"""The staff web app's settings: the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from chancery.config import DEV_JWT_SECRET

SERVICE = "staff-web"
SERVICE_URL_DEFAULTS = {
    "intake": "http://127.0.0.1:8001",
    "routing": "http://127.0.0.1:8002",
    "protocol_events": "http://127.0.0.1:8003",
    "foreign_relations": "http://127.0.0.1:8004",
    "notifications": "http://127.0.0.1:8005",
}
DEV_SESSION_SECRET = "chancery-staff-web-development-session-secret"


@dataclass(frozen=True)
class OidcSettings:
    """The municipality's OpenID Connect provider and how its claims become Chancery's."""

    issuer: str
    client_id: str
    client_secret: str | None
    scopes: str = "openid profile"
    roles_claim: str = "roles"
    department_claim: str = "department"
    # The provider's values (e.g. group names) mapped to Chancery roles; empty: taken as is.
    role_map: Mapping[str, str] = field(default_factory=dict)

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


@dataclass(frozen=True)
class StaffWebSettings:
    """Everything the staff web app's processes need."""

    service_urls: Mapping[str, str]
    session_secret: str
    profile: str = "alytus"
    oidc: OidcSettings | None = None
    # The development sign-in mints HS256 tokens with the services' development secret.
    dev_sign_in: bool = False
    dev_jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "chancery"
    jwt_audience: str = "chancery"
    idle_minutes: int = 30
    secure_cookies: bool = True
    public_only: bool = False
    log_level: str = "INFO"
    log_format: str = "json"
    metrics_multiprocess: bool = False
    api_timeout_seconds: float = 10.0
    # The citizen's status page as citizens reach it (acknowledgements print it);
    # empty: this app's own /public/ address.
    public_url: str | None = None
    # How many reverse proxies (an ingress, a load balancer) stand in front and are
    # trusted to set X-Forwarded-For/-Proto/-Host; 0: none, the headers are ignored
    # (else anyone could choose the address the public booking rate limit counts).
    trusted_proxies: int = 0


def _public_url(env: Mapping[str, str]) -> str | None:
    """The citizen's page: STAFF_WEB_PUBLIC_URL, else /public under the instance's public
    address (CHANCERY_PUBLIC_URL), else none (this app's own address)."""
    if env.get("STAFF_WEB_PUBLIC_URL"):
        return env["STAFF_WEB_PUBLIC_URL"].rstrip("/")
    if env.get("CHANCERY_PUBLIC_URL"):
        return f"{env['CHANCERY_PUBLIC_URL'].rstrip('/')}/public"
    return None


def _role_map(text: str) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs}


def _proxies(value: str | None) -> int:
    count = int(value or "0")
    if count < 0:
        raise ValueError("STAFF_WEB_TRUSTED_PROXIES is a number of proxies, 0 or more")
    return count


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def load_settings(
    env: Mapping[str, str] | None = None, public_only: bool | None = None
) -> StaffWebSettings:
    """Read the staff web app's settings from ``env`` (default: the process environment).

    ``public_only`` overrides ``STAFF_WEB_PUBLIC_ONLY`` (the public process sets it).
    """
    env = os.environ if env is None else env
    urls = {
        name: (env.get(f"{name.upper()}_URL") or default).rstrip("/")
        for name, default in SERVICE_URL_DEFAULTS.items()
    }
    dev_sign_in = _flag(env.get("STAFF_WEB_DEV_SIGN_IN"), False)
    if dev_sign_in and env.get("CHANCERY_ENV") == "production":
        # The development sign-in lets anyone who reaches the app choose any role.
        raise ValueError(
            "STAFF_WEB_DEV_SIGN_IN is refused with CHANCERY_ENV=production: "
            "sign in through OIDC_ISSUER"
        )
    secret = env.get("STAFF_WEB_SESSION_SECRET") or ""
    if not secret:
        if not dev_sign_in:
            raise ValueError("STAFF_WEB_SESSION_SECRET is required outside development")
        secret = DEV_SESSION_SECRET
    oidc = None
    if env.get("OIDC_ISSUER"):
        oidc = OidcSettings(
            issuer=env["OIDC_ISSUER"],
            client_id=env.get("OIDC_CLIENT_ID") or "chancery-staff",
            client_secret=env.get("OIDC_CLIENT_SECRET") or None,
            scopes=env.get("OIDC_SCOPES") or "openid profile",
            roles_claim=env.get("OIDC_ROLES_CLAIM") or "roles",
            department_claim=env.get("OIDC_DEPARTMENT_CLAIM") or "department",
            role_map=_role_map(env.get("OIDC_ROLE_MAP") or ""),
        )
    return StaffWebSettings(
        service_urls=urls,
        session_secret=secret,
        profile=env.get("CHANCERY_PROFILE") or "alytus",
        oidc=oidc,
        dev_sign_in=dev_sign_in,
        dev_jwt_secret=env.get("JWT_SECRET") or DEV_JWT_SECRET,
        jwt_issuer=env.get("JWT_ISSUER") or "chancery",
        jwt_audience=env.get("JWT_AUDIENCE") or "chancery",
        idle_minutes=int(env.get("STAFF_WEB_IDLE_MINUTES") or "30"),
        secure_cookies=_flag(env.get("STAFF_WEB_SECURE_COOKIES"), True),
        public_only=(
            _flag(env.get("STAFF_WEB_PUBLIC_ONLY"), False) if public_only is None else public_only
        ),
        log_level=env.get("LOG_LEVEL") or "INFO",
        log_format=env.get("LOG_FORMAT") or "json",
        metrics_multiprocess=bool(env.get("PROMETHEUS_MULTIPROC_DIR")),
        api_timeout_seconds=float(env.get("STAFF_WEB_API_TIMEOUT") or "10"),
        public_url=_public_url(env),
        trusted_proxies=_proxies(env.get("STAFF_WEB_TRUSTED_PROXIES")),
    )
