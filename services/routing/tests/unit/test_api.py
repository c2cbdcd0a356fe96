"""Routing over HTTP: Flask's test client on the real app, a SQLite file, the Alytus profile."""

from __future__ import annotations

import uuid

import pytest

from chancery.auth import issue_token
from chancery_testing import RESTORATION_DAY_SKIPPED, moments_not_local, problem

WASTE = "Dėl neišvežtų atliekų Žalgirio gatvėje"
GEORGIAN_WASTE = "საჩივარი ნაგავის გაუტანლობის შესახებ"


@pytest.fixture
def letters(system) -> dict[str, str]:
    """One letter for MUNI, one for SOC (with EDU in copy by hand), one confidential."""
    muni = system.register(subject=WASTE)
    soc = system.register(subject="Prašymas skirti socialinę pašalpą")
    system.triage.route(
        soc,
        "SOC",
        ["EDU"],
        "Kopija Švietimo skyriui",
        True,
        system.principal("registrar"),
        "c-copy",
    )
    secret = system.register(subject="Dėl tarnybinio patikrinimo", confidentiality="confidential")
    return {"MUNI": muni, "SOC": soc, "LEGAL": secret}


# Letters ---------------------------------------------------------------------------------


def test_department_staff_list_only_their_departments_letters(system, letters):
    def listed(*roles: str, department: str | None = None, query: str = "") -> list[str]:
        response = system.client.get(
            f"/letters{query}", headers=system.headers(*roles, department=department)
        )
        assert response.status_code == 200, response.get_json()
        return sorted(letter["id"] for letter in response.get_json()["items"])

    assert listed("department_staff", department="MUNI") == [letters["MUNI"]]
    assert listed("department_staff", department="EDU") == [letters["SOC"]]  # in copy
    assert listed("department_head", department="LEGAL") == []  # needs clearance
    assert listed("department_head", "clearance_secret", department="LEGAL") == [letters["LEGAL"]]
    assert listed("department_staff", department="MUNI", query="?department=SOC") == []
    assert listed("registrar") == sorted([letters["MUNI"], letters["SOC"]])
    assert listed("registrar", "clearance_secret") == sorted(letters.values())
    assert listed("registrar", query="?department=SOC") == [letters["SOC"]]
    registrar = system.headers("registrar")
    first = system.client.get("/letters?status=routed&limit=1", headers=registrar)
    assert first.headers["Link"].endswith('rel="next"')
    cursor = first.get_json()["next_cursor"]
    second = system.client.get(
        f"/letters?status=routed&limit=1&cursor={cursor}", headers=registrar
    ).get_json()
    assert second["next_cursor"] is None
    assert sorted(letter["id"] for letter in first.get_json()["items"] + second["items"]) == sorted(
        [letters["MUNI"], letters["SOC"]]
    )
    numbers = [
        letter["registration_number"]
        for letter in system.client.get("/letters?sort=number", headers=registrar).get_json()[
            "items"
        ]
    ]
    assert len(numbers) == 2
    assert numbers == sorted(numbers)
    assert system.client.get("/letters?offset=2", headers=registrar).status_code == 422
    assert listed("registrar", query="?due_before=2026-04-08") == []
    assert listed("registrar", query="?overdue_on=2026-04-10") == sorted(
        [letters["MUNI"], letters["SOC"]]
    )


def test_a_letter_and_its_history_give_every_moment_in_the_municipality_offset(system, letters):
    response = system.client.get(f"/letters/{letters['MUNI']}", headers=system.headers("registrar"))
    body = response.get_json()
    assert body["received_at"].endswith(("+02:00", "+03:00"))
    assert body["history"], body
    assert moments_not_local(body, "Europe/Vilnius") == []
    listed = system.client.get("/letters", headers=system.headers("registrar")).get_json()
    assert moments_not_local(listed, "Europe/Vilnius") == []


