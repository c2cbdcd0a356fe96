"""Invitations from confidential and secret letters (decision 17).

Only the invitation letter's clearance opens the invitation: lists leave it
out, reads and writes are refused, and its announcement says its level.
"""

from __future__ import annotations

import json

import pytest

SUBJECT = "Kvietimas į uždarą savivaldybių vadovų susitikimą"
OFFICER = "foreign_relations_officer"


@pytest.fixture
def secret_invitation(system) -> dict:
    registered = system.registered_payload(subject=SUBJECT)
    registered["confidentiality"] = "secret"
    system.deliver("letter.registered", registered)
    # Routing's message says the level too; either one is enough.
    system.deliver("letter.routed", system.routed_payload(registered))
    [message] = system.outbox("invitation.awaiting_decision")
    return message["payload"]


def test_the_announcement_carries_the_letters_level(system, secret_invitation):
    assert secret_invitation["confidentiality"] == "secret"


def test_a_letter_routed_as_confidential_is_enough(system):
    registered = system.registered_payload(subject=SUBJECT)
    system.deliver("letter.registered", registered)
    routed = {**system.routed_payload(registered), "confidentiality": "confidential"}
    system.deliver("letter.routed", routed)
    [message] = system.outbox("invitation.awaiting_decision")
    assert message["payload"]["confidentiality"] == "confidential"


@pytest.mark.parametrize(
    "roles",
    [("department_staff",), (OFFICER,), ("mayor_office",), (OFFICER, "clearance_confidential")],
)
def test_without_the_clearance_the_invitation_is_nowhere(system, secret_invitation, roles):
    headers = system.headers(*roles)
    listed = system.client.get("/invitations", headers=headers)
    assert listed.status_code == 200
    assert SUBJECT not in json.dumps(listed.get_json(), ensure_ascii=False)
    path = f"/invitations/{secret_invitation['invitation_id']}"
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"city": "Vilnius"}),
        ("PUT", "/evaluation", {"worth_going": True}),
        ("POST", "/approve", {"note": "Vykti"}),
    ):
        response = system.client.open(
            path + suffix, method=method, json=body, headers={**headers, "If-Match": '"1"'}
        )
        assert response.status_code == 403, (method, suffix, response.get_json())
        assert SUBJECT not in response.get_data(as_text=True)


def test_the_cleared_officer_sees_and_evaluates_it(system, secret_invitation):
    headers = system.headers(OFFICER, "clearance_secret")
    listed = system.client.get("/invitations", headers=headers).get_json()["items"]
    assert [i["title"] for i in listed] == [SUBJECT]
    path = f"/invitations/{secret_invitation['invitation_id']}"
    read = system.client.get(path, headers=headers)
    assert read.status_code == 200
    assert read.get_json()["confidentiality"] == "secret"
    evaluated = system.client.put(f"{path}/evaluation", json={"worth_going": True}, headers=headers)
    assert evaluated.status_code == 200, evaluated.get_json()


def test_a_trip_from_a_secret_invitation_is_named_neutrally(system, secret_invitation):
    path = f"/invitations/{secret_invitation['invitation_id']}"
    approved = system.client.post(
        f"{path}/approve",
        json={"note": "Vykti"},
        headers=system.headers("mayor", "clearance_secret"),
    )
    assert approved.status_code == 200, approved.get_json()
    trip = system.post(
        "/trips",
        {
            "invitation_id": secret_invitation["invitation_id"],
            "city": "Daugavpils",
            "country": "LV",
            "departs_on": "2026-08-17",
            "returns_on": "2026-08-20",
            "members": [{"name": "Vytautas Mažeika", "head": True}],
        },
    )
    assert trip.status_code == 201, trip.get_json()
    assert trip.get_json()["title"] == f"Secret letter {secret_invitation['registration_number']}"
    listed = system.get("/trips", "department_staff")
    assert SUBJECT not in listed.get_data(as_text=True)


def _number_of(system, invitation: dict) -> str:
    read = system.client.get(
        f"/invitations/{invitation['invitation_id']}",
        headers=system.headers(OFFICER, "clearance_secret"),
    )
    return read.get_json()["registration_number"]


def test_an_invitation_is_found_by_its_letters_number(system, secret_invitation):
    cleared = system.headers(OFFICER, "clearance_secret")
    number = _number_of(system, secret_invitation)
    found = system.client.get(f"/invitations/by-letter/{number}", headers=cleared)
    assert found.status_code == 200
    assert found.get_json()["id"] == secret_invitation["invitation_id"]
    assert found.headers["ETag"]
    filtered = system.client.get(
        "/invitations", query_string={"letter_number": number}, headers=cleared
    ).get_json()
    assert [i["id"] for i in filtered["items"]] == [secret_invitation["invitation_id"]]
    other = system.client.get(
        "/invitations", query_string={"letter_number": "P-1999-00001"}, headers=cleared
    ).get_json()
    assert other["items"] == []
    missing = system.client.get("/invitations/by-letter/P-1999-00001", headers=cleared)
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_by_its_letters_number_without_the_clearance_it_is_refused(system, secret_invitation):
    number = _number_of(system, secret_invitation)
    headers = system.headers(OFFICER, "clearance_confidential")
    refused = system.client.get(f"/invitations/by-letter/{number}", headers=headers)
    assert refused.status_code == 403
    assert SUBJECT not in refused.get_data(as_text=True)
    listed = system.client.get(
        "/invitations", query_string={"letter_number": number}, headers=headers
    )
    assert listed.get_json()["items"] == []
    assert system.client.get(f"/invitations/by-letter/{number}").status_code == 401
