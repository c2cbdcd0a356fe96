"""Protected letters in routing (decision 17): lists, assignments, writes and messages.

A secret letter's subject reaches nobody without ``clearance_secret``: not
through the assignments list (whose title is the subject), not through the
answer of a write by the registry, not through the endorsement list.
"""

from __future__ import annotations

import json

import pytest

SUBJECT = "Dėl tarnybinio patikrinimo Viešųjų pirkimų skyriuje"
REPLY = "Atsakymas dėl tarnybinio patikrinimo"


@pytest.fixture
def secret(system) -> dict[str, str]:
    """A secret letter, routed by the rules: its id, number and department."""
    letter_id = system.register(subject=SUBJECT, confidentiality="secret", kind="complaint")
    row = system.letter(letter_id)
    assert row.status == "routed"
    return {"id": letter_id, "number": row.registration_number, "department": row.department_code}


def _assignments(system, *roles: str, department: str | None = None) -> list[dict]:
    response = system.client.get(
        "/assignments?status=open", headers=system.headers(*roles, department=department)
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_assignments_list_shows_a_neutral_title_without_the_clearance(system, secret):
    for roles in (("department_staff",), ("department_staff", "clearance_confidential")):
        [shown] = [
            a
            for a in _assignments(system, *roles, department=secret["department"])
            if a["letter_id"] == secret["id"]
        ]
        assert shown["title"] == f"Secret letter {secret['number']}"
        assert shown["description"] is None
    for roles in (("registrar",), ("mayor",)):
        listed = json.dumps(_assignments(system, *roles), ensure_ascii=False)
        assert secret["id"] in listed
        assert SUBJECT not in listed
    [cleared] = [
        a
        for a in _assignments(
            system, "department_staff", "clearance_secret", department=secret["department"]
        )
        if a["letter_id"] == secret["id"]
    ]
    assert cleared["title"] == SUBJECT


def test_a_confidential_letter_opens_with_either_clearance(system):
    letter_id = system.register(subject=SUBJECT, confidentiality="confidential")
    department = system.letter(letter_id).department_code
    for roles, title_is_subject in (
        (("department_staff",), False),
        (("department_staff", "clearance_confidential"), True),
        (("department_staff", "clearance_secret"), True),
    ):
        [shown] = [
            a
            for a in _assignments(system, *roles, department=department)
            if a["letter_id"] == letter_id
        ]
        assert (shown["title"] == SUBJECT) is title_is_subject, roles


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("route", {"department_code": "SOC", "reason": "Perduodama Socialinės paramos skyriui"}),
        ("extend", {"reason": "Reikia papildomos informacijos"}),
        ("assign", {"executor": "Dovilė Jankauskaitė"}),
        ("close", None),
        ("reply", {"subject": REPLY, "summary": None, "language": "lt"}),
    ],
)
def test_the_registry_without_clearance_cannot_write_on_a_secret_letter(system, secret, path, body):
    before = system.snapshot()
    for roles in (("registrar",), ("mayor_office",), ("registrar", "clearance_confidential")):
        response = system.client.post(
            f"/letters/{secret['id']}/{path}", json=body, headers=system.headers(*roles)
        )
        assert response.status_code == 403, response.get_data(as_text=True)
        text = response.get_data(as_text=True)
        assert SUBJECT not in text
        assert "clearance_secret" in response.get_json()["detail"]
    assert system.snapshot() == before


def test_the_cleared_registry_writes_and_sees_the_subject(system, secret):
    response = system.client.post(
        f"/letters/{secret['id']}/extend",
        json={"reason": "Reikia papildomos informacijos"},
        headers=system.headers("registrar", "clearance_secret"),
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["subject"] == SUBJECT


def test_every_message_about_the_letter_carries_its_level(system, secret):
    head = system.principal("department_head", "clearance_secret", department=secret["department"])
    system.letters.assign(secret["id"], "Dovilė Jankauskaitė", head, "c-assign")
    system.letters.extend(secret["id"], "Reikia papildomos informacijos", head, "c-extend")
    system.endorsements.submit_reply(secret["id"], REPLY, None, "lt", head, "c-reply")
    carrying = (
        "letter.routed",
        "assignment.created",
        "letter.deadline_extended",
        "endorsement.requested",
    )
    messages = [m for m in system.outbox(letter_id=secret["id"]) if m["type"] in carrying]
    assert {m["type"] for m in messages} == set(carrying)
    assert {m["payload"]["confidentiality"] for m in messages} == {"secret"}


def test_endorsements_of_a_secret_letter_wait_for_a_cleared_approver(system, secret):
    head = system.principal("department_head", "clearance_secret", department=secret["department"])
    endorsement = system.endorsements.submit_reply(secret["id"], REPLY, None, "lt", head, "c")
    uncleared = system.headers("department_head", department=secret["department"])
    listed = system.client.get("/endorsements", headers=uncleared)
    assert listed.status_code == 200
    assert listed.get_json()["items"] == []
    refused = system.client.post(
        f"/endorsements/{endorsement.id}/approve",
        json={"comment": "Pritariu.", "step": 1},
        headers=uncleared,
    )
    assert refused.status_code == 403
    assert REPLY not in refused.get_data(as_text=True)
    cleared = system.headers("department_head", "clearance_secret", department=secret["department"])
    [waiting] = system.client.get("/endorsements", headers=cleared).get_json()["items"]
    assert waiting["reply_subject"] == REPLY