def test_a_letter_with_its_deadline_computation_history_and_etag(system, letters):
    response = system.client.get(
        f"/letters/{letters['MUNI']}", headers=system.headers("department_staff", department="MUNI")
    )
    assert response.status_code == 200
    body = response.get_json()
    row = system.letter(letters["MUNI"])
    assert response.headers["ETag"] == f'"{row.version}"'
    assert body["version"] == row.version
    assert (body["status"], body["department_code"], body["due_date"], body["forward_by"]) == (
        "routed",
        "MUNI",
        "2026-04-09",
        "2026-03-18",
    )
    assert body["rule_name"] == "Streets, lighting, waste and greenery"
    assert body["deadline"]["due"] == "2026-04-09"
    assert body["deadline"]["unit"] == "working_days"
    assert RESTORATION_DAY_SKIPPED in body["deadline"]["steps"]
    # Without ?lang= nor Accept-Language the reader gets the municipality's language.
    assert body["explanation"]["reader_language"] == "lt"
    assert (
        "Praleista 2026-03-11 (trečiadienis): šventinė diena: Lietuvos nepriklausomybės "
        "atkūrimo diena" in body["explanation"]["answer"]["lt"]
    )
    assert [entry["action"] for entry in body["history"]] == ["registered", "routed", "status"]
    assert body["history"][1]["details"]["why"] == ["subject: contains “atlieku”"]
    assert body["subject"] == WASTE


def test_reading_another_departments_letter_is_forbidden(system, letters):
    response = system.client.get(
        f"/letters/{letters['MUNI']}", headers=system.headers("department_staff", department="SOC")
    )
    problem(response, 403)
    secret = system.client.get(f"/letters/{letters['LEGAL']}", headers=system.headers("registrar"))
    problem(secret, 403)


def test_assign_reply_and_close_over_http(system):
    letter_id = system.register(subject="Skundas dėl neišvežtų šiukšlių", kind="complaint")
    head = system.headers("department_head", department="LEGAL", subject="head-darius")
    response = system.client.post(
        f"/letters/{letter_id}/assign", headers=head, json={"executor": "Ieva Kazlauskienė"}
    )
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["executor"]) == (
        "in_progress",
        "Ieva Kazlauskienė",
    )
    response = system.client.post(
        f"/letters/{letter_id}/reply",
        headers=system.headers("department_staff", department="LEGAL"),
        json={"subject": "Atsakymas į skundą", "summary": "Grafikas pakeistas", "language": "lt"},
    )
    assert response.status_code == 201
    endorsement = response.get_json()
    assert (endorsement["status"], endorsement["step"], endorsement["circuit"]) == (
        "pending",
        1,
        ["department_head", "director", "mayor"],
    )
    director, mayor = system.headers("director"), system.headers("mayor")
    for step, headers in enumerate((head, director, mayor), start=1):
        [mine] = system.client.get("/endorsements", headers=headers).get_json()["items"]
        assert (mine["id"], mine["step"], mine["steps"]) == (endorsement["id"], step, 3)
        assert [d["step"] for d in mine["decisions"]] == list(range(1, step))
        approved = system.client.post(
            f"/endorsements/{endorsement['id']}/approve",
            headers=headers,
            json={"comment": "Pritariu", "step": step},
        )
        assert approved.status_code == 200, approved.get_json()
    # Approved by the whole circuit, but not answered until the registry sends the reply.
    assert system.letter(letter_id).status == "awaiting_endorsement"
    [waiting] = system.client.get(
        "/endorsements/approved", headers=system.headers("registrar")
    ).get_json()["items"]
    assert (waiting["id"], waiting["reply_summary"]) == (endorsement["id"], "Grafikas pakeistas")
    system.reply(letter_id)
    assert system.letter(letter_id).status == "answered"
    assert (
        system.client.get("/endorsements/approved", headers=system.headers("registrar")).get_json()[
            "items"
        ]
        == []
    )
    closed = system.client.post(f"/letters/{letter_id}/close", headers=head)
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed"


