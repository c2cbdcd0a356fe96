"""Incoming visits → delegation.visit_approved; trips: checklist, passports, per diems, report."""

from __future__ import annotations

from datetime import UTC, datetime

OFFICER = "foreign_relations_officer"
DELEGATION = [
    {"name": "გიორგი ბერიძე", "role": "mayor", "country": "GE", "language": "ka", "head": True},
    {"name": "Ana Kapanadze", "role": "adviser", "country": "GE", "language": "ka",
     "email": "ana.kapanadze@example.org"},
]
VISIT = {"title": "ქუთაისის დელეგაციის ვიზიტი", "city": "ქუთაისი", "country": "GE",
         "arrives_at": "2026-12-02T18:00:00+02:00", "departs_at": "2026-12-05T10:00:00+02:00",
         "purpose": "Bendradarbiavimas turizmo srityje", "language": "ka", "members": DELEGATION}


def test_an_approved_visit_tells_protocol_with_the_delegation(system):
    headers = system.headers(OFFICER, subject="officer-1", **{"Idempotency-Key": "visit-1"})
    first = system.client.post("/visits", json=VISIT, headers=headers)
    again = system.client.post("/visits", json=VISIT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    visit_id = first.get_json()["id"]
    assert len(system.travel.visits()) == 1

    approved = system.client.post(f"/visits/{visit_id}/approve", json={},
                                  headers=system.headers("mayor_office", subject="mayor-office-1"))
    assert approved.status_code == 200
    [message] = system.outbox("delegation.visit_approved")
    payload = message["payload"]
    assert payload["host_department_code"] == "COMM"
    assert payload["approved_by"] == "mayor-office-1"
    assert payload["title"] == "ქუთაისის დელეგაციის ვიზიტი"
    assert [(m["name"], m["head"]) for m in payload["members"]] == [
        ("გიორგი ბერიძე", True), ("Ana Kapanadze", False)]

    declined = system.client.post(f"/visits/{visit_id}/decline", json={},
                                  headers=system.headers("mayor"))
    assert declined.status_code == 409
    assert "approved" in declined.get_json()["detail"]
    read = system.client.get(f"/visits/{visit_id}", headers=system.headers(
        OFFICER, subject="reader-7"))
    assert read.get_json()["members"][1]["email"] == "ana.kapanadze@example.org"
    assert ("reader-7", "read", "visit_delegation") in system.audit()


def test_a_delegation_has_exactly_one_head(system):
    for members in ([{"name": "A"}], [{"name": "A", "head": True}, {"name": "B", "head": True}]):
        response = system.client.post("/visits", json={**VISIT, "members": members},
                                      headers=system.headers(OFFICER))
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["field"] == "members"
    backwards = system.client.post("/visits", headers=system.headers(OFFICER), json={
        **VISIT, "departs_at": "2026-12-01T10:00:00+02:00"})
    assert backwards.status_code == 422
    assert system.travel.visits() == []


def _approved_invitation(system):
    created = system.client.post("/invitations", headers=system.headers(OFFICER), json={
        "title": "Tbilisoba 2026", "inviter": "თბილისის მერია", "city": "თბილისი",
        "country": "GE", "starts_on": "2026-10-02", "ends_on": "2026-10-04"}).get_json()
    system.client.post(f"/invitations/{created['id']}/approve", json={},
                       headers=system.headers("director"))
    return created


def test_a_trip_from_an_approved_invitation_is_checked_before_it_leaves(system):
    pending = system.client.post("/invitations", headers=system.headers(OFFICER), json={
        "title": "x", "inviter": "y"}).get_json()
    refused = system.client.post("/trips", headers=system.headers(OFFICER), json={
        "invitation_id": pending["id"], "members": [{"name": "Rūta"}]})
    assert refused.status_code == 409

    invitation = _approved_invitation(system)
    response = system.client.post("/trips", headers=system.headers(OFFICER), json={
        "invitation_id": invitation["id"], "budget": {"transport": "420.50"},
        "members": [{"name": "Rūta Petrauskienė", "head": True,
                     "passport_expires_on": "2026-12-01"},
                    {"name": "Jonas Jonaitis", "passport_expires_on": "2028-01-01"}]})
    assert response.status_code == 201, response.get_json()
    trip = response.get_json()
    assert (trip["city"], trip["country"], trip["departs_on"]) == ("თბილისი", "GE", "2026-10-02")
    assert trip["per_diem"] == {"country": "GE", "days": 3, "rate": "45", "travellers": 2,
                                "total": "270"}
    assert trip["budget_total"] == "690.50"
    [flagged] = [p for p in trip["passports"] if not p["ok"]]
    assert flagged["member"] == "Rūta Petrauskienė"
    assert flagged["required_until"] == "2027-01-04"
    assert "outside the Schengen area" in flagged["reason"]
    assert not trip["ready_to_leave"]

    url = f"/trips/{trip['id']}"
    mayor = system.headers("mayor")
    assert system.client.post(f"{url}/status", json={"status": "approved"},
                              headers=system.headers(OFFICER)).status_code == 403
    assert system.client.post(f"{url}/status", json={"status": "approved"},
                              headers=mayor).status_code == 200
    not_ready = system.client.post(f"{url}/status", json={"status": "under_way"},
                                   headers=system.headers(OFFICER))
    assert not_ready.status_code == 409
    assert "Rūta Petrauskienė" in not_ready.get_json()["detail"]
    assert "tickets not done" in not_ready.get_json()["detail"]

    etag = system.client.get(url, headers=system.headers(OFFICER)).headers["ETag"]
    fixed = system.client.patch(url, headers=system.headers(OFFICER, **{"If-Match": etag}), json={
        "checklist": {"director_order": True, "tickets": True, "insurance": True, "visas": True},
        "members": [{"name": "Rūta Petrauskienė", "head": True,
                     "passport_expires_on": "2031-03-01"},
                    {"name": "Jonas Jonaitis", "passport_expires_on": "2028-01-01"}]})
    assert fixed.status_code == 200
    assert fixed.get_json()["ready_to_leave"]
    assert fixed.headers["ETag"] != etag
    early = system.client.post(f"{url}/status", json={"status": "under_way"},
                               headers=system.headers(OFFICER))
    assert early.status_code == 409, early.get_json()
    assert early.get_json()["errors"][0]["reason"] == "under_way before the departure date"
    assert "2026-10-02" in early.get_json()["detail"]
    system.clock.now = datetime(2026, 10, 2, 4, 0, tzinfo=UTC)  # 07:00 in Alytus
    for status in ("under_way", "returned"):
        assert system.client.post(f"{url}/status", json={"status": status},
                                  headers=system.headers(OFFICER)).status_code == 200
    no_report = system.client.post(f"{url}/status", json={"status": "reported"},
                                   headers=system.headers(OFFICER))
    assert no_report.status_code == 422
    reported = system.client.post(f"{url}/status", headers=system.headers(OFFICER), json={
        "status": "reported", "report": "Aptarti jaunimo mainai ir turizmo maršrutai."})
    assert reported.status_code == 200
    assert reported.get_json()["status"] == "reported"


def test_a_trip_cannot_leave_after_its_planned_return(system):
    invitation = _approved_invitation(system)
    trip = system.client.post("/trips", headers=system.headers(OFFICER), json={
        "invitation_id": invitation["id"], "members": [
            {"name": "Jonas Jonaitis", "head": True, "passport_expires_on": "2030-01-01"}],
        "checklist": {"director_order": True, "tickets": True, "insurance": True,
                      "visas": True}}).get_json()
    system.client.post(f"/trips/{trip['id']}/status", json={"status": "approved"},
                       headers=system.headers("mayor"))
    system.clock.now = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    late = system.client.post(f"/trips/{trip['id']}/status", json={"status": "under_way"},
                              headers=system.headers(OFFICER))
    assert late.status_code == 409, late.get_json()
    assert late.get_json()["errors"][0]["reason"] == "under_way after the return date"
