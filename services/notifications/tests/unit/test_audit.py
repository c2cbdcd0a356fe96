"""Notifications audits reads of the staff directory, preferences and deliveries, and refusals."""

from __future__ import annotations

import uuid

from sqlalchemy import select

MEETING = {"title": "Tikšanās", "message": "Trešdien plkst. 14.00."}


def audit_rows(system, actor: str) -> list:
    audit = system.wiring.tables.audit
    with system.wiring.unit_of_work() as uow:
        return list(
            uow.session.execute(select(audit).where(audit.c.actor == actor).order_by(audit.c.id))
        )


def test_reads_of_staff_preferences_and_deliveries_are_audited_with_whose_data(system):
    member_email = f"Daiva.{uuid.uuid4().hex[:6]}@alytus.example.org"
    member = system.add_staff(
        "Daiva Rimkienė", "lt", "SOC", ["department_head"], email=member_email
    )
    address = f"ilze.ozolina.{uuid.uuid4().hex[:6]}@example.org"
    assert (
        system.client.put(
            f"/preferences/{address}", headers=system.headers("system"), json={"language": "lv"}
        ).status_code
        == 200
    )
    delivery = system.ask({"email": address}, MEETING)
    reader = f"operator-{uuid.uuid4().hex[:8]}"
    headers = system.headers("operator", subject=reader)
    assert system.client.get("/staff", headers=headers).status_code == 200
    assert system.client.get(f"/preferences/{address}", headers=headers).status_code == 200
    assert system.client.get(f"/notifications/{delivery['id']}", headers=headers).status_code == 200

    rows = audit_rows(system, reader)
    staff = [r for r in rows if r.object_type == "staff_member"]
    assert {r.action for r in staff} == {"list"}
    assert [r.person for r in staff if r.object_id == member] == [member_email.casefold()]
    assert [
        (r.action, r.object_type, r.object_id, r.person)
        for r in rows
        if r.object_type != "staff_member"
    ] == [("read", "preference", address, address), ("read", "delivery", delivery["id"], address)]


def test_a_refused_preference_read_is_audited(system):
    address = f"ilze.ozolina.{uuid.uuid4().hex[:6]}@example.org"
    stranger = f"staff-{uuid.uuid4().hex[:8]}"
    response = system.client.get(
        f"/preferences/{address}", headers=system.headers("department_staff", subject=stranger)
    )
    assert response.status_code == 403
    [row] = audit_rows(system, stranger)
    assert (row.action, row.object_type, row.object_id, row.outcome) == (
        "read",
        "preference",
        address,
        "refused",
    )


def test_listing_deliveries_audits_each_recipient_on_the_page(system):
    address = f"ilze.ozolina.{uuid.uuid4().hex[:6]}@example.org"
    delivery = system.ask({"email": address}, MEETING)
    reader = f"registrar-{uuid.uuid4().hex[:8]}"
    listed = system.client.get(
        "/deliveries",
        query_string={"recipient": address},
        headers=system.headers("registrar", subject=reader),
    )
    assert listed.status_code == 200
    assert [
        (r.action, r.object_type, r.object_id, r.person) for r in audit_rows(system, reader)
    ] == [("list", "delivery", delivery["id"], address)]


def test_a_resend_is_audited_with_its_recipient(make_system, smtp_server):
    url, smtp = smtp_server
    system = make_system(SMTP_URL=url)
    smtp.failures = ["550 5.1.1 Tokio pašto dėžutės nėra"]
    address = f"ona.{uuid.uuid4().hex[:6]}@example.org"
    delivery = system.ask(
        {"email": address}, {"title": "Priėmimas", "message": "Trečiadienį 14.00."}, "lt"
    )
    system.send_until(lambda: system.delivery(delivery["id"]).status == "permanent_failure")
    operator = f"operator-{uuid.uuid4().hex[:8]}"
    resent = system.client.post(
        f"/notifications/{delivery['id']}/resend",
        headers=system.headers("operator", subject=operator),
    )
    assert resent.status_code == 200, resent.get_data(as_text=True)
    assert [
        (r.action, r.object_type, r.object_id, r.person) for r in audit_rows(system, operator)
    ] == [("resend", "delivery", delivery["id"], address)]