def test_the_endorsers_queue_shows_the_letter_the_draft_and_earlier_comments(system):
    letter_id = system.register(subject="Skundas dėl neišvežtų šiukšlių", kind="complaint")
    number = system.letter(letter_id).registration_number
    staff = system.headers("department_staff", department="LEGAL", subject="staff-ieva")
    head = system.headers("department_head", department="LEGAL", subject="head-darius")
    director = system.headers("director", subject="director-vaida")
    # The director may not open another department's letter before it waits for them...
    assert system.client.get(f"/letters/{letter_id}", headers=director).status_code == 403
    draft = {
        "subject": "Atsakymas į skundą",
        "language": "lt",
        "summary": "Gerbiama Ona, grafikas pakeistas nuo balandžio 1 d.",
    }
    first = system.client.post(f"/letters/{letter_id}/reply", headers=staff, json=draft).get_json()
    system.client.post(
        f"/endorsements/{first['id']}/approve",
        headers=head,
        json={"comment": "Pritariu", "step": 1},
    )
    # ...and may once their step waits.
    assert system.client.get(f"/letters/{letter_id}", headers=director).status_code == 200
    [mine] = system.client.get("/endorsements", headers=director).get_json()["items"]
    assert (
        mine["registration_number"],
        mine["letter_subject"],
        mine["reply_summary"],
        mine["step"],
    ) == (number, "Skundas dėl neišvežtų šiukšlių", draft["summary"], 2)
    assert [
        (d["step"], d["role"], d["approver"], d["decision"], d["comment"])
        for d in mine["decisions"]
    ] == [(1, "department_head", "head-darius", "approved", "Pritariu")]
    # A step given 0-based (the old numbering) is refused, naming the field.
    stale = system.client.post(
        f"/endorsements/{first['id']}/return",
        headers=director,
        json={"comment": "Trūksta nuorodos", "step": 1},
    )
    assert problem(stale, 409)["detail"].startswith("Step 1 is not the one waiting")
    returned = system.client.post(
        f"/endorsements/{first['id']}/return",
        headers=director,
        json={"comment": "Trūksta nuorodos į taisykles", "step": 2},
    )
    assert returned.status_code == 200, returned.get_json()
    # The endorsement no longer waits for the director: the letter is closed to them again.
    assert system.client.get(f"/letters/{letter_id}", headers=director).status_code == 403
    # The executor sees the comments of the returned draft.
    [round_] = system.client.get(f"/letters/{letter_id}/endorsements", headers=staff).get_json()[
        "items"
    ]
    assert round_["status"] == "returned"
    assert [(d["step"], d["decision"], d["comment"]) for d in round_["decisions"]] == [
        (1, "approved", "Pritariu"),
        (2, "returned", "Trūksta nuorodos į taisykles"),
    ]


def test_an_extension_over_http(system):
    letter_id = system.complaint_to_muni("Skundas dėl gatvės duobių")
    response = system.client.post(
        f"/letters/{letter_id}/extend",
        headers=system.headers("department_head", department="MUNI"),
        json={"reason": "Reikia eksperto išvados"},
    )
    assert response.status_code == 200
    # 2026-04-09 + 10 working days: 10, 13-17, 20-23 April.
    assert response.get_json()["due_date"] == "2026-04-23"
    again = system.client.post(
        f"/letters/{letter_id}/extend",
        headers=system.headers("registrar"),
        json={"reason": "Dar kartą"},
    )
    assert problem(again, 409)["detail"] == "The deadline was already extended once."


# Endorsements -------------------------------------------------------------------------------


def test_endorsements_list_only_what_the_caller_may_decide(system):
    legal = system.register(subject="Skundas dėl šiukšlių", kind="complaint")
    muni = system.complaint_to_muni("Skundas dėl duobių gatvėje")
    for letter_id, department in ((legal, "LEGAL"), (muni, "MUNI")):
        system.endorsements.submit_reply(
            letter_id,
            "Atsakymas",
            None,
            "lt",
            system.principal("department_staff", department=department),
            "c",
        )

    def pending(*roles: str, department: str | None = None) -> list[str]:
        response = system.client.get(
            "/endorsements", headers=system.headers(*roles, department=department)
        )
        assert response.status_code == 200
        return [e["letter_id"] for e in response.get_json()["items"]]

    assert pending("department_head", department="LEGAL") == [legal]
    assert pending("department_head", department="MUNI") == [muni]
    assert pending("department_head", department="EDU") == []
    assert pending("department_staff", department="LEGAL") == []
    assert pending("director") == []
    assert pending("mayor") == []
    [endorsement] = system.endorsement_rows(legal)
    system.endorsements.decide_endorsement(
        endorsement.id, True, None, system.principal("department_head", department="LEGAL"), "c"
    )
    assert pending("department_head", department="LEGAL") == []
    assert pending("director") == [legal]
    wrong = system.client.post(
        f"/endorsements/{endorsement.id}/approve",
        headers=system.headers("department_head", department="MUNI"),
        json={},
    )
    assert problem(wrong, 403)["detail"] == "This step waits for the director."
    returned = system.client.post(
        f"/endorsements/{endorsement.id}/return", headers=system.headers("director"), json={}
    )
    assert problem(returned, 422)["errors"] == [
        {"field": "comment", "location": "json", "reason": "Missing data for required field."}
    ]


