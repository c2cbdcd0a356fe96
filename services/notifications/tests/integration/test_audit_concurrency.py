"""Concurrent audited reads over HTTP on PostgreSQL append to one audit chain that verifies."""

from __future__ import annotations

import threading
import uuid

import pytest

from chancery.audit import verify_chain
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import web_app

pytestmark = pytest.mark.integration
READERS, READS_EACH = 6, 8


def test_concurrent_reads_of_preferences_keep_one_chain(make_wiring, smtp_server):
    wiring = make_wiring(smtp_server[0])
    app = web_app(wiring)
    address = f"ilze.ozolina.{uuid.uuid4().hex[:6]}@example.org"
    system = {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, ['system'])}"}
    assert app.test_client().put(f"/preferences/{address}", headers=system,
                                 json={"language": "lv"}).status_code == 200
    start, statuses = threading.Barrier(READERS), []

    def read(number: int) -> None:
        client = app.test_client()
        token = issue_token(DEV_JWT_SECRET, ["operator"], subject=f"reader-{number}")
        start.wait()
        for _ in range(READS_EACH):
            statuses.append(client.get(f"/preferences/{address}",
                                       headers={"Authorization": f"Bearer {token}"}).status_code)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * READERS * READS_EACH
    with wiring.unit_of_work() as uow:
        result = verify_chain(uow.session, wiring.tables.audit)
    assert result.broken is None
    assert result.rows == READERS * READS_EACH
