"""The one place that wires notifications together."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from flask import Flask

from chancery.profiles import load_profile
from chancery.runtime import (
    PeriodicJob,
    ServiceDefinition,
    ServiceWiring,
    database_engine,
    traced_web_app,
)
from notifications.api import BLUEPRINTS
from notifications.catalog import Catalog, Feed
from notifications.channels import EmailChannel, HttpSmsProvider, LogSmsProvider, WebhookChannel
from notifications.commands import Requests
from notifications.config import NotificationSettings, load_settings
from notifications.delivery import Deliveries, delivered_texts
from notifications.demo import load_demo_data
from notifications.handlers import message_handlers
from notifications.models import PLATFORM
from notifications.subscriptions import Subscriptions
from notifications.webhooks import DestinationPolicy

MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(settings: NotificationSettings | None = None) -> ServiceWiring:
    """Notifications' wiring from its settings (default: the environment)."""
    settings = settings or load_settings()
    common = settings.common
    wiring = ServiceWiring(
        settings=common, engine=database_engine(common), tables=PLATFORM,
        migrations=MIGRATIONS, title="Chancery notifications",
        description="Tells citizens, staff and department systems what happened, in their "
                    "language: e-mail, signed webhooks, SMS and an in-app feed, with "
                    "delivery states, retries and rate limits.",
        blueprints=BLUEPRINTS)
    profile = load_profile(common.profile)
    webhook_policy = DestinationPolicy(settings.webhook_allow_http,
                                       settings.webhook_allowed_hosts)
    catalog = Catalog(wiring.unit_of_work, webhook_policy,
                      timedelta(seconds=settings.webhook_secret_overlap_seconds))
    webhook_tls = (ssl.create_default_context(cafile=settings.webhook_ca_file)
                   if settings.webhook_ca_file else None)
    sms = (HttpSmsProvider(settings.sms_url, settings.sms_api_key)
           if settings.sms_provider == "http" and settings.sms_url else LogSmsProvider())
    deliveries = Deliveries(
        wiring.unit_of_work,
        {"email": EmailChannel(settings.smtp_url, settings.mail_from, settings.mail_domain,
                               settings.smtp_username, settings.smtp_password,
                               settings.smtp_starttls),
         "webhook": WebhookChannel(catalog.webhook_target, webhook_policy, tls=webhook_tls),
         "sms": sms},
        profile.default_language, settings.max_attempts, settings.backoff_seconds,
        settings.rate_per_second, settings.stale_sending_seconds)
    subscriptions = Subscriptions(wiring.unit_of_work, deliveries, profile, settings.status_url)
    requests = Requests(wiring.unit_of_work, deliveries, profile)
    wiring.handlers = message_handlers(subscriptions, requests)
    wiring.extensions = {"deliveries": deliveries, "catalog": catalog, "requests": requests,
                         "subscriptions": subscriptions, "feed": Feed(wiring.unit_of_work)}
    wiring.periodic = (PeriodicJob("sender", settings.sender_interval_seconds,
                                   deliveries.send_due),)
    wiring.after_migrate = catalog.load_shipped_templates
    wiring.purge_rules = (delivered_texts(timedelta(days=settings.delivered_texts_days)),)
    return wiring


def create_web_app() -> Flask:
    """gunicorn's app factory (``notifications.bootstrap:create_web_app()``)."""
    return traced_web_app(load_settings(), bootstrap)


def _wiring_from_env(env: Mapping[str, str]) -> ServiceWiring:
    return bootstrap(load_settings(env))


DEFINITION = ServiceDefinition(name="notifications", port=8005, module="notifications",
                               wiring_from_env=_wiring_from_env, load_demo_data=load_demo_data)
