"""Routing audits reads of letters and assignments, and refused reads (a 403)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from chancery.audit import verify_chain


def audit_rows(system, **match: str) -> list:
    audit = system.wiring.tables.audit
    query = select(audit).order_by(audit.c.id)
    for column, value in match.items():
        query = query.where(audit.c[column] == value)
    with system.wiring.unit_of_work() as uow:
        return list(uow.session.execute(query))


def test_reading_a_letter_and_the_work_lists_is_audited(system):
    letter_id = system.register()
    reader = f"head-{uuid.uuid4().hex[:8]}"
    headers = system.headers("department_head", department="MUNI", subject=reader)
    assert system.client.get(f"/letters/{letter_id}", headers=headers).status_code == 200
    assert system.client.get("/letters", headers=headers).status_code == 200
    assert system.client.get("/assignments", headers=headers).status_code == 200

    rows = audit_rows(system, actor=reader)
    assert [(r.action, r.object_type, r.outcome) for r in rows] == [
        ("read", "letter", "allowed"),
        ("list", "letter", "allowed"),
        ("list", "assignment", "allowed"),
    ]
    assert rows[0].object_id == rows[1].object_id == letter_id
    assert rows[2].object_id == system.assignment_rows(letter_id)[0].id
    assert rows[0].trace_id is None or len(rows[0].trace_id) == 32


def test_a_refused_read_is_audited_with_actor_object_and_outcome(system):
    letter_id = system.register()
    stranger = f"staff-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/letters/{letter_id}",
        headers=system.headers("department_staff", department="EDU", subject=stranger),
    )
    assert response.status_code == 403
    outsider = f"protocol-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/letters/{letter_id}", headers=system.headers("protocol_officer", subject=outsider)
    )
    assert response.status_code == 403

    refused = audit_rows(system, outcome="refused")
    assert [(r.actor, r.action, r.object_type, r.object_id) for r in refused] == [
        (stranger, "read", "letter", letter_id),
        (outsider, "read", "letter", letter_id),
    ]
    with system.wiring.unit_of_work() as uow:
        assert verify_chain(uow.session, system.wiring.tables.audit).broken is None


def test_a_letter_by_its_registration_number_reads_and_audits_as_by_its_id(system):
    letter_id = system.register()
    number = system.letter(letter_id).registration_number
    reader = f"head-{uuid.uuid4().hex[:8]}"
    headers = system.headers("department_head", department="MUNI", subject=reader)
    by_number = system.client.get(f"/letters/by-number/{number}", headers=headers)
    assert by_number.status_code == 200
    by_id = system.client.get(f"/letters/{letter_id}", headers=headers)
    assert by_number.get_json() == by_id.get_json()
    assert by_number.headers["ETag"] == by_id.headers["ETag"]
    assert [(r.action, r.object_type, r.object_id) for r in audit_rows(system, actor=reader)] == [
        ("read", "letter", letter_id)
    ] * 2

    stranger = f"staff-{uuid.uuid4().hex[:8]}"
    refused = system.client.get(
        f"/letters/by-number/{number}",
        headers=system.headers("department_staff", department="EDU", subject=stranger),
    )
    assert refused.status_code == 403
    assert [(r.action, r.object_id, r.outcome) for r in audit_rows(system, actor=stranger)] == [
        ("read", number, "refused")
    ]
    missing = system.client.get("/letters/by-number/G-1999-99999", headers=headers)
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"
    assert system.client.get(f"/letters/by-number/{number}").status_code == 401
