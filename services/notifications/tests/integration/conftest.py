"""Notifications' integration fixtures: wirings on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chancery.runtime import ServiceWiring
from chancery_testing import wired_service
from notifications.bootstrap import bootstrap
from notifications.config import load_settings


@pytest.fixture
def make_wiring(database_url: str, tmp_path: Path) -> Iterator[Callable[..., ServiceWiring]]:
    """Notifications migrated on ``database_url`` (Lagodekhi), mailing through ``smtp_url``."""
    made: list[ServiceWiring] = []

    def make(smtp_url: str, **env: str) -> ServiceWiring:
        _, wiring = wired_service(
            tmp_path,
            load_settings,
            bootstrap,
            {
                "SMTP_URL": smtp_url,
                "CHANCERY_PROFILE": "lagodekhi",
                "NOTIFY_BACKOFF_SECONDS": "0",
                # The local webhook receiver: http on 127.0.0.1, allowed.
                "NOTIFY_WEBHOOK_ALLOW_HTTP": "true",
                "NOTIFY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
                **env,
            },
            database_url=database_url,
        )
        made.append(wiring)
        return wiring

    yield make
    for wiring in made:
        wiring.engine.dispose()
