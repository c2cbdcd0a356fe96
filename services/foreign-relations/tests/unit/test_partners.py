"""Partner cities, open data, contacts' audit, agreements and their expiry timer, plans."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

OFFICER = "foreign_relations_officer"
CITIES = [
    {
        "city": "Daugavpils",
        "country": "LV",
        "relationship": "twin",
        "since": "1996-05-03",
        "languages": ["lv"],
        "areas": ["kultūra", "izglītība"],
    },
    {
        "city": "Panevėžys",
        "country": "LT",
        "relationship": "partner",
        "languages": ["lt"],
        "areas": ["jaunimo mainai"],
    },
    {
        "city": "თელავი",
        "country": "GE",
        "relationship": "partner",
        "languages": ["ka"],
        "areas": ["ტურიზმი", "მევენახეობა"],
    },
    {
        "city": "Gjirokastër",
        "country": "AL",
        "relationship": "friendship",
        "languages": ["sq"],
        "areas": ["trashëgimia kulturore"],
        "status": "dormant",
    },
]
CONTACT = {
    "name": "Līga Ozoliņa",
    "email": "liga.ozolina@example.org",
    "phone": "+371 2000 0000",
    "language": "lv",
}


def _partner(system, **fields):
    body = {**CITIES[0], "contacts": [CONTACT], **fields}
    response = system.post("/partners", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_unicode_survives_the_api_and_the_open_data_export(system):
    for city in CITIES:
        _partner(system, **city)
    listed = system.get("/partners", "department_staff").get_json()["items"]
    assert {p["city"] for p in listed} == {c["city"] for c in CITIES}
    georgian = next(p for p in listed if p["country"] == "GE")
    assert georgian["areas"] == ["ტურიზმი", "მევენახეობა"]

    as_json = system.client.get("/open-data/partners.json")
    assert as_json.status_code == 200
    assert "liga.ozolina" not in as_json.get_data(as_text=True)
    assert {p["city"] for p in as_json.get_json()} == {c["city"] for c in CITIES}
    as_csv = system.client.get("/open-data/partners.csv")
    assert as_csv.status_code == 200
    assert as_csv.mimetype == "text/csv"
    text = as_csv.get_data().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["city"] for row in rows} == {"Daugavpils", "Panevėžys", "თელავი", "Gjirokastër"}
    assert next(r for r in rows if r["country"] == "AL")["areas"] == "trashëgimia kulturore"
    assert "Ozoliņa" not in text
    assert "example.org" not in text


def test_the_open_data_csv_never_carries_a_formula(system):
    _partner(system, city='=WEBSERVICE("http://evil.example")', areas=["+kultūra", "-sportas"])
    rows = list(
        csv.DictReader(
            io.StringIO(system.client.get("/open-data/partners.csv").get_data().decode("utf-8"))
        )
    )
    [row] = rows
    assert row["city"] == '\'=WEBSERVICE("http://evil.example")'
    assert row["areas"] == "'+kultūra;-sportas"


def test_contacts_are_personal_data_their_reads_are_audited(system):
    partner = _partner(system)
    assert system.get(f"/partners/{partner['id']}/contacts", "department_staff").status_code == 403
    contacts = system.client.get(
        f"/partners/{partner['id']}/contacts",
        headers=system.headers(OFFICER, subject="officer-ona"),
    )
    assert contacts.status_code == 200
    assert contacts.get_json()["items"][0]["name"] == "Līga Ozoliņa"
    assert ("officer-ona", "read", "partner_contact") in system.audit()
    assert "email" not in system.get(f"/partners/{partner['id']}").get_json()


def test_partner_update_needs_the_current_etag(system):
    partner = _partner(system)
    url = f"/partners/{partner['id']}"
    changed = system.client.patch(
        url, json={"status": "dormant"}, headers=system.headers(OFFICER, **{"If-Match": '"1"'})
    )
    assert changed.status_code == 200
    assert changed.get_json()["status"] == "dormant"
    stale = system.client.patch(
        url, json={"status": "active"}, headers=system.headers(OFFICER, **{"If-Match": '"1"'})
    )
    assert stale.status_code == 412
    missing = system.client.patch(url, json={"status": "active"}, headers=system.headers(OFFICER))
    assert missing.status_code == 428
    assert missing.mimetype == "application/problem+json"
    bad = system.client.patch(
        url, json={"relationship": "sister"}, headers=system.headers(OFFICER, **{"If-Match": '"2"'})
    )
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "relationship"


def _agreement(system, partner_id, ends_on, renewal="manual"):
    response = system.post(
        "/agreements",
        {
            "partner_id": partner_id,
            "title": "Sadarbības līgums",
            "parties": ["Alytus", "Daugavpils"],
            "signed_on": "2021-04-15",
            "starts_on": "2021-05-01",
            "ends_on": ends_on.isoformat(),
            "renewal": renewal,
            "areas": ["kultūra"],
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_agreement_expiring_is_published_once_per_term(system):
    partner = _partner(system)
    today = system.partners.today()
    agreement = _agreement(system, partner["id"], today + timedelta(days=60))
    _agreement(system, partner["id"], today + timedelta(days=200))  # not yet
    assert system.timers.run("timer-1") == 1
    assert system.timers.run("timer-2") == 0
    [message] = system.outbox("agreement.expiring")
    assert message["payload"] == {
        "agreement_id": agreement["id"],
        "title": "Sadarbības līgums",
        "partner_city": "Daugavpils",
        "partner_country": "LV",
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "days_left": 60,
        "renewal": "manual",
        "department_code": "COMM",
    }

    renewed = system.post(
        f"/agreements/{agreement['id']}/renew",
        {"ends_on": (today + timedelta(days=80 + 365)).isoformat()},
    )
    assert renewed.status_code == 200
    assert len(renewed.get_json()["terms"]) == 2
    assert system.timers.run("timer-3") == 0
    system.clock.advance(days=365)
    assert system.timers.run("timer-4") == 1
    assert len(system.outbox("agreement.expiring")) == 2


def test_the_lead_time_is_configurable(make_system):
    system = make_system(env={"FOREIGN_RELATIONS_AGREEMENT_LEAD_DAYS": "30"})
    partner = _partner(system)
    _agreement(system, partner["id"], system.partners.today() + timedelta(days=45))
    assert system.timers.run("timer") == 0
    system.clock.advance(days=15)
    assert system.timers.run("timer") == 1


def test_renewing_backwards_is_refused(system):
    partner = _partner(system)
    agreement = _agreement(system, partner["id"], date(2026, 6, 1))
    response = system.post(f"/agreements/{agreement['id']}/renew", {"ends_on": "2026-05-01"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "ends_on"


def test_visit_history_combines_trips_visits_and_records(system):
    partner = _partner(system)
    record = system.post(
        f"/partners/{partner['id']}/visits",
        {
            "direction": "incoming",
            "starts_on": "2019-05-03",
            "title": "Daugavpils delegācija Alytaus miesto šventėje",
        },
    )
    assert record.status_code == 201
    visit = system.post(
        "/visits",
        {
            "partner_id": partner["id"],
            "title": "Daugavpils mēra vizīte",
            "city": "Daugavpils",
            "country": "LV",
            "arrives_at": "2026-05-04T09:00:00+03:00",
            "departs_at": "2026-05-05T17:00:00+03:00",
            "members": [{"name": "Andris Kalniņš", "head": True}],
        },
    ).get_json()
    system.post(f"/visits/{visit['id']}/approve", {}, "mayor")
    history = system.get(f"/partners/{partner['id']}/visits", "department_staff").get_json()[
        "items"
    ]
    assert [(h["source"], h["starts_on"]) for h in history] == [
        ("visit", "2026-05-04"),
        ("record", "2019-05-03"),
    ]


def test_plans_with_items_linked_to_events(system):
    event_id = "0b6a9b0e-6f0c-4a53-9a7e-2f1d3c4b5a69"
    response = system.post(
        "/plans",
        {
            "kind": "annual",
            "title": "2026 m. bendradarbiavimo planas",
            "first_year": 2026,
            "last_year": 2026,
            "items": [
                {
                    "title": "Jaunimo mainai Daugpilyje",
                    "department_code": "EDU",
                    "target_date": "2026-07-01",
                    "event_ids": [event_id],
                }
            ],
        },
    )
    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    item = plan["items"][0]
    assert item["event_ids"] == [event_id]
    updated = system.client.patch(
        f"/plans/{plan['id']}/items/{item['id']}",
        json={"status": "done"},
        headers=system.headers(OFFICER, **{"If-Match": '"1"'}),
    )
    assert updated.status_code == 200
    assert updated.get_json()["status"] == "done"
    bad = system.post(f"/plans/{plan['id']}/items", {"title": "x", "department_code": "NOPE"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["field"] == "department_code"
    annual = system.post(
        "/plans", {"kind": "annual", "title": "x", "first_year": 2026, "last_year": 2027}
    )
    assert annual.status_code == 422
