"""Incoming visits → delegation.visit_approved; trips: checklist, passports, per diems, report."""

from __future__ import annotations

from datetime import UTC, datetime

OFFICER = "foreign_relations_officer"
DELEGATION = [
    {"name": "გიორგი ბერიძე", "role": "mayor", "country": "GE", "language": "ka", "head": True},
    {
        "name": "Ana Kapanadze",
        "role": "adviser",
        "country": "GE",
        "language": "ka",
        "email": "ana.kapanadze@example.org",
    },
]
VISIT = {
    "title": "ქუთაისის დელეგაციის ვიზიტი",
    "city": "ქუთაისი",
    "country": "GE",
    "arrives_at": "2026-12-02T18:00:00+02:00",
    "departs_at": "2026-12-05T10:00:00+02:00",
    "purpose": "Bendradarbiavimas turizmo srityje",
    "language": "ka",
    "members": DELEGATION,
}


def test_an_approved_visit_tells_protocol_with_the_delegation(system):
    headers = system.headers(OFFICER, subject="officer-1", **{"Idempotency-Key": "visit-1"})
    first = system.client.post("/visits", json=VISIT, headers=headers)
    again = system.client.post("/visits", json=VISIT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    visit_id = first.get_json()["id"]
    assert len(system.visits.visits()) == 1

    approved = system.client.post(
        f"/visits/{visit_id}/approve",
        json={},
        headers=system.headers("mayor_office", subject="mayor-office-1"),
    )
    assert approved.status_code == 200
    [message] = system.outbox("delegation.visit_approved")
    payload = message["payload"]
    assert payload["host_department_code"] == "COMM"
    assert payload["approved_by"] == "mayor-office-1"
    assert payload["title"] == "ქუთაისის დელეგაციის ვიზიტი"
    assert [(m["name"], m["head"]) for m in payload["members"]] == [
        ("გიორგი ბერიძე", True),
        ("Ana Kapanadze", False),
    ]

    declined = system.post(f"/visits/{visit_id}/decline", {}, "mayor")
    assert declined.status_code == 409
    assert "approved" in declined.get_json()["detail"]
    read = system.client.get(
        f"/visits/{visit_id}", headers=system.headers(OFFICER, subject="reader-7")
    )
    assert read.get_json()["members"][1]["email"] == "ana.kapanadze@example.org"
    assert ("reader-7", "read", "visit_delegation") in system.audit()


def test_a_delegation_has_exactly_one_head(system):
    for members in ([{"name": "A"}], [{"name": "A", "head": True}, {"name": "B", "head": True}]):
        response = system.post("/visits", {**VISIT, "members": members})
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["field"] == "members"
    backwards = system.post("/visits", {**VISIT, "departs_at": "2026-12-01T10:00:00+02:00"})
    assert backwards.status_code == 422
    assert system.visits.visits() == []


def _approved_invitation(system):
    created = system.post(
        "/invitations",
        {
            "title": "Tbilisoba 2026",
            "inviter": "თბილისის მერია",
            "city": "თბილისი",
            "country": "GE",
            "starts_on": "2026-10-02",
            "ends_on": "2026-10-04",
        },
    ).get_json()
    system.post(f"/invitations/{created['id']}/approve", {}, "director")
    return created


def test_a_trip_from_an_approved_invitation_is_checked_before_it_leaves(system):
    pending = system.post("/invitations", {"title": "x", "inviter": "y"}).get_json()
    refused = system.post("/trips", {"invitation_id": pending["id"], "members": [{"name": "Rūta"}]})
    assert refused.status_code == 409

    invitation = _approved_invitation(system)
    response = system.post(
        "/trips",
        {
            "invitation_id": invitation["id"],
            "budget": {"transport": "420.50"},
            "members": [
                {"name": "Rūta Petrauskienė", "head": True, "passport_expires_on": "2026-12-01"},
                {"name": "Jonas Jonaitis", "passport_expires_on": "2028-01-01"},
            ],
        },
    )
    assert response.status_code == 201, response.get_json()
    trip = response.get_json()
    assert (trip["city"], trip["country"], trip["departs_on"]) == ("თბილისი", "GE", "2026-10-02")
    assert trip["per_diem"] == {
        "country": "GE",
        "days": 3,
        "rate": "45",
        "travellers": 2,
        "total": "270",
    }
    assert trip["budget_total"] == "690.50"
    [flagged] = [p for p in trip["passports"] if not p["ok"]]
    assert flagged["member"] == "Rūta Petrauskienė"
    assert flagged["required_until"] == "2027-01-04"
    assert "outside the Schengen area" in flagged["reason"]
    assert not trip["ready_to_leave"]

    url = f"/trips/{trip['id']}"
    mayor = system.headers("mayor")
    assert system.post(f"{url}/status", {"status": "approved"}).status_code == 403
    assert (
        system.client.post(f"{url}/status", json={"status": "approved"}, headers=mayor).status_code
        == 200
    )
    not_ready = system.post(f"{url}/status", {"status": "under_way"})
    assert not_ready.status_code == 409
    assert "Rūta Petrauskienė" in not_ready.get_json()["detail"]
    assert "tickets not done" in not_ready.get_json()["detail"]

    etag = system.get(url).headers["ETag"]
    fixed = system.client.patch(
        url,
        headers=system.headers(OFFICER, **{"If-Match": etag}),
        json={
            "checklist": {
                "director_order": True,
                "tickets": True,
                "insurance": True,
                "visas": True,
            },
            "members": [
                {"name": "Rūta Petrauskienė", "head": True, "passport_expires_on": "2031-03-01"},
                {"name": "Jonas Jonaitis", "passport_expires_on": "2028-01-01"},
            ],
        },
    )
    assert fixed.status_code == 200
    assert fixed.get_json()["ready_to_leave"]
    assert fixed.headers["ETag"] != etag
    early = system.post(f"{url}/status", {"status": "under_way"})
    assert early.status_code == 409, early.get_json()
    assert early.get_json()["errors"][0]["reason"] == "under_way before the departure date"
    assert "2026-10-02" in early.get_json()["detail"]
    system.clock.now = datetime(2026, 10, 2, 4, 0, tzinfo=UTC)  # 07:00 in Alytus
    for status in ("under_way", "returned"):
        assert system.post(f"{url}/status", {"status": status}).status_code == 200
    no_report = system.post(f"{url}/status", {"status": "reported"})
    assert no_report.status_code == 422
    reported = system.post(
        f"{url}/status",
        {"status": "reported", "report": "Aptarti jaunimo mainai ir turizmo maršrutai."},
    )
    assert reported.status_code == 200
    assert reported.get_json()["status"] == "reported"


def test_a_trip_cannot_leave_after_its_planned_return(system):
    invitation = _approved_invitation(system)
    trip = system.post(
        "/trips",
        {
            "invitation_id": invitation["id"],
            "members": [
                {"name": "Jonas Jonaitis", "head": True, "passport_expires_on": "2030-01-01"}
            ],
            "checklist": {
                "director_order": True,
                "tickets": True,
                "insurance": True,
                "visas": True,
            },
        },
    ).get_json()
    system.post(f"/trips/{trip['id']}/status", {"status": "approved"}, "mayor")
    system.clock.now = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    late = system.post(f"/trips/{trip['id']}/status", {"status": "under_way"})
    assert late.status_code == 409, late.get_json()
    assert late.get_json()["errors"][0]["reason"] == "under_way after the return date"


def _visit_invitation(system, approve: bool = True) -> str:
    invitation = system.post(
        "/invitations",
        {
            "title": "ქუთაისის დელეგაციის ვიზიტი",
            "inviter": "ქუთაისის მერია",
            "city": "ქუთაისი",
            "country": "GE",
            "language": "ka",
        },
    )
    assert invitation.status_code == 201, invitation.get_json()
    invitation_id = invitation.get_json()["id"]
    if approve:
        decided = system.post(f"/invitations/{invitation_id}/approve", {}, "mayor_office")
        assert decided.status_code == 200, decided.get_json()
    return invitation_id


def test_a_visit_follows_its_approved_invitation_once(system):
    invitation_id = _visit_invitation(system)
    first = system.post("/visits", {**VISIT, "invitation_id": invitation_id})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["invitation_id"] == invitation_id
    listed = system.get("/visits").get_json()["items"]
    assert [v["invitation_id"] for v in listed] == [invitation_id]
    again = system.post("/visits", {**VISIT, "invitation_id": invitation_id})
    assert again.status_code == 409
    assert again.get_json()["errors"][0]["reason"] == "one visit per invitation"


def test_no_visit_from_an_undecided_or_unknown_invitation(system):
    undecided = _visit_invitation(system, approve=False)
    refused = system.post("/visits", {**VISIT, "invitation_id": undecided})
    assert refused.status_code == 409
    error = refused.get_json()["errors"][0]
    assert (error["field"], error["reason"]) == ("invitation_id", "proposed, not approved")
    unknown = system.post(
        "/visits", {**VISIT, "invitation_id": "6f1c0d52-3f7e-4b7e-9a55-7a0f4b1d2c3e"}
    )
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"][0]["field"] == "invitation_id"
    assert len(system.visits.visits()) == 0