# Dry run -------------------------------------------------------------------------------------


def test_a_dry_run_explains_a_georgian_subject_and_changes_nothing(system):
    registrar = system.headers("registrar")
    created = system.client.post(
        "/rules",
        headers=registrar,
        json={
            "position": 5,
            "name": "ნაგავი და დასუფთავება",
            "match": {"subject_words": ["ნაგავ", "დასუფთავებ"], "languages": ["ka"]},
            "responsible": "MUNI",
            "copies": ["COMM"],
        },
    )
    assert created.status_code == 201
    before = system.snapshot()
    response = system.client.post(
        "/rules/dry-run",
        headers=system.headers("department_staff", department="COMM"),
        json={
            "kind": "complaint",
            "language": "ka",
            "subject": GEORGIAN_WASTE,
            "sender_organisation": "თელავის მუნიციპალიტეტი",
        },
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "rule": "ნაგავი და დასუფთავება",
        "department_code": "MUNI",
        "copy_department_codes": ["COMM"],
        "needs_triage": False,
        "why": ["languages: ka", "subject: contains “ნაგავ”"],
        "rules_not_matching": [],
    }
    # Inside a word it does not match; the Alytus rules then decide in their order.
    response = system.client.post(
        "/rules/dry-run",
        headers=registrar,
        json={
            "kind": "letter",
            "language": "ka",
            "subject": "სანაგავე პოლიგონი",
            "addressee_kind": "department",
            "addressee_department": "URBAN",
        },
    )
    body = response.get_json()
    assert (body["rule"], body["department_code"]) == (None, "URBAN"), (
        "no rule: the letter goes to the department it is addressed to"
    )
    assert body["rules_not_matching"][:2] == [
        {"rule": "ნაგავი და დასუფთავება", "why": "subject: none of the rule's words"},
        {
            "rule": "Confidential and secret correspondence",
            "why": "confidentiality: normal is not one of confidential, secret",
        },
    ]
    assert len(body["rules_not_matching"]) == 12
    assert system.snapshot() == before


def test_a_dry_run_without_a_matching_rule_says_triage(system):
    body = system.client.post(
        "/rules/dry-run",
        headers=system.headers("registrar"),
        json={"kind": "letter", "language": "sq", "subject": "Falënderim për festivalin"},
    ).get_json()
    assert (body["rule"], body["department_code"], body["needs_triage"]) == (None, None, True)
    assert body["why"] == ["no rule matched and no department is addressed: manual triage"]


# Rules ----------------------------------------------------------------------------------------


def test_rules_crud(system):
    registrar = system.headers("registrar")
    listed = system.client.get("/rules", headers=registrar).get_json()["items"]
    assert [rule["position"] for rule in listed] == list(range(10, 120, 10))

    rule = {
        "position": 55,
        "name": "Vandentiekis ir nuotekos",
        "match": {"subject_words": ["vandentiek", "nuotek"], "kinds": ["complaint"]},
        "responsible": "MUNI",
        "copies": ["URBAN"],
        "deadline": {"amount": 5, "unit": "working_days"},
    }
    created = system.client.post("/rules", headers=registrar, json=rule)
    assert created.status_code == 201
    body = created.get_json()
    rule_id = body["id"]
    assert {k: body[k] for k in rule} == rule
    assert body["active"] is True
    names = [r["name"] for r in system.client.get("/rules", headers=registrar).get_json()["items"]]
    assert names.index("Vandentiekis ir nuotekos") == 5  # between positions 50 and 60

    letter_id = system.complaint_to_muni("Skundas dėl vandentiekio avarijos")
    assert system.letter(letter_id).rule_name == "Vandentiekis ir nuotekos"

    replaced = system.client.put(
        f"/rules/{rule_id}",
        headers=registrar,
        json={
            **rule,
            "position": 1,
            "responsible": "URBAN",
            "copies": [],
            "deadline": "legal",
            "active": False,
        },
    )
    assert replaced.status_code == 200
    assert (
        replaced.get_json()["responsible"],
        replaced.get_json()["active"],
        replaced.get_json()["deadline"],
    ) == ("URBAN", False, "legal")
    again = system.complaint_to_muni("Skundas dėl vandentiekio")
    assert system.letter(again).rule_name != "Vandentiekis ir nuotekos"  # inactive

    deleted = system.client.delete(f"/rules/{rule_id}", headers=registrar)
    assert deleted.status_code == 204
    assert deleted.get_data() == b""
    assert len(system.client.get("/rules", headers=registrar).get_json()["items"]) == 11
    problem(system.client.delete(f"/rules/{rule_id}", headers=registrar), 404)
    problem(system.client.put(f"/rules/{rule_id}", headers=registrar, json=rule), 404)


