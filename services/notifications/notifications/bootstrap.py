"""The one place that wires notifications together."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from chancery.clock import utcnow
from chancery.runtime import ServiceApi, ServiceDefinition, ServiceWiring, service_wiring
from notifications.adapters.channels import (
    Channel,
    EmailChannel,
    HttpSmsProvider,
    LogSmsProvider,
    WebhookChannel,
)
from notifications.adapters.models import PLATFORM
from notifications.adapters.webhooks import DestinationPolicy
from notifications.config import NotificationSettings, load_settings
from notifications.demo import load_demo_data
from notifications.handlers import message_handlers
from notifications.http import BLUEPRINTS
from notifications.timers import periodic_jobs
from notifications.usecases.audiences import Audiences
from notifications.usecases.deliveries import Deliveries, delivered_texts
from notifications.usecases.feed import Feed
from notifications.usecases.preferences import Preferences
from notifications.usecases.requests import Requests
from notifications.usecases.staff import Staff
from notifications.usecases.templates import Templates
from notifications.usecases.webhooks import Webhooks

API = ServiceApi(
    "Chancery notifications",
    "Tells citizens, staff and department systems what happened, in their "
    "language: e-mail, signed webhooks, SMS and an in-app feed, with "
    "delivery states, retries and rate limits.",
    BLUEPRINTS,
)


def bootstrap(
    settings: NotificationSettings,
    *,
    clock: Callable[[], datetime] = utcnow,
    channels: Mapping[str, Channel] | None = None,
) -> ServiceWiring:
    """Notifications' wiring from its settings.

    ``clock`` is the use cases' "now" (a test's hand-moved clock); ``channels``
    replace the senders the settings choose, by channel name.
    """
    wiring = service_wiring(settings.common, PLATFORM, __file__, API)
    profile = wiring.profile
    webhook_policy = DestinationPolicy(settings.webhook_allow_http, settings.webhook_allowed_hosts)
    webhooks = Webhooks(
        wiring.unit_of_work,
        webhook_policy,
        timedelta(seconds=settings.webhook_secret_overlap_seconds),
        clock,
    )
    templates = Templates(wiring.unit_of_work)
    webhook_tls = (
        ssl.create_default_context(cafile=settings.webhook_ca_file)
        if settings.webhook_ca_file
        else None
    )
    sms = (
        HttpSmsProvider(settings.sms_url, settings.sms_api_key)
        if settings.sms_provider == "http" and settings.sms_url
        else LogSmsProvider()
    )
    deliveries = Deliveries(
        wiring.unit_of_work,
        {
            "email": EmailChannel(
                settings.smtp_url,
                settings.mail_from,
                settings.mail_domain,
                settings.smtp_username,
                settings.smtp_password,
                settings.smtp_starttls,
            ),
            "webhook": WebhookChannel(webhooks.target, webhook_policy, tls=webhook_tls),
            "sms": sms,
            **(channels or {}),
        },
        profile.default_language,
        settings.max_attempts,
        settings.backoff_seconds,
        settings.rate_per_second,
        settings.stale_sending_seconds,
        clock,
    )
    audiences = Audiences(wiring.unit_of_work, deliveries, profile, settings.status_url)
    requests = Requests(wiring.unit_of_work, deliveries, profile)
    wiring.handlers = message_handlers(audiences, requests)
    wiring.extensions = {
        "deliveries": deliveries,
        "templates": templates,
        "staff": Staff(wiring.unit_of_work),
        "preferences": Preferences(wiring.unit_of_work),
        "webhooks": webhooks,
        "requests": requests,
        "audiences": audiences,
        "feed": Feed(wiring.unit_of_work),
    }
    wiring.periodic = periodic_jobs(settings, deliveries)
    wiring.after_migrate = templates.load_shipped
    wiring.purge_rules = (delivered_texts(timedelta(days=settings.delivered_texts_days)),)
    return wiring


DEFINITION = ServiceDefinition.of(
    "notifications", 8005, "notifications", load_settings, bootstrap, load_demo_data
)
# gunicorn's app factory (``notifications.bootstrap:create_web_app()``), one app per worker.
create_web_app = DEFINITION.create_web_app
