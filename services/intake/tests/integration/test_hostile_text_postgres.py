"""On the real PostgreSQL, NUL and lone surrogates never reach the database: a 422, not a 500.

PostgreSQL refuses NUL in text and JSON and psycopg cannot encode a lone
surrogate; before the edge refused them, such a letter failed inside the
transaction (a 500) or, in the outbox's JSON, later still.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import ServiceWiring
from intake.adapters.models import Letter

pytestmark = pytest.mark.integration

LETTER = (
    '{"kind": "complaint", "channel": "email", "language": "lt", '
    '"subject": %s, "summary": %s, "addressee": {"kind": "mayor"}, '
    '"sender": {"type": "person", "name": %s}}'
)


def _post(client: FlaskClient, subject: str, summary: str, name: str) -> Any:
    token = issue_token(DEV_JWT_SECRET, ["registrar"], subject="registrar-ona")
    return client.post(
        "/letters",
        data=(LETTER % (subject, summary, name)).encode(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _rows(wiring: ServiceWiring) -> tuple[int, int]:
    with wiring.unit_of_work() as uow:
        return (
            uow.session.scalar(select(func.count()).select_from(Letter)),
            uow.session.scalar(select(func.count()).select_from(uow.tables.outbox)),
        )


@pytest.mark.parametrize(
    ("subject", "summary", "name", "field"),
    [
        ('"Skundas \\ud800"', "null", '"Ona"', "subject"),
        ('"Skundas"', '"Pirma eilutė\\nantra \\u0000"', '"Ona"', "summary"),
        ('"Skundas"', '"\\udfff"', '"Ona"', "summary"),
        ('"Skundas"', "null", '"Ona \\u0000 Žemaitytė"', "sender.name"),
    ],
)
def test_nul_and_lone_surrogates_are_a_422_and_write_nothing(
    wiring, client, subject, summary, name, field
):
    response = _post(client, subject, summary, name)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert field in {error["field"] for error in response.get_json()["errors"]}
    assert _rows(wiring) == (0, 0)


def test_every_script_and_emoji_reach_the_database_byte_for_byte(wiring, client):
    subject = "Dėl gatvės — ქუჩის განათება — Kërkesë — Ķīšezera iela 😀"
    response = _post(
        client,
        '"Dėl gatvės — ქუჩის განათება — Kërkesë — Ķīšezera iela \\ud83d\\ude00"',
        '"Pirma eilutė\\n\\tantra"',
        '"Ona Žemaitytė"',
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    with wiring.unit_of_work() as uow:
        stored = uow.session.scalars(select(Letter)).one()
    assert (stored.subject, stored.summary) == (subject, "Pirma eilutė\n\tantra")
    assert _rows(wiring) == (1, 1)
