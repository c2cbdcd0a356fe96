"""Notifications' settings: mail, SMS, webhooks, retries and rate limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import ConfigurationError, EnvironmentReader, Settings, settings_from_env

SERVICE = "notifications"
SMTP_SCHEMES = ("smtp", "smtps", "log")
SMS_PROVIDERS = ("log", "http")


@dataclass(frozen=True)
class NotificationSettings:
    """Everything notifications' processes need."""

    common: Settings
    smtp_url: str
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    mail_domain: str
    sms_provider: str
    sms_url: str | None
    sms_api_key: str | None
    status_url: str
    max_attempts: int
    backoff_seconds: float
    sender_interval_seconds: float
    rate_per_second: dict[str, float]
    stale_sending_seconds: float
    webhook_allow_http: bool
    webhook_allowed_hosts: tuple[str, ...]
    webhook_secret_overlap_seconds: float
    webhook_ca_file: str | None
    # How long a delivered notice's texts are kept (who, when and how stay).
    delivered_texts_days: float = 30.0


def load_settings(env: Mapping[str, str] | None = None) -> NotificationSettings:
    """Read notifications' settings from ``env`` (default: the process environment).

    ``SMTP_URL`` is ``smtp://host:port``, ``smtps://host:port`` (TLS from the
    start) or ``log://`` (write mails to the log; the embedded mode's default).
    """
    env = os.environ if env is None else env
    read = EnvironmentReader(env)
    common = settings_from_env(SERVICE, env)
    default_smtp = "log://" if common.embedded else "smtp://127.0.0.1:1025"

    def rate(channel: str, default: float) -> float:
        return read.number(f"NOTIFY_RATE_{channel.upper()}", default, positive=True)

    sms_provider = read.choice("SMS_PROVIDER", "log", SMS_PROVIDERS)
    sms_url = read.optional_url("SMS_URL", ("https", "http"))
    if sms_provider == "http" and sms_url is None:
        raise ConfigurationError("SMS_URL", "the gateway's http(s) URL when SMS_PROVIDER=http")
    return NotificationSettings(
        common=common,
        smtp_url=read.url("SMTP_URL", default_smtp, SMTP_SCHEMES, needs_host=False),
        smtp_username=read.raw("SMTP_USERNAME"),
        smtp_password=read.raw("SMTP_PASSWORD"),
        smtp_starttls=read.boolean("SMTP_STARTTLS", False),
        mail_from=read.text("MAIL_FROM", "Chancery <no-reply@chancery.example.org>"),
        mail_domain=read.text("MAIL_DOMAIN", "chancery.example.org"),
        sms_provider=sms_provider,
        sms_url=sms_url,
        sms_api_key=read.raw("SMS_API_KEY"),
        status_url=read.url(
            "CITIZEN_STATUS_URL", common.public_page("/public/status"), ("http", "https")
        ),
        max_attempts=read.integer("NOTIFY_MAX_ATTEMPTS", 8, minimum=1, maximum=100),
        backoff_seconds=read.number("NOTIFY_BACKOFF_SECONDS", 30, minimum=0),
        sender_interval_seconds=read.number("NOTIFY_SENDER_INTERVAL_SECONDS", 0.2, positive=True),
        rate_per_second={
            "email": rate("email", 50),
            "sms": rate("sms", 5),
            "webhook": rate("webhook", 50),
            "in_app": rate("in_app", 1000),
        },
        stale_sending_seconds=read.number("NOTIFY_STALE_SENDING_SECONDS", 300, positive=True),
        # Plain http and private addresses are for development and named hosts only.
        webhook_allow_http=read.boolean("NOTIFY_WEBHOOK_ALLOW_HTTP", False),
        webhook_allowed_hosts=tuple(
            host.strip().lower()
            for host in read.text("NOTIFY_WEBHOOK_ALLOWED_HOSTS", "").split(",")
            if host.strip()
        ),
        webhook_secret_overlap_seconds=3600
        * read.number("NOTIFY_WEBHOOK_SECRET_OVERLAP_HOURS", 24, minimum=0),
        webhook_ca_file=read.raw("NOTIFY_WEBHOOK_CA_FILE"),
        delivered_texts_days=read.number("PURGE_DELIVERED_TEXTS_DAYS", 30, positive=True),
    )
