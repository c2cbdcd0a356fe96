"""A letter's audited read on the real PostgreSQL (decision 0086).

The read takes the audit chain's lock together with the letter, before it
knows whether the letter exists or the reader may see it: a letter not found
or refused must let the lock go at once and add no read to the chain (a
refusal's own row, where one is recorded, is written afterwards in its own
transaction, under the same lock).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select, text

from chancery.audit import CHAIN_LOCK_KEY, verify_chain
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.runtime import ServiceWiring

pytestmark = pytest.mark.integration

TO_SOC = (
    '{"kind": "complaint", "channel": "email", "language": "lt", "subject": "Dėl triukšmo", '
    '"addressee": {"kind": "department", "department_code": "SOC"}, '
    '"sender": {"type": "person", "name": "Ona Žemaitytė", "email": "Ona@Example.lt"}}'
)


def _headers(role: str, subject: str, department: str | None = None) -> dict[str, str]:
    token = issue_token(DEV_JWT_SECRET, [role], department=department, subject=subject)
    return {"Authorization": f"Bearer {token}"}


def _trail(wiring: ServiceWiring) -> list[tuple[Any, ...]]:
    audit = wiring.tables.audit
    with wiring.unit_of_work() as uow:
        rows = uow.session.execute(
            select(audit.c.actor, audit.c.action, audit.c.object_id, audit.c.outcome)
            .where(audit.c.object_type == "letter")
            .order_by(audit.c.id)
        )
        return [tuple(row) for row in rows]


def _chain_lock_is_free(wiring: ServiceWiring) -> bool:
    with wiring.engine.connect() as conn:
        return bool(
            conn.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
        )


def test_reads_not_found_or_refused_release_the_chain_and_audit_as_before(wiring, client):
    registered = client.post(
        "/letters",
        data=TO_SOC.encode(),
        content_type="application/json",
        headers=_headers("registrar", "registrar-ona"),
    )
    assert registered.status_code == 201, registered.get_data(as_text=True)
    letter = registered.get_json()
    reader, stranger = (f"{who}-{uuid.uuid4().hex[:8]}" for who in ("registrar", "staff"))

    found = client.get(
        f"/letters/by-number/{letter['registration_number']}",
        headers=_headers("registrar", reader),
    )
    assert found.status_code == 200
    assert (found.get_json()["id"], found.get_json()["sender"]) == (letter["id"], letter["sender"])
    missing = client.get("/letters/by-number/NO-SUCH-1", headers=_headers("registrar", reader))
    assert missing.status_code == 404
    assert _chain_lock_is_free(wiring)
    stranger_headers = _headers("department_staff", stranger, department="EDU")
    by_number = client.get(
        f"/letters/by-number/{letter['registration_number']}", headers=stranger_headers
    )
    assert by_number.status_code == 403
    assert _chain_lock_is_free(wiring)
    by_id = client.get(f"/letters/{letter['id']}", headers=stranger_headers)
    assert by_id.status_code == 403
    assert _chain_lock_is_free(wiring)

    # The refusal by id is recorded (GET /letters/{id} is marked as personal data; the
    # lookup by number never recorded its refusals), the 404 nowhere.
    assert _trail(wiring) == [
        (reader, "read", letter["id"], "allowed"),
        (stranger, "read", letter["id"], "refused"),
    ]
    with wiring.unit_of_work() as uow:
        verification = verify_chain(uow.session, wiring.tables.audit, wiring.tables.audit_subjects)
    assert verification.broken is None