def test_a_rule_for_an_unknown_department_is_refused(system):
    before = system.snapshot()
    for field, changes in (
        ("responsible", {"responsible": "TOURISM"}),
        ("copies", {"copies": ["TOURISM"]}),
    ):
        response = system.client.post(
            "/rules",
            headers=system.headers("operator"),
            json={
                "position": 1,
                "name": "Turizmas",
                "match": {"subject_words": ["turizm"]},
                "responsible": "COMM",
                **changes,
            },
        )
        body = problem(response, 422)
        assert body["errors"] == [
            {"field": field, "location": "json", "reason": "unknown department TOURISM"}
        ]
    assert system.snapshot() == before


@pytest.mark.parametrize(
    ("rule", "errors"),
    [
        (
            {"name": "Be pozicijos", "match": {}, "responsible": "MUNI"},
            [("position", "Missing data for required field.")],
        ),
        (
            {"position": 1, "name": "Spalva", "match": {"colour": ["red"]}, "responsible": "MUNI"},
            [("match.colour", "Unknown field.")],
        ),
        (
            {"position": 1, "name": "Maža raidė", "match": {}, "responsible": "muni"},
            [("responsible", "an upper-case department code")],
        ),
        (
            {
                "position": 1,
                "name": "Blogas terminas",
                "match": {},
                "responsible": "MUNI",
                "deadline": {"amount": 0, "unit": "weeks"},
            },
            [
                (
                    "deadline.amount",
                    "Must be greater than or equal to 1 and less than or equal to 366.",
                ),
                ("deadline.unit", "Must be one of: working_days, calendar_days, months."),
            ],
        ),
        (
            {
                "position": 1,
                "name": "Rūšis",
                "match": {"kinds": ["petition"]},
                "responsible": "MUNI",
            },
            [
                (
                    "match.kinds.0",
                    "Must be one of: letter, application, complaint, proposal, "
                    "information_request, invitation, other.",
                )
            ],
        ),
        (
            {"position": 1, "name": "Papildomas", "match": {}, "responsible": "MUNI", "owner": "x"},
            [("owner", "Unknown field.")],
        ),
    ],
)
def test_bad_rules_are_refused_and_write_nothing(system, rule, errors):
    before = system.snapshot()
    body = problem(
        system.client.post("/rules", headers=system.headers("registrar"), json=rule), 422
    )
    assert [(e["field"], e["reason"]) for e in body["errors"]] == errors
    assert system.snapshot() == before


# Departments ----------------------------------------------------------------------------------


