"""Notifications' integration fixtures: wirings on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from chancery.runtime import ServiceWiring, migrate
from notifications.bootstrap import bootstrap
from notifications.config import load_settings


@pytest.fixture
def make_wiring(database_url: str, tmp_path) -> Iterator[Callable[..., ServiceWiring]]:
    made: list[ServiceWiring] = []

    def make(smtp_url: str, **env: str) -> ServiceWiring:
        settings = load_settings({"DATABASE_URL": database_url, "BROKER_URL": "memory://",
                                  "CHANCERY_DATA_DIR": str(tmp_path), "SMTP_URL": smtp_url,
                                  "CHANCERY_PROFILE": "lagodekhi",
                                  "NOTIFY_BACKOFF_SECONDS": "0",
                                  # The local webhook receiver: http on 127.0.0.1, allowed.
                                  "NOTIFY_WEBHOOK_ALLOW_HTTP": "true",
                                  "NOTIFY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
                                  **env})
        wiring = bootstrap(settings)
        migrate(wiring)
        made.append(wiring)
        return wiring

    yield make
    for wiring in made:
        wiring.engine.dispose()
