"""A citizen's complaint through every service that handles it, as separate processes.

Registered at intake, routed by rule in routing, acknowledged by e-mail in
the citizen's own language (Latvian, in a Lithuanian municipality),
answered by the department through the three-step endorsement, and the
citizen told of the answer. The test speaks only HTTP to the services and
reads only the mail the SMTP server received.
"""

from __future__ import annotations

import uuid

import pytest

from chancery_testing import wait_for
from tests.e2e.conftest import WholeSystem
from tests.letters import incoming_letter, outgoing_reply, person

pytestmark = pytest.mark.e2e
SERVICES_NEEDED = ("intake", "routing", "notifications")

SUBJECT = "Sūdzība par atkritumu izvešanu Putinų ielā"


def test_a_complaint_is_acknowledged_answered_and_the_citizen_told(system: WholeSystem) -> None:
    citizen = f"janis.{uuid.uuid4().hex[:8]}@example.org"
    clerk = system.headers("registrar", subject=f"clerk-{uuid.uuid4().hex[:6]}")
    letter = system.register(
        clerk, incoming_letter("complaint", "lv", SUBJECT, person("Jānis Bērziņš", citizen, "lv"))
    )
    number = letter["registration_number"]

    [acknowledgement] = wait_for(lambda: system.mails_to(citizen), what="the acknowledgement")
    assert number in acknowledgement["Subject"]
    body = acknowledgement.get_body(("plain",)).get_content()
    assert SUBJECT in body
    assert letter["status_lookup_code"] in body
    assert "Reģistrācijas" in body or "reģistr" in body.lower()

    routed = wait_for(lambda: _routed(system, letter["id"], clerk), what="routing by rule")
    assert routed["department_code"] == "LEGAL"

    head = system.headers("department_head", subject="Rūta Petrauskienė", department="LEGAL")
    staff = system.headers("department_staff", subject="Dovilė Jankauskaitė", department="LEGAL")
    system.call(
        "PUT",
        "routing",
        "/staff/Dovilė Jankauskaitė",
        200,
        clerk,
        json={
            "name": "Dovilė Jankauskaitė",
            "department_code": "LEGAL",
            "language": "lv",
            "roles": ["department_staff"],
        },
    )
    system.call(
        "POST",
        "routing",
        f"/letters/{letter['id']}/assign",
        200,
        head,
        json={"executor": "Dovilė Jankauskaitė"},
    )
    endorsement = system.call(
        "POST",
        "routing",
        f"/letters/{letter['id']}/reply",
        201,
        staff,
        json={
            "subject": "Atbilde uz sūdzību",
            "language": "lv",
            "summary": "Atkritumi tiks izvesti līdz piektdienai.",
        },
    ).json()
    approvers = {
        "department_head": head,
        "director": system.headers("director", subject="Mindaugas Urbonas"),
        "mayor": system.headers("mayor", subject="Vytautas Mažeika"),
    }
    for step, role in enumerate(endorsement["circuit"], start=1):
        system.call(
            "POST",
            "routing",
            f"/endorsements/{endorsement['id']}/approve",
            200,
            approvers[role],
            json={"comment": "Piekrītu.", "step": step},
        )
    # Approved, not yet sent: the citizen is told nothing until the registry sends it.
    [approved] = system.listed("routing", "/endorsements/approved", clerk)
    assert approved["id"] == endorsement["id"]
    assert system.mails_to(citizen)[1:] == []
    reply = system.register(
        clerk,
        outgoing_reply(
            "lv",
            approved["reply_subject"],
            letter["id"],
            person("Jānis Bērziņš", citizen, "lv"),
            summary=approved["reply_summary"],
        ),
    )

    told = wait_for(lambda: system.mails_to(citizen)[1:], what="the notice of the answer")
    assert len(told) == 1
    assert number in told[0]["Subject"]
    assert reply["registration_number"] in told[0].get_body(("plain",)).get_content()
    assert SUBJECT in told[0].get_body(("plain",)).get_content()
    citizen_view = system.call(
        "GET", "intake", f"/status/{number}", 200, {}, params={"code": letter["status_lookup_code"]}
    ).json()
    assert citizen_view["status"] == "answered"
    # Nothing was told twice.
    assert len(system.mails_to(citizen)) == 2


def _routed(system: WholeSystem, letter_id: str, headers: dict[str, str]) -> dict | None:
    response = system.call("GET", "routing", f"/letters/{letter_id}", (200, 404), headers)
    body = response.json()
    return body if response.status_code == 200 and body["status"] == "routed" else None