def test_departments_list_create_and_patch(system):
    assert system.client.get("/departments").status_code == 401
    codes = [
        d["code"]
        for d in system.client.get(
            "/departments", headers=system.headers("department_staff")
        ).get_json()["items"]
    ]
    assert codes == ["COMM", "DOC", "EDU", "FIN", "LEGAL", "MUNI", "SOC", "URBAN"]
    operator = system.headers("operator")
    created = system.client.post(
        "/departments",
        headers=operator,
        json={
            "code": "TOURISM",
            "kind": "department",
            "parent": "COMM",
            "names": {"lt": "Turizmo poskyris", "en": "Tourism Unit", "lv": "Tūrisma nodaļa"},
            "email": "turizmas@alytus.example.org",
        },
    )
    assert created.status_code == 201
    assert created.get_json() == {
        "code": "TOURISM",
        "kind": "department",
        "names": {"lt": "Turizmo poskyris", "en": "Tourism Unit", "lv": "Tūrisma nodaļa"},
        "parent": "COMM",
        "email": "turizmas@alytus.example.org",
        "active": True,
    }
    patched = system.client.patch(
        "/departments/TOURISM",
        headers=operator,
        json={"email": "turizmo.poskyris@alytus.example.org"},
    )
    assert patched.status_code == 200
    assert (patched.get_json()["email"], patched.get_json()["parent"]) == (
        "turizmo.poskyris@alytus.example.org",
        "COMM",
    )
    # Who heads it and who works in it is the staff directory's, not the department's.
    refused = system.client.patch(
        "/departments/TOURISM", headers=operator, json={"head": "Aistė Jankauskienė"}
    )
    assert problem(refused, 422)["errors"][0]["field"] == "head"
    # A new department can receive letters at once.
    letter_id = system.register(subject="Dėl atliekų")
    system.triage.route(
        letter_id, "TOURISM", [], "Turizmo renginys", False, system.principal("registrar"), "c"
    )
    assert system.letter(letter_id).department_code == "TOURISM"
    # An inactive one cannot.
    system.client.patch("/departments/TOURISM", headers=operator, json={"active": False})
    response = system.client.post(
        f"/letters/{letter_id}/route",
        headers=system.headers("registrar"),
        json={"department_code": "TOURISM", "reason": "Dar kartą"},
    )
    assert problem(response, 422)["errors"] == [
        {"field": "department_code", "location": "json", "reason": "unknown department TOURISM"}
    ]


def test_bad_department_requests_write_nothing(system):
    operator = system.headers("operator")
    names = {"lt": "Skyrius", "en": "Department"}

    def refused(call, url: str, body: dict, field: str, reason: str, status: int = 422) -> tuple:
        """A request as the operator that must be refused for ``field`` of its JSON body."""
        return (call, url, body, status, [{"field": field, "location": "json", "reason": reason}])

    post, patch, departments = system.client.post, system.client.patch, "/departments"
    sport = {"code": "SPORT", "names": names}
    cases = [
        refused(post, departments, {**sport, "code": "COMM"}, "code", "already exists", 409),
        refused(post, departments, {**sport, "parent": "NOPE"}, "parent", "unknown department"),
        refused(
            post, departments, {**sport, "code": "sport"}, "code", "an upper-case department code"
        ),
        refused(post, departments, {"code": "SPORT"}, "names", "Missing data for required field."),
        refused(patch, "/departments/EDU", {"parent": "EDU"}, "parent", "unknown department"),
        refused(patch, "/departments/EDU", {"budget": 100}, "budget", "Unknown field."),
        (patch, "/departments/SPORT", {"email": "sportas@alytus.example.org"}, 404, None),
    ]
    before = system.snapshot()
    for call, url, body, status, errors in cases:
        document = problem(call(url, headers=operator, json=body), status)
        assert document.get("errors") == errors, (url, body)
    forbidden = system.client.post(
        "/departments",
        headers=system.headers("department_head", department="EDU"),
        json=sport,
    )
    problem(forbidden, 403)
    assert system.snapshot() == before


# Bad requests in general ----------------------------------------------------------------------


