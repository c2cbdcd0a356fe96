"""Notifications' own settings are checked when read, naming the variable."""

from __future__ import annotations

import pytest

from chancery.config import ConfigurationError
from notifications.config import load_settings


@pytest.mark.parametrize(
    ("env", "variable", "expected"),
    [
        ({"SMTP_URL": "ftp://mail.example.org"}, "SMTP_URL", "smtp:// or smtps:// or log://"),
        ({"SMTP_URL": "smtp://mail.example.org:twenty-five"}, "SMTP_URL", "smtp://"),
        ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS", "true or false"),
        ({"SMS_PROVIDER": "pigeon"}, "SMS_PROVIDER", "one of log, http"),
        ({"SMS_PROVIDER": "http"}, "SMS_URL", "when SMS_PROVIDER=http"),
        ({"NOTIFY_MAX_ATTEMPTS": "0"}, "NOTIFY_MAX_ATTEMPTS", "a whole number from 1 to 100"),
        ({"NOTIFY_RATE_EMAIL": "-5"}, "NOTIFY_RATE_EMAIL", "a number above 0"),
        ({"CITIZEN_STATUS_URL": "status.example.org"}, "CITIZEN_STATUS_URL", "http://"),
    ],
)
def test_a_wrong_value_names_the_variable(env, variable, expected):
    with pytest.raises(ConfigurationError) as raised:
        load_settings(env)
    assert raised.value.variable == variable
    assert expected in str(raised.value)


def test_good_values_are_read_typed():
    settings = load_settings(
        {
            "SMTP_URL": "smtps://mail.example.org:465",
            "SMTP_STARTTLS": "yes",
            "SMS_PROVIDER": "HTTP",
            "SMS_URL": "https://sms.example.org/send",
            "NOTIFY_RATE_SMS": "2.5",
        }
    )
    assert (settings.smtp_url, settings.smtp_starttls, settings.sms_provider) == (
        "smtps://mail.example.org:465",
        True,
        "http",
    )
    assert settings.rate_per_second["sms"] == 2.5


def test_the_status_link_is_under_the_instances_public_address_unless_overridden():
    assert load_settings({}).status_url == "http://127.0.0.1:8000/public/status"
    public = {"CHANCERY_PUBLIC_URL": "https://chancery.example.org/"}
    assert load_settings(public).status_url == "https://chancery.example.org/public/status"
    assert (
        load_settings({**public, "CITIZEN_STATUS_URL": "https://status.example.org/s"}).status_url
        == "https://status.example.org/s"
    )
