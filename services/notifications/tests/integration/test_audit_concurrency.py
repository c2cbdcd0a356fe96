"""Concurrent audited reads over HTTP on PostgreSQL append to one audit chain that verifies."""

from __future__ import annotations

import uuid

import pytest

from chancery.audit import verify_chain
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import web_app
from chancery_testing import run_together

pytestmark = pytest.mark.integration
READERS, READS_EACH = 6, 8


def test_concurrent_reads_of_preferences_keep_one_chain(make_wiring, smtp_server):
    wiring = make_wiring(smtp_server[0])
    app = web_app(wiring)
    address = f"ilze.ozolina.{uuid.uuid4().hex[:6]}@example.org"
    system = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['system'])}"}
    assert (
        app.test_client()
        .put(f"/preferences/{address}", headers=system, json={"language": "lv"})
        .status_code
        == 200
    )
    readers = [
        (
            app.test_client(),
            {
                "Authorization": "Bearer "
                + issue_token(DEV_JWT_SECRET, ["operator"], subject=f"reader-{number}")
            },
        )
        for number in range(READERS)
    ]

    def read(number: int) -> list[int]:
        client, headers = readers[number]
        return [
            client.get(f"/preferences/{address}", headers=headers).status_code
            for _ in range(READS_EACH)
        ]

    assert run_together(READERS, read) == [[200] * READS_EACH] * READERS
    with wiring.unit_of_work() as uow:
        result = verify_chain(uow.session, wiring.tables.audit)
    assert result.broken is None
    assert result.rows == READERS * READS_EACH
