"""Notifications over HTTP: delivery status and resend, the feed, templates, the directory."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from typing import Any

import pytest

from chancery_testing import moments_not_local, problem

NOTICE = {"title": "Ilze Ozoliņa lūdz tikšanos", "message": "Trešdien plkst. 14.00, 3. kabinetā."}


def ask(
    system,
    recipient: dict[str, Any],
    channel: str | None = None,
    data: dict[str, Any] | None = None,
    language: str = "lv",
) -> dict[str, Any]:
    return system.ask(recipient, data or NOTICE, language, channel)


def email() -> str:
    return f"janis.kalnins.{uuid.uuid4().hex[:6]}@example.org"


# Deliveries -------------------------------------------------------------------------


def test_a_delivery_shows_where_it_stands(system):
    delivery = ask(system, {"email": email()})
    path = f"/notifications/{delivery['id']}"
    queued = system.client.get(path, headers=system.headers("department_staff"))
    assert queued.status_code == 200
    assert queued.get_json()["status"] == "queued"
    assert queued.get_json()["attempts"] == 0
    system.deliveries.send_due()
    done = system.client.get(path, headers=system.headers("registrar")).get_json()
    assert done["status"] == "delivered"
    assert done["attempts"] == 1
    assert done["delivered_at"].endswith(("+02:00", "+03:00")), done["delivered_at"]
    assert moments_not_local(done, "Europe/Vilnius") == []
    assert done["subject"] == NOTICE["title"]
    assert done["language"] == "lv"
    problem(
        system.client.get(f"/notifications/{uuid.uuid4()}", headers=system.headers("registrar")),
        404,
    )
    problem(system.client.get(path), 401)
    problem(system.client.get(path, headers=system.headers("clearance_secret")), 403)


def test_an_operator_resends_a_permanent_failure(make_system, smtp_server):
    url, smtp = smtp_server
    system = make_system(SMTP_URL=url)
    smtp.failures = ["550 5.1.1 Tokio pašto dėžutės nėra"]
    delivery = ask(system, {"email": email()})
    system.send_until(lambda: system.delivery(delivery["id"]).status == "permanent_failure")
    path = f"/notifications/{delivery['id']}/resend"
    problem(system.client.post(path, headers=system.headers("registrar")), 403)
    resent = system.client.post(path, headers=system.headers("operator"))
    assert resent.status_code == 200
    assert resent.get_json()["status"] == "queued"
    assert resent.get_json()["attempts"] == 0
    assert "550" in resent.get_json()["last_error"], "the last reason stays until the next try"
    system.send_until(lambda: smtp.messages)
    assert system.delivery(delivery["id"]).status == "delivered"
    assert [m["Message-ID"] for m in smtp.messages] == [f"<{delivery['id']}@chancery.example.org>"]


def test_a_delivered_notice_is_not_resent(system):
    delivery = ask(system, {"email": email()})
    system.deliveries.send_due()
    path = f"/notifications/{delivery['id']}/resend"
    problem(system.client.post(path, headers=system.headers("operator")), 409)
    assert system.delivery(delivery["id"]).status == "delivered"
    problem(
        system.client.post(
            f"/notifications/{uuid.uuid4()}/resend", headers=system.headers("operator")
        ),
        404,
    )


# The feed -----------------------------------------------------------------------------


def test_the_feed_shows_the_callers_notices_only_newest_first(system):
    ilze = system.add_staff("Ilze Ozoliņa", "lv", "COMM", ["department_staff"])
    karlis = system.add_staff("Kārlis Liepiņš", "lv", "COMM", ["department_staff"])
    first = ask(system, {"subject": ilze}, data={"title": "Pirmais", "message": "Viens"})
    second = ask(system, {"subject": ilze}, data={"title": "Otrais", "message": "Divi"})
    ask(system, {"subject": karlis}, data={"title": "Kārlim", "message": "Trīs"})
    assert first["status"] == second["status"] == "delivered"
    feed = system.client.get("/feed", headers=system.headers("department_staff", subject=ilze))
    assert feed.status_code == 200
    assert [item["title"] for item in feed.get_json()["items"]] == ["Otrais", "Pirmais"]
    assert "Divi" in feed.get_json()["items"][0]["body"]
    assert feed.get_json()["items"][0]["read_at"] is None
    assert moments_not_local(feed.get_json()["items"], "Europe/Vilnius") == []
    stranger = system.client.get("/feed", headers=system.headers("department_staff"))
    assert stranger.get_json()["items"] == []
    problem(system.client.get("/feed"), 401)


def test_a_notice_is_marked_read_by_its_owner_only(system):
    ilze = system.add_staff("Ilze Ozoliņa", "lv", "COMM", ["department_staff"])
    karlis = system.add_staff("Kārlis Liepiņš", "lv", "COMM", ["department_staff"])
    ask(system, {"subject": ilze})
    ask(system, {"subject": ilze}, data={"title": "Vēl viens", "message": "Otrs"})
    mine = system.headers("department_staff", subject=ilze)
    assert system.client.get("/feed/unread-count", headers=mine).get_json() == {"unread": 2}
    item = system.client.get("/feed", headers=mine).get_json()["items"][1]
    read = system.client.post(f"/feed/{item['id']}/read", headers=mine)
    assert read.status_code == 200
    assert system.client.get("/feed/unread-count", headers=mine).get_json() == {"unread": 1}
    assert read.get_json()["read_at"] is not None
    again = system.client.post(f"/feed/{item['id']}/read", headers=mine)
    assert again.get_json()["read_at"] == read.get_json()["read_at"]
    unread = system.client.get("/feed?unread=true", headers=mine).get_json()["items"]
    assert [i["title"] for i in unread] == ["Vēl viens"]
    other = unread[0]["id"]
    problem(
        system.client.post(
            f"/feed/{other}/read", headers=system.headers("department_staff", subject=karlis)
        ),
        404,
    )
    problem(system.client.post(f"/feed/{uuid.uuid4()}/read", headers=mine), 404)
    assert system.feed.items(ilze, unread_only=True)[0].read_at is None


# Templates ---------------------------------------------------------------------------


def test_templates_are_listed_newest_version_first_and_a_new_version_is_201(system):
    assert system.client.get("/templates").status_code == 401
    listed = system.client.get("/templates", headers=system.headers("department_staff"))
    assert listed.status_code == 200
    everything = system.client.get(
        "/templates", query_string={"limit": 200}, headers=system.headers("department_staff")
    ).get_json()
    assert len(everything["items"]) == 160, "32 kinds in five languages"
    assert everything["next_cursor"] is None
    assert listed.get_json()["items"] == everything["items"][:50]
    second = system.client.get(
        listed.headers["Link"].split(">")[0].lstrip("<"), headers=system.headers("department_staff")
    ).get_json()
    assert second["items"] == everything["items"][50:100]
    headers = system.headers("operator")
    created = system.client.post(
        "/templates/letter_registered/lv",
        headers=headers,
        json={
            "subject": "Iesniegums reģistrēts: {{ registration_number }}",
            "text": "Labdien!\n\nNr. {{ registration_number }}, kods {{ status_lookup_code }}.\n"
            "{{ status_url }}\n{{ municipality_name }}",
            "html": "<p>Nr. {{ registration_number }}</p>",
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["version"] == 2
    assert created.get_json()["legal"] is True
    assert created.get_json()["created_by"].startswith("operator-")
    newest = {
        (t["kind"], t["language"]): t
        for t in system.client.get(
            "/templates?limit=200", headers=system.headers("operator")
        ).get_json()["items"]
    }
    assert len(newest) == 160
    assert newest[("letter_registered", "lv")]["version"] == 2
    assert newest[("letter_registered", "lt")]["version"] == 1


def test_only_administrators_write_templates_and_bad_ones_write_nothing(system):
    body = {"subject": "{{ title }}", "text": "{{ message }}", "html": "<p>{{ message }}</p>"}
    problem(system.client.post("/templates/generic/lt", json=body), 401)
    problem(
        system.client.post(
            "/templates/generic/lt", json=body, headers=system.headers("department_head")
        ),
        403,
    )
    before = system.counts()
    headers = system.headers("operator")
    problem(
        system.client.post(
            "/templates/generic/lt", headers=headers, json={**body, "text": "{{ adresatas }}"}
        ),
        422,
        ["text"],
    )
    problem(
        system.client.post("/templates/generic/lietuviskai", headers=headers, json=body),
        422,
        ["language"],
    )
    problem(system.client.post("/templates/parking_fine/lt", headers=headers, json=body), 404)
    assert system.counts() == before


def test_preview_fills_a_template_in_and_names_missing_data(system):
    data = {
        "municipality_name": "Alytaus miesto savivaldybė",
        "title": "Eglė Jankauskienė",
        "assigned_by": "Rūta Kairienė",
        "registration_number": "P-2026-00418",
        "department_name": "Švietimo skyrius",
        "due_date": "2026-04-07",
        "instructions": "Pasitarkite su Žaliakalnio seniūnija.",
    }
    response = system.client.post(
        "/templates/assignment_created/preview",
        json={"language": "lt", "data": data},
        headers=system.headers("department_staff"),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    rendered = response.get_json()
    assert "Eglė Jankauskienė" in rendered["subject"]
    assert "P-2026-00418" in rendered["text"]
    assert "Rūta Kairienė" in rendered["html"]
    assert "Nurodymai: Pasitarkite su Žaliakalnio seniūnija." in rendered["text"]
    del data["due_date"], data["assigned_by"]
    document = problem(
        system.client.post(
            "/templates/assignment_created/preview",
            json={"language": "lt", "data": data},
            headers=system.headers("operator"),
        ),
        422,
        ["data"],
    )
    assert "due_date" in document["errors"][0]["reason"]
    assert "assigned_by" in document["errors"][0]["reason"]
    assert system.counts()["deliveries"] == 0


# Staff, preferences, webhooks, subscriptions -------------------------------------


def test_the_staff_directory_is_routings_copy_and_read_only_here(system):
    subject = f"daiva.rimkiene-{uuid.uuid4().hex[:6]}"
    entry = {
        "subject": subject,
        "name": "Daiva Rimkienė",
        "email": "daiva.rimkiene@alytus.example.org",
        "phone": None,
        "language": "lt",
        "department_code": "SOC",
        "roles": ["department_head"],
        "positions": {},
        "active": True,
        "changed_at": "2026-03-02T08:00:00+00:00",
    }
    system.handle("staff.member_changed", entry, producer="routing")
    system.handle(
        "staff.member_changed",
        {
            **entry,
            "email": None,
            "department_code": "EDU",
            "roles": ["department_staff"],
            "active": False,
        },
        producer="routing",
    )
    listed = system.client.get("/staff", headers=system.headers("registrar")).get_json()["items"]
    assert [m for m in listed if m["subject"] == subject] == [
        {
            "subject": subject,
            "name": "Daiva Rimkienė",
            "email": None,
            "phone": None,
            "language": "lt",
            "department": "EDU",
            "roles": ["department_staff"],
            "active": False,
        }
    ]
    problem(system.client.get("/staff", headers=system.headers("department_staff")), 403)
    problem(
        system.client.put(
            f"/staff/{subject}",
            headers=system.headers("operator"),
            json={"name": "X", "language": "lt"},
        ),
        404,
    )


def test_preferences_are_kept_under_the_lower_cased_address(system):
    address = f"Ilze.Ozolina.{uuid.uuid4().hex[:6]}@Example.org"
    saved = system.client.put(
        f"/preferences/{address}",
        headers=system.headers("system"),
        json={"language": "en", "opted_out": ["generic"]},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert saved.get_json()["recipient"] == address.lower()
    assert saved.get_json()["channel"] is None
    read = system.client.get(f"/preferences/{address.upper()}", headers=system.headers("registrar"))
    assert read.get_json()["language"] == "en"
    assert read.get_json()["opted_out"] == ["generic"]
    problem(system.client.get(f"/preferences/{email()}", headers=system.headers("operator")), 404)
    problem(
        system.client.get(f"/preferences/{address}", headers=system.headers("department_staff")),
        403,
    )


@pytest.mark.parametrize("body", [{}, None])
def test_an_empty_preferences_put_is_a_422_and_keeps_the_opt_out(system, body):
    address = f"ona.{uuid.uuid4().hex[:6]}@example.org"
    system.client.put(
        f"/preferences/{address}",
        headers=system.headers("system"),
        json={"language": "lt", "opted_out": ["all"]},
    )
    emptied = (
        system.client.put(f"/preferences/{address}", headers=system.headers("system"), json=body)
        if body is not None
        else system.client.put(f"/preferences/{address}", headers=system.headers("system"))
    )
    assert problem(emptied, 422, ["body"])
    read = system.client.get(f"/preferences/{address}", headers=system.headers("system"))
    assert (read.get_json()["language"], read.get_json()["opted_out"]) == ("lt", ["all"])


def test_a_webhook_is_answered_with_its_secret_once(system, webhook_receiver, events):
    url, receiver = webhook_receiver
    headers = system.headers("operator")
    created = system.client.post(
        "/webhooks",
        headers=headers,
        json={
            "name": "Finansų skyriaus sistema",
            "url": url,
            "kinds": ["letter.routed"],
            "department": "FIN",
        },
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    hook = created.get_json()
    assert len(hook["secret"]) >= 40
    assert (hook["name"], hook["kinds"], hook["department"], hook["active"]) == (
        "Finansų skyriaus sistema",
        ["letter.routed"],
        "FIN",
        True,
    )
    other = system.client.post(
        "/webhooks",
        headers=headers,
        json={"name": "Kita sistema", "url": url, "kinds": ["letter.routed"]},
    ).get_json()
    assert other["secret"] != hook["secret"]
    assert "secret" not in json.dumps(
        system.client.get("/subscriptions", headers=headers).get_json()["items"]
    )
    receiver.secret = hook["secret"]
    letter = events.registered(events.citizen("lv"))
    system.publish("letter.routed", events.routed(letter, department="FIN"), producer="routing")
    system.send_until(lambda: receiver.received and receiver.refused == 1)
    assert receiver.received[0]["body"]["data"]["payload"]["department_code"] == "FIN"


def test_subscriptions_are_listed_and_configured(system, events):
    headers = system.headers("operator")
    listed = system.client.get("/subscriptions", headers=system.headers("mayor_office")).get_json()[
        "items"
    ]
    assert len(listed) == 29
    assert {
        "event": "letter.routed",
        "kind": "letter_routed",
        "audience": "department",
        "active": True,
        "channel": None,
    } in listed
    changed = system.client.put(
        "/subscriptions/letter.registered", headers=headers, json={"active": True, "channel": "sms"}
    )
    assert changed.status_code == 200
    assert changed.get_json()["channel"] == "sms"
    off = system.client.put(
        "/subscriptions/letter.answered", headers=headers, json={"active": False}
    )
    assert off.get_json() == {
        "event": "letter.answered",
        "kind": "letter_answered",
        "audience": "sender",
        "active": False,
        "channel": None,
    }
    letter = events.registered(events.citizen("sq", phone=True))
    registered = system.publish("letter.registered", letter)
    answered = system.publish("letter.answered", events.answered(letter), producer="routing")
    assert system.told(registered) == {
        ("sms", letter["sender"]["phone"], "letter_registered", "sq")
    }
    assert system.told(answered) == set()
    problem(
        system.client.put("/subscriptions/letter.voided", headers=headers, json={"active": True}),
        404,
    )
    problem(system.client.get("/subscriptions", headers=system.headers("system")), 403)


@pytest.mark.parametrize(
    ("method", "path", "body", "fields"),
    [
        (
            "put",
            "/preferences/zane@example.org",
            {"language": "LV", "channel": "in_app", "opted_out": ["Visi paziņojumi"]},
            ["channel", "language", "opted_out.0"],
        ),
        (
            "post",
            "/webhooks",
            {"name": "", "url": "ftp://arhivs.example.org", "kinds": []},
            ["kinds", "name", "url"],
        ),
        (
            "post",
            "/webhooks",
            {"name": "Arhīvs", "url": "https://arhivs.example.org", "kinds": ["letter"]},
            ["kinds.0"],
        ),
        (
            "post",
            "/templates/generic/lv",
            {"subject": "", "text": "{{ message }}", "html": "<p>{{ message }}</p>", "extra": "x"},
            ["extra", "subject"],
        ),
        ("post", "/templates/generic/preview", {"language": "latviešu"}, ["data", "language"]),
        ("put", "/subscriptions/letter.routed", {"channel": "fax"}, ["active", "channel"]),
    ],
)
def test_bad_input_is_a_problem_naming_the_fields_and_writes_nothing(
    system, method, path, body, fields
):
    before = system.counts()
    subscriptions = [asdict(s) for s in system.audiences.all()]
    response = getattr(system.client, method)(path, json=body, headers=system.headers("operator"))
    document = problem(response, 422, set(fields))
    assert all(error["location"] == "json" for error in document["errors"])
    assert system.counts() == before
    assert [asdict(s) for s in system.audiences.all()] == subscriptions


@pytest.mark.parametrize(
    "address", ['"a\x0bb"@example.org', "ilze@localhost", "ilze ozolina@example.lv"]
)
def test_an_address_the_validator_refuses_is_a_422_and_queues_nothing(system, address):
    before = system.counts()
    response = system.client.post(
        "/notifications",
        json={"recipient": {"email": address}, "template": "generic", "data": NOTICE},
        headers={**system.headers("system"), "Idempotency-Key": uuid.uuid4().hex},
    )
    document = problem(response, 422, ["recipient.email"])
    assert "Not a valid e-mail address" in document["errors"][0]["reason"]
    assert system.counts() == before


# Who may change what -------------------------------------------------------------------

TEMPLATE = {"subject": "{{ title }}", "text": "{{ message }}", "html": "<p>{{ message }}</p>"}


@pytest.mark.parametrize("role", ["registrar", "mayor_office"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/templates/generic/lt", TEMPLATE),
        (
            "post",
            "/webhooks",
            {
                "name": "Sistema",
                "url": "https://hooks.alytus.example.org/in",
                "kinds": ["letter.routed"],
            },
        ),
        ("put", "/subscriptions/letter.routed", {"active": False}),
    ],
)
def test_templates_directory_webhooks_and_subscriptions_are_the_operators(
    system, role, method, path, body
):
    before = system.counts()
    subscriptions = [asdict(s) for s in system.audiences.all()]
    problem(getattr(system.client, method)(path, json=body, headers=system.headers(role)), 403)
    assert system.counts() == before
    assert [asdict(s) for s in system.audiences.all()] == subscriptions


def test_a_preference_for_an_invalid_address_is_a_422(system):
    before = system.counts()
    problem(
        system.client.put(
            '/preferences/"a\x0bb"@example.org',
            headers=system.headers("registrar"),
            json={"language": "lv", "opted_out": []},
        ),
        422,
        ["recipient"],
    )
    assert system.counts() == before


def test_the_registry_still_reads_the_directory_and_keeps_preferences(system):
    assert system.client.get("/staff", headers=system.headers("registrar")).status_code == 200
    assert (
        system.client.get("/subscriptions", headers=system.headers("mayor_office")).status_code
        == 200
    )
    saved = system.client.put(
        f"/preferences/{email()}",
        headers=system.headers("registrar"),
        json={"language": "lv", "opted_out": ["generic"]},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)


def _ask_as_staff(system, recipient: dict[str, Any], template: str = "generic"):
    return system.client.post(
        "/notifications",
        json={"recipient": recipient, "template": template, "data": NOTICE},
        headers={
            **system.headers("department_staff", department="COMM"),
            "Idempotency-Key": uuid.uuid4().hex,
        },
    )


def test_department_staff_notify_colleagues_only(system):
    colleague = system.add_staff(
        "Kārlis Liepiņš", "lv", "COMM", ["department_staff"], email="karlis.liepins@example.org"
    )
    told = _ask_as_staff(system, {"subject": colleague})
    assert told.status_code == 202, told.get_data(as_text=True)
    assert [d["channel"] for d in told.get_json()] == ["in_app"]
    before = system.counts()
    problem(_ask_as_staff(system, {"email": email()}), 403, ["recipient"])
    problem(_ask_as_staff(system, {"phone": "+371 2612 3456"}), 403, ["recipient"])
    problem(_ask_as_staff(system, {"subject": colleague, "email": email()}), 403, ["recipient"])
    problem(_ask_as_staff(system, {"subject": colleague}, "letter_registered"), 403, ["template"])
    assert system.counts() == before
    # A head of department still writes to anyone.
    head = system.client.post(
        "/notifications",
        json={"recipient": {"email": email()}, "template": "generic", "data": NOTICE},
        headers={
            **system.headers("department_head", department="COMM"),
            "Idempotency-Key": uuid.uuid4().hex,
        },
    )
    assert head.status_code == 202, head.get_data(as_text=True)


# The list of deliveries ------------------------------------------------------------------


def _deliveries(system, *roles: str, **query: Any) -> dict[str, Any]:
    response = system.client.get(
        "/deliveries", query_string=query, headers=system.headers(*roles or ("operator",))
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_deliveries_are_listed_by_recipient_channel_state_and_period(system):
    janis, ilze = email(), email()
    first = ask(system, {"email": janis})
    second = ask(system, {"email": janis}, data={"title": "Otrais", "message": "Divi"})
    other = ask(system, {"email": ilze})
    system.send_until(
        lambda: all(system.delivery(d["id"]).status == "delivered" for d in (first, second, other))
    )
    mine = _deliveries(system, recipient=janis)
    assert [d["id"] for d in mine["items"]] == [second["id"], first["id"]]  # newest first
    assert {d["status"] for d in mine["items"]} == {"delivered"}
    assert mine["next_cursor"] is None
    assert _deliveries(system, recipient=janis, status="queued")["items"] == []
    assert _deliveries(system, recipient=janis, channel="sms")["items"] == []
    assert [d["id"] for d in _deliveries(system, cause=other["cause"])["items"]] == [other["id"]]
    assert len(_deliveries(system, recipient=janis, kind="generic")["items"]) == 2
    created = first["created_at"]
    assert len(_deliveries(system, "registrar", recipient=janis, **{"from": created})["items"]) == 2
    assert _deliveries(system, "mayor_office", recipient=janis, to=created)["items"] == []
    paged = _deliveries(system, recipient=janis, limit=1, with_total="true")
    assert (len(paged["items"]), paged["total"]) == (1, 2)
    rest = _deliveries(system, recipient=janis, limit=1, cursor=paged["next_cursor"])
    assert [d["id"] for d in rest["items"]] == [first["id"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("channel=pigeon", "channel"),
        ("from=2026-03-01", "from"),
        ("limit=201", "limit"),
        ("cursor=abc", "cursor"),
        ("colour=red", "colour"),
    ],
)
def test_bad_delivery_queries_are_422(system, query, field):
    response = system.client.get(f"/deliveries?{query}", headers=system.headers("operator"))
    problem(response, 422, [field])


def test_only_the_office_and_operators_list_deliveries(system):
    assert system.client.get("/deliveries").status_code == 401
    for roles in (("department_staff",), ("department_head",), ("system",)):
        assert system.client.get("/deliveries", headers=system.headers(*roles)).status_code == 403


def test_listed_deliveries_of_a_protected_letter_name_only_its_level(system, events):
    letter = events.registered(events.citizen("lt"), confidentiality="secret")
    cause = system.publish("letter.registered", letter)
    listed = _deliveries(system, "registrar", cause=cause)
    assert listed["items"]
    text = json.dumps(listed, ensure_ascii=False)
    assert letter["subject"] not in text
    assert letter["status_lookup_code"] not in text
    assert letter["registration_number"] in text