def test_bad_requests_get_problems_and_write_nothing(system, letters):
    letter_id = letters["MUNI"]
    registrar = system.headers("registrar")
    other_secret = issue_token(
        "not-our-secret-but-long-enough-for-hs256", ["registrar"], subject="intruder"
    )

    def bad_route(body: dict, field: str, reason: str) -> tuple:
        """A route request as the registrar that must be refused for ``field``."""
        route_url = f"/letters/{letter_id}/route"
        return ("post", route_url, registrar, body, 422, [(field, reason)])

    cases = [
        # Missing field.
        bad_route({"department_code": "EDU"}, "reason", "Missing data for required field."),
        # Unknown field.
        bad_route(
            {"department_code": "EDU", "reason": "Mokyklos", "priority": "high"},
            "priority",
            "Unknown field.",
        ),
        # Bad department code.
        bad_route(
            {"department_code": "Švietimas", "reason": "Mokyklos"},
            "department_code",
            "an upper-case department code",
        ),
        # A department that does not exist.
        bad_route(
            {"department_code": "SPORT", "reason": "Sportas"},
            "department_code",
            "unknown department SPORT",
        ),
        # Unknown query parameter.
        ("get", "/letters?colour=red", registrar, None, 422, [("colour", "Unknown field.")]),
        (
            "get",
            "/letters?limit=500",
            registrar,
            None,
            422,
            [("limit", "Must be greater than or equal to 1 and less than or equal to 200.")],
        ),
        ("get", "/letters?status=lost", registrar, None, 422, None),
        # Wrong and missing token.
        ("get", "/letters", {"Authorization": f"Bearer {other_secret}"}, None, 401, None),
        ("get", "/letters", {}, None, 401, None),
        # Wrong role.
        (
            "post",
            f"/letters/{letter_id}/route",
            system.headers("department_head", department="MUNI"),
            {"department_code": "EDU", "reason": "Mokyklos"},
            403,
            None,
        ),
        (
            "post",
            "/rules",
            system.headers("department_head", department="MUNI"),
            {"position": 1, "name": "x", "match": {}, "responsible": "MUNI"},
            403,
            None,
        ),
        (
            "post",
            f"/letters/{letter_id}/assign",
            system.headers("department_head", department="EDU"),
            {"executor": "Jonas"},
            403,
            None,
        ),
        # Unknown letter and malformed id.
        ("get", f"/letters/{uuid.uuid4()}", registrar, None, 404, None),
        (
            "post",
            f"/letters/{uuid.uuid4()}/route",
            registrar,
            {"department_code": "EDU", "reason": "Mokyklos"},
            404,
            None,
        ),
        ("get", "/letters/P-2026-00001", registrar, None, 404, None),
        # Impossible transition.
        (
            "post",
            f"/letters/{letter_id}/close",
            registrar,
            None,
            409,
            [("status", "routed → closed is not allowed")],
        ),
        # Not JSON.
        ("post", f"/letters/{letter_id}/assign", registrar, "executor=Jonas", 415, None),
    ]
    before = system.snapshot()
    for method, url, headers, body, status, errors in cases:
        if isinstance(body, str):
            response = system.client.open(
                url, method=method.upper(), headers=headers, data=body, content_type="text/plain"
            )
        else:
            response = system.client.open(url, method=method.upper(), headers=headers, json=body)
        document = problem(response, status)
        if errors is not None:
            assert [(e["field"], e["reason"]) for e in document["errors"]] == errors, url
        if status == 401:
            assert "Bearer" in response.headers["WWW-Authenticate"]
    assert system.snapshot() == before


def test_an_impossible_transition_says_what_is_possible(system, letters):
    response = system.client.post(
        f"/letters/{letters['MUNI']}/close", headers=system.headers("registrar")
    )
    body = problem(response, 409)
    assert body["title"] == "Conflict"
    assert body["detail"] == (
        "A letter that is routed cannot become closed; it can become: "
        "answered, in_progress, not_ours, routed, voided."
    )


def test_the_deadline_report_is_csv_when_asked(system, letters):
    response = system.client.get(
        "/reports/deadlines?from=2026-03-01&to=2026-03-31&format=csv",
        headers=system.headers("mayor_office"),
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data(as_text=True).splitlines() == [
        "department,month,answered,on_time,on_time_rate,average_days,open,overdue",
        "LEGAL,2026-03,0,0,,,1,0",
        "MUNI,2026-03,0,0,,,1,0",
        "SOC,2026-03,0,0,,,1,0",
    ]


def test_the_due_report_counts_open_work_and_scopes_a_head(system, letters):
    everyone = system.client.get("/reports/due", headers=system.headers("mayor_office"))
    assert everyone.status_code == 200
    assert {line["department"] for line in everyone.get_json()["items"]} == {"LEGAL", "MUNI", "SOC"}
    assert set(everyone.get_json()["items"][0]) == {
        "department",
        "letters_overdue",
        "letters_due_soon",
        "assignments_overdue",
        "assignments_due_soon",
    }
    head = system.client.get(
        "/reports/due", headers=system.headers("department_head", department="SOC")
    )
    assert [line["department"] for line in head.get_json()["items"]] == ["SOC"]
    assert (
        system.client.get(
            "/reports/due", headers=system.headers("department_staff", department="SOC")
        ).status_code
        == 403
    )
