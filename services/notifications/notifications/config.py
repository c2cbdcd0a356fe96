"""Notifications' settings: mail, SMS, webhooks, retries and rate limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chancery.config import Settings, settings_from_env

SERVICE = "notifications"


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


def load_settings(env: Mapping[str, str] | None = None) -> NotificationSettings:
    """Read notifications' settings from ``env`` (default: the process environment).

    ``SMTP_URL`` is ``smtp://host:port``, ``smtps://host:port`` (TLS from the
    start) or ``log://`` (write mails to the log; the embedded mode's default).
    """
    env = os.environ if env is None else env
    common = settings_from_env(SERVICE, env)
    default_smtp = "log://" if common.embedded else "smtp://127.0.0.1:1025"

    def rate(channel: str, default: str) -> float:
        return float(env.get(f"NOTIFY_RATE_{channel.upper()}") or default)

    return NotificationSettings(
        common=common,
        smtp_url=env.get("SMTP_URL") or default_smtp,
        smtp_username=env.get("SMTP_USERNAME") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_starttls=(env.get("SMTP_STARTTLS") or "false").lower() == "true",
        mail_from=env.get("MAIL_FROM") or "Chancery <no-reply@chancery.example.org>",
        mail_domain=env.get("MAIL_DOMAIN") or "chancery.example.org",
        sms_provider=env.get("SMS_PROVIDER") or "log",
        sms_url=env.get("SMS_URL") or None,
        sms_api_key=env.get("SMS_API_KEY") or None,
        status_url=env.get("CITIZEN_STATUS_URL") or "http://127.0.0.1:8000/public/status",
        max_attempts=int(env.get("NOTIFY_MAX_ATTEMPTS") or 8),
        backoff_seconds=float(env.get("NOTIFY_BACKOFF_SECONDS") or 30),
        sender_interval_seconds=float(env.get("NOTIFY_SENDER_INTERVAL_SECONDS") or 0.2),
        rate_per_second={"email": rate("email", "50"), "sms": rate("sms", "5"),
                         "webhook": rate("webhook", "50"), "in_app": rate("in_app", "1000")},
        stale_sending_seconds=float(env.get("NOTIFY_STALE_SENDING_SECONDS") or 300),
    )
