"""Settings are checked when read: a wrong value names its variable and the form it needs."""

from __future__ import annotations

import pytest

from chancery.config import (
    DEV_JWT_SECRET,
    ConfigurationError,
    EnvironmentReader,
    require_safe_secrets,
    settings_from_env,
)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DELIVERY_LIMIT", "abc", "a whole number from 1 to 1000"),
        ("DELIVERY_LIMIT", "0", "a whole number from 1 to 1000"),
        ("PREFETCH", "1.5", "a whole number"),
        ("METRICS_PORT", "70000", "a whole number from 1 to 65535"),
        ("LOG_LEVEL", "LOUD", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("LOG_FORMAT", "xml", "one of json, text"),
        ("CHANCERY_ENV", "staging", "one of production, development"),
        ("RELAY_IDLE_SECONDS", "0", "a number above 0"),
        ("RELAY_IDLE_SECONDS", "nan", "a number above 0"),
        ("BROKER_URL", "http://rabbit:5672", "a URL starting with amqp:// or amqps://"),
        ("DATABASE_URL", "mysql://db/chancery", "a URL starting with postgresql://"),
        ("DATABASE_URL", "postgresql://db:port/chancery", "a URL starting with postgresql://"),
        ("JWT_JWKS_URL", "login.example.org/jwks", "a URL starting with https://"),
    ],
)
def test_a_wrong_value_names_the_variable_and_what_it_expects(variable, value, expected):
    with pytest.raises(ConfigurationError) as raised:
        settings_from_env("routing", {variable: value})
    assert raised.value.variable == variable
    assert str(raised.value).startswith(f"configuration: {variable}")
    assert expected in str(raised.value)


def test_a_bad_url_is_never_repeated_since_it_may_hold_a_password():
    with pytest.raises(ConfigurationError) as raised:
        settings_from_env("intake", {"DATABASE_URL": "mysql://chancery:Sl4ptas@db/chancery"})
    assert "Sl4ptas" not in str(raised.value)


def test_case_of_an_enumeration_is_forgiven_and_given_back_as_spelt():
    settings = settings_from_env("intake", {"LOG_LEVEL": "warning", "CHANCERY_ENV": "Development"})
    assert (settings.log_level, settings.environment) == ("WARNING", "development")


def test_unset_and_empty_values_take_the_defaults():
    settings = settings_from_env("routing", {"DELIVERY_LIMIT": "", "LOG_LEVEL": ""})
    assert (settings.delivery_limit, settings.log_level, settings.environment) == (
        5,
        "INFO",
        "production",
    )
    assert settings.database_url.endswith("/chancery_routing")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("off", False), ("FALSE", False)],
)
def test_booleans_take_the_usual_spellings(value, expected):
    assert EnvironmentReader({"FLAG": value}).boolean("FLAG", not expected) is expected


def test_a_boolean_that_is_neither_says_so():
    with pytest.raises(ConfigurationError, match="FLAG='maybe' is not valid: expected true"):
        EnvironmentReader({"FLAG": "maybe"}).boolean("FLAG", False)


def test_production_refuses_to_run_without_a_secret_of_its_own():
    for env in ({}, {"JWT_SECRET": DEV_JWT_SECRET}):
        with pytest.raises(ConfigurationError) as raised:
            require_safe_secrets(settings_from_env("intake", env))
        assert raised.value.variable == "JWT_SECRET"
        assert "CHANCERY_ENV=development" in str(raised.value)


def test_production_refuses_a_short_secret():
    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        require_safe_secrets(settings_from_env("intake", {"JWT_SECRET": "change-me"}))


@pytest.mark.parametrize(
    "env",
    [
        {"CHANCERY_ENV": "development"},
        {"JWT_SECRET": "x" * 32},
        {"JWT_JWKS_URL": "https://login.example.org/.well-known/jwks.json"},
    ],
)
def test_a_proper_secret_a_key_set_or_development_are_accepted(env):
    require_safe_secrets(settings_from_env("intake", env))


CLOCK_RUN = {"CHANCERY_TESTING": "true", "CHANCERY_ENV": "development"}


def test_the_use_cases_clock_is_the_real_one_unless_a_test_run_moves_it():
    from datetime import UTC, datetime, timedelta

    assert settings_from_env("intake", {}).clock_offset == timedelta(0)
    moved = settings_from_env("intake", {**CLOCK_RUN, "CHANCERY_TEST_CLOCK_OFFSET_DAYS": "400.5"})
    assert moved.clock_offset == timedelta(days=400.5)
    shift = moved.clock() - datetime.now(UTC)
    assert timedelta(days=400.5) - timedelta(minutes=1) < shift <= timedelta(days=400.5)


@pytest.mark.parametrize(
    "env",
    [
        {"CHANCERY_ENV": "development"},
        {"CHANCERY_TESTING": "true"},
        {"CHANCERY_TESTING": "true", "CHANCERY_ENV": "production"},
        {"CHANCERY_TESTING": "false", "CHANCERY_ENV": "development"},
    ],
)
def test_a_moved_clock_is_refused_outside_a_development_test_run(env):
    with pytest.raises(ConfigurationError) as raised:
        settings_from_env("intake", {**env, "CHANCERY_TEST_CLOCK_OFFSET_DAYS": "800"})
    assert raised.value.variable == "CHANCERY_TEST_CLOCK_OFFSET_DAYS"
    assert "test runs only" in str(raised.value)


def test_a_moved_clock_is_a_number_of_days_within_a_century():
    with pytest.raises(ConfigurationError) as raised:
        settings_from_env("intake", {**CLOCK_RUN, "CHANCERY_TEST_CLOCK_OFFSET_DAYS": "two years"})
    assert "a number from -36500 to 36500" in str(raised.value)
