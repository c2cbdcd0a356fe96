"""The migration to Standard Webhooks keeps every receiver's key (PostgreSQL)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from standardwebhooks.webhooks import Webhook

from chancery.db import ensure_database
from chancery.runtime import alembic_config
from chancery_testing import wired_service
from notifications.adapters.webhooks import sign
from notifications.bootstrap import bootstrap
from notifications.config import load_settings

pytestmark = pytest.mark.integration


def test_a_secret_from_before_signs_with_the_same_key_after_the_migration(database_url, tmp_path):
    _, wiring = wired_service(
        tmp_path, load_settings, bootstrap, database_url=database_url, migrated=False
    )
    ensure_database(database_url)
    config = alembic_config(wiring.migrations, wiring.profile.time_zone)
    legacy, hook_id = "Zx3_legacy-token_urlsafe-secret-0123456789abcd", str(uuid.uuid4())
    try:
        with wiring.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
            connection.execute(
                text(
                    "INSERT INTO webhooks (id, name, url, secret, kinds, department, active) "
                    "VALUES (:id, 'Senoji sistema', 'https://hooks.example.org/in', :secret, "
                    "'[\"letter.routed\"]', NULL, true)"
                ),
                {"id": hook_id, "secret": legacy},
            )
            command.upgrade(config, "head")
            converted = connection.scalar(
                text("SELECT secret FROM webhooks WHERE id = :id"), {"id": hook_id}
            )
            command.downgrade(config, "0003")
            restored = connection.scalar(
                text("SELECT secret FROM webhooks WHERE id = :id"), {"id": hook_id}
            )
    finally:
        wiring.engine.dispose()
    assert converted.startswith("whsec_")
    assert restored == legacy
    body = b'{"id": "d-1", "kind": "generic"}'
    signature = sign(converted, "d-1", 1_790_000_000, body)
    # The same HMAC key the receiver already holds: the old secret's bytes.
    old = hmac.new(legacy.encode(), b"d-1.1790000000." + body, hashlib.sha256).digest()
    assert signature == "v1," + base64.b64encode(old).decode()
    assert (
        Webhook(converted).sign("d-1", datetime.fromtimestamp(1_790_000_000, UTC), body.decode())
        == signature
    )
