"""The workflow's use cases fed by intake's messages through the real message-handling core.

Alytus profile; the default clock is Tuesday 2026-03-10 09:30 in Vilnius and letters are
received five minutes earlier. From that receipt (11 March is a holiday, 6 April is Easter
Monday): 20 working days end on 2026-04-09, 10 on 2026-03-25, and the forwarding term of
5 working days on 2026-03-18.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound
from chancery.messages.consumer import Outcome
from routing.domain.workflow import ImpossibleTransition

TWENTY_DAYS = date(2026, 4, 9)
TEN_DAYS = date(2026, 3, 25)
WASTE = "Dėl neišvežtų atliekų Žalgirio gatvėje"


def _thanks(system, **changes: Any) -> str:
    """A thank-you for a concert: a letter no routing rule matches."""
    return system.register(subject="Padėka už koncertą Rotušės aikštėje", kind="letter", **changes)


# Routed by the profile's rules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "kind", "subject", "rule", "department", "copies", "due"),
    [
        (
            "lt",
            "application",
            WASTE,
            "Streets, lighting, waste and greenery",
            "MUNI",
            [],
            TWENTY_DAYS,
        ),
        (
            "lt",
            "application",
            "Prašymas skirti vienkartinę PAŠALPĄ",
            "Social support",
            "SOC",
            [],
            TWENTY_DAYS,
        ),
        (
            "lt",
            "proposal",
            "Pasiūlymas dėl lopšelio-darželio „Saulutė“ grupių",
            "Schools and kindergartens",
            "EDU",
            [],
            TWENTY_DAYS,
        ),
        (
            "lv",
            "application",
            "Iesniegums par ielu apgaismojumu Ķīšezera ielā",
            "Correspondence from abroad in a foreign language (seed 000 f. 15)",
            "COMM",
            [],
            TWENTY_DAYS,
        ),
        (
            "en",
            "letter",
            "Twin towns summer festival programme",
            "Correspondence from abroad in a foreign language (seed 000 f. 15)",
            "COMM",
            [],
            TWENTY_DAYS,
        ),
        (
            "ka",
            "invitation",
            "მოწვევა დაძმობილებული ქალაქების ფორუმზე",
            "Invitations from foreign municipalities and international organisations "
            "(seed 000 f. 20)",
            "COMM",
            [],
            TEN_DAYS,
        ),
        (
            "sq",
            "information_request",
            "Kërkesë për informacion mbi buxhetin e bashkisë",
            "Requests for public information",
            "COMM",
            ["LEGAL"],
            TWENTY_DAYS,
        ),
    ],
)
def test_a_registered_letter_is_routed_by_the_matching_profile_rule(
    system, language, kind, subject, rule, department, copies, due
):
    letter_id = system.register(subject=subject, kind=kind, language=language)
    row = system.letter(letter_id)
    assert (row.status, row.rule_name, row.department_code, row.copy_department_codes) == (
        "routed",
        rule,
        department,
        copies,
    )
    assert row.due_date == due
    assert row.forward_by == date(2026, 3, 18)
    assert row.subject == subject
    assert row.routed_at == system.clock.now
    [assignment] = system.assignment_rows(letter_id)
    assert (
        assignment.status,
        assignment.department_code,
        assignment.due_date,
        assignment.executor,
        assignment.title,
    ) == ("open", department, due, None, subject)
    assert system.outbox_types(letter_id) == [
        "letter.routed",
        "letter.status_changed",
        "assignment.created",
    ]
    [routed] = system.outbox("letter.routed", letter_id)
    assert routed["producer"] == "routing"
    assert routed["payload"]["department_code"] == department
    assert routed["payload"]["copy_department_codes"] == copies
    assert routed["payload"]["due_date"] == due.isoformat()
    assert routed["payload"]["rule"] == rule
    assert routed["payload"]["subject"] == subject
    assert routed["payload"]["previous_department_code"] is None
    [changed] = system.outbox("letter.status_changed", letter_id)
    assert (changed["payload"]["previous_status"], changed["payload"]["status"]) == (
        "registered",
        "routed",
    )
    [created] = system.outbox("assignment.created")
    assert created["payload"]["letter_id"] == letter_id
    assert created["payload"]["department_code"] == department
    assert created["payload"]["assigned_by"] == "routing"
    assert created["payload"]["assigned_by_name"] is None  # the rules, not a person
    # Everything published continues the conversation intake started.
    correlation = {m["correlation_id"] for m in system.outbox(letter_id=letter_id)}
    assert len(correlation) == 1


def test_why_a_letter_was_routed_is_kept_in_its_history(system):
    letter_id = system.register(subject=WASTE)
    actions = system.history(letter_id)
    assert [action for _, action, _ in actions] == ["registered", "routed", "status"]
    _, _, routed = actions[1]
    assert routed["rule"] == "Streets, lighting, waste and greenery"
    assert routed["why"] == ["subject: contains “atlieku”"]
    assert actions[0] == ("routing", "registered", {"forward_by": "2026-03-18"})


def test_a_confidential_letter_goes_to_the_legal_department(system):
    letter_id = system.register(subject=WASTE, confidentiality="confidential")
    assert system.letter(letter_id).department_code == "LEGAL"


def test_an_unknown_language_from_intake_is_dead_lettered(system):
    payload = system.registered_payload(language="lithuanian")
    decision = system.deliver("letter.registered", payload)
    assert decision.outcome is Outcome.DEAD_LETTER
    assert "language" in decision.reason
    assert system.snapshot()["letters"] == []


# Triage ------------------------------------------------------------------------------------


def test_an_unmatched_letter_without_a_department_waits_for_triage(system):
    letter_id = _thanks(system)
    row = system.letter(letter_id)
    assert (row.status, row.department_code, row.due_date, row.rule_name) == (
        "registered",
        None,
        None,
        None,
    )
    assert row.forward_by == date(2026, 3, 18)
    assert system.assignment_rows(letter_id) == []
    why = "no rule matched and no department is addressed: manual triage"
    [triaged] = system.outbox(letter_id=letter_id)
    assert triaged["type"] == "letter.triaged"
    assert triaged["payload"]["reason"] == why
    _, action, details = system.history(letter_id)[-1]
    assert action == "triage"
    assert details == {"reason": why, "why": [why]}
    response = system.client.get("/triage", headers=system.headers("registrar"))
    assert response.status_code == 200
    [listed] = response.get_json()["items"]
    assert (
        listed["id"],
        listed["status"],
        listed["department_code"],
        listed["forward_by"],
        listed["triage_reason"],
    ) == (letter_id, "registered", None, "2026-03-18", why)


@pytest.mark.parametrize(
    "received_at",
    [
        datetime(450, 7, 24, 8, 0, tzinfo=UTC),
        datetime(1, 1, 1, 0, 0, tzinfo=UTC),
        datetime(1000, 3, 1, 12, 0, tzinfo=UTC),
    ],
)
def test_a_letter_no_legal_deadline_covers_goes_to_triage_not_to_the_dead_letters(
    system, received_at
):
    # Intake refuses such dates today; a letter registered before that (or by another road)
    # must still reach the registry rather than vanish between the services.
    payload = system.registered_payload(subject=WASTE, received_at=received_at)
    decision = system.deliver("letter.registered", payload)
    assert decision.outcome is Outcome.HANDLED, decision
    row = system.letter(payload["letter_id"])
    assert (row.status, row.department_code, row.due_date) == ("registered", None, None)
    assert row.triage_reason
    [triaged] = system.outbox("letter.triaged", payload["letter_id"])
    assert triaged["payload"]["reason"] == row.triage_reason
    assert WASTE not in row.triage_reason
    listed = system.client.get("/triage", headers=system.headers("registrar")).get_json()["items"]
    assert [(item["id"], item["triage_reason"]) for item in listed] == [
        (payload["letter_id"], row.triage_reason)
    ]


def test_a_letter_addressed_to_an_unknown_department_goes_to_triage(system):
    letter_id = _thanks(system, addressee={"kind": "department", "department_code": "NOPE"})
    row = system.letter(letter_id)
    assert (row.status, row.department_code) == ("registered", None)
    assert row.triage_reason == "no active department NOPE"
    assert system.assignment_rows(letter_id) == []
    assert system.outbox_types(letter_id) == ["letter.triaged"]


def test_routing_a_triage_letter_by_hand_clears_the_reason(system):
    letter_id = _thanks(system)
    system.triage.route(
        letter_id, "COMM", [], "Kultūros renginys", False, system.principal("registrar"), "c-triage"
    )
    assert system.letter(letter_id).triage_reason is None


def test_an_unmatched_letter_addressed_to_a_department_goes_there(system):
    letter_id = _thanks(system, addressee={"kind": "department", "department_code": "EDU"})
    row = system.letter(letter_id)
    assert (row.status, row.department_code, row.rule_name, row.due_date) == (
        "routed",
        "EDU",
        None,
        TWENTY_DAYS,
    )
    _, _, details = system.history(letter_id)[-2]
    assert details["why"] == ["no rule matched; the letter is addressed to EDU"]


def test_the_registry_routes_a_triage_letter_by_hand_with_a_reason(system):
    letter_id = _thanks(system)
    registrar = system.principal("registrar", subject="registrar-ona-petraitiene")
    reason = "Padėka skirta kultūros renginiui: Komunikacijos skyriui"
    system.clock.advance(hours=2)
    system.triage.route(letter_id, "COMM", ["EDU"], reason, False, registrar, "c-triage")
    row = system.letter(letter_id)
    assert (row.status, row.department_code, row.copy_department_codes, row.due_date) == (
        "routed",
        "COMM",
        ["EDU"],
        TWENTY_DAYS,
    )
    assert row.routed_at == system.clock.now
    history = system.history(letter_id)
    assert history[-1] == (
        "registrar-ona-petraitiene",
        "status",
        {"from": "registered", "to": "routed", "reason": reason},
    )
    assert history[-2][:2] == ("registrar-ona-petraitiene", "routed")
    assert history[-2][2]["reason"] == reason
    assert history[-2][2]["previous_department"] is None
    [routed] = system.outbox("letter.routed", letter_id)
    assert routed["payload"]["reason"] == reason
    assert routed["payload"]["rule"] is None
    assert routed["correlation_id"] == "c-triage"
    triage = system.client.get("/triage", headers=system.headers("registrar"))
    assert triage.get_json()["items"] == []


def test_only_the_registry_routes_by_hand(system):
    letter_id = system.register(subject=WASTE)
    for principal in (
        system.principal("department_head", department="MUNI"),
        system.principal("department_staff", department="MUNI"),
    ):
        with pytest.raises(Forbidden):
            system.triage.route(letter_id, "URBAN", [], "Ne mūsų", False, principal, "c")
    with pytest.raises(InvalidInput) as refused:
        system.triage.route(
            letter_id, "NOPE", [], "Klaida", False, system.principal("registrar"), "c"
        )
    assert refused.value.field == "department_code"
    with pytest.raises(NotFound):
        system.triage.route(
            str(uuid.uuid4()), "URBAN", [], "Nėra", False, system.principal("registrar"), "c"
        )
    assert system.letter(letter_id).department_code == "MUNI"


def test_a_re_route_publishes_the_previous_department_and_the_reason(system):
    letter_id = system.register(subject=WASTE)
    head = system.principal("department_head", department="MUNI")
    system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c-assign")
    assert system.letter(letter_id).status == "in_progress"
    reason = "Tai teritorijų planavimo klausimas"
    system.triage.route(
        letter_id, "URBAN", [], reason, True, system.principal("mayor_office"), "c-reroute"
    )
    row = system.letter(letter_id)
    assert (row.status, row.department_code, row.executor, row.due_date) == (
        "routed",
        "URBAN",
        None,
        TWENTY_DAYS,
    )
    rerouted = system.outbox("letter.routed", letter_id)[-1]["payload"]
    assert (
        rerouted["department_code"],
        rerouted["previous_department_code"],
        rerouted["reason"],
    ) == ("URBAN", "MUNI", reason)
    changed = system.outbox("letter.status_changed", letter_id)[-1]["payload"]
    assert (changed["previous_status"], changed["status"], changed["reason"]) == (
        "in_progress",
        "routed",
        reason,
    )
    [assignment] = system.assignment_rows(letter_id)
    assert (assignment.department_code, assignment.executor, assignment.status) == (
        "URBAN",
        None,
        "open",
    )
    routes = [d for _, action, d in system.history(letter_id) if action == "routed"]
    assert [(r["department"], r.get("previous_department")) for r in routes] == [
        ("MUNI", None),
        ("URBAN", "MUNI"),
    ]


# Messages from intake ------------------------------------------------------------------


def test_the_same_message_delivered_twice_is_handled_once(system):
    payload = system.registered_payload(subject=WASTE)
    body = system.envelope("letter.registered", payload, "intake")
    assert system.handling.handle(body).outcome is Outcome.HANDLED
    after_first = system.snapshot()
    assert system.handling.handle(body).outcome is Outcome.DUPLICATE
    assert system.handling.handle(body, previous_deliveries=2).outcome is Outcome.DUPLICATE
    assert system.snapshot() == after_first
    assert len(system.outbox("letter.routed")) == 1
    assert len(system.assignment_rows(payload["letter_id"])) == 1


def test_the_same_letter_under_a_new_message_id_is_not_registered_twice(system):
    payload = system.registered_payload(subject=WASTE)
    assert system.deliver("letter.registered", payload).outcome is Outcome.HANDLED
    # Intake never does this (one message id per event); if it did, the letter's id keeps
    # the workflow single and the second announcement changes nothing.
    assert system.deliver("letter.registered", payload).outcome is Outcome.HANDLED
    assert len(system.snapshot()["letters"]) == 1
    assert len(system.outbox("letter.routed")) == 1


def test_a_reply_from_intake_makes_the_letter_answered(system):
    letter_id = system.register(subject=WASTE)
    system.clock.advance(days=7)
    reply = system.reply(letter_id, registered_at=datetime(2026, 3, 17, 12, 0, tzinfo=UTC))
    row = system.letter(letter_id)
    assert row.status == "answered"
    assert row.answered_at == datetime(2026, 3, 17, 12, 0, tzinfo=UTC)
    assert row.reply_letter_id == reply["letter_id"]
    assert row.reply_registration_number == reply["registration_number"]
    [answered] = system.outbox("letter.answered", letter_id)
    assert answered["payload"]["reply_letter_id"] == reply["letter_id"]
    assert answered["payload"]["reply_registration_number"] == reply["registration_number"]
    assert answered["payload"]["answered_at"] == "2026-03-17T12:00:00+00:00"
    assert system.outbox("letter.status_changed", letter_id)[-1]["payload"]["status"] == "answered"
    assert [a.status for a in system.assignment_rows(letter_id)] == ["done"]
    # A second reply to the same letter is linked, nothing else happens.
    second = system.reply(letter_id)
    assert system.letter(letter_id).reply_letter_id == second["letter_id"]
    assert len(system.outbox("letter.answered", letter_id)) == 1
    assert system.history(letter_id)[-1][1] == "reply_linked"


def invitation_decided(
    letter_id: str | None, decided_at: datetime, status: str = "approved"
) -> dict[str, Any]:
    """foreign-relations' ``invitation.decided`` about the invitation ``letter_id`` was."""
    return {
        "invitation_id": str(uuid.uuid4()),
        "title": "Kutaisio miesto šventė",
        "inviter": "ქუთაისის მერია",
        "status": status,
        "decided_by": "mayor-1",
        "decided_at": decided_at.isoformat(),
        "department_code": "COMM",
        "letter_id": letter_id,
        "registration_number": "G-2026-00017",
    }


@pytest.mark.parametrize("assigned", [False, True])
def test_an_invitation_decided_answers_and_closes_its_letter(system, assigned):
    letter_id = system.register(subject="Kvietimas į Kutaisio šventę", kind="invitation")
    registrar = system.principal("registrar")
    system.triage.route(letter_id, "COMM", [], "Užsienio ryšiai", False, registrar, "c")
    if assigned:
        head = system.principal("department_head", department="COMM")
        system.letters.assign(letter_id, "Eglė Petrauskaitė", head, "c")
    decided_at = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
    decision = system.deliver(
        "invitation.decided",
        invitation_decided(letter_id, decided_at),
        producer="foreign-relations",
    )
    assert decision.outcome is Outcome.HANDLED, decision
    row = system.letter(letter_id)
    assert row.status == "closed", "nothing more happens: it never goes overdue"
    assert row.answered_at == decided_at
    [answered] = system.outbox("letter.answered", letter_id)
    assert answered["payload"]["answered_by"] == "invitation_decision"
    assert answered["payload"]["reply_registration_number"] is None
    assert [e["payload"]["status"] for e in system.outbox("letter.status_changed", letter_id)][
        -2:
    ] == ["answered", "closed"]
    assert all(a.status == "done" for a in system.assignment_rows(letter_id))
    details = next(
        details for _, action, details in system.history(letter_id) if action == "answered"
    )
    assert details["invitation_status"] == "approved"
    # The same decision again (a redelivery) changes nothing.
    before = len(system.outbox())
    system.deliver(
        "invitation.decided",
        invitation_decided(letter_id, decided_at),
        producer="foreign-relations",
    )
    assert len(system.outbox()) == before
    assert system.letter(letter_id).status == "closed"


def test_an_invitation_decided_whose_letter_is_in_triage_is_noted(system):
    letter_id = _thanks(system)
    assert system.letter(letter_id).status == "registered"
    before = len(system.outbox())
    system.deliver(
        "invitation.decided",
        invitation_decided(letter_id, system.clock.now, "declined"),
        producer="foreign-relations",
    )
    assert system.letter(letter_id).status == "registered"
    _, action, details = system.history(letter_id)[-1]
    assert (action, details["invitation_status"]) == ("not_followed", "declined")
    assert len(system.outbox()) == before


def test_an_invitation_entered_by_hand_touches_no_letter(system):
    decision = system.deliver(
        "invitation.decided",
        invitation_decided(None, system.clock.now),
        producer="foreign-relations",
    )
    assert decision.outcome is Outcome.HANDLED
    assert system.outbox() == []


def test_a_reply_to_an_unknown_letter_or_to_nothing_is_ignored(system):
    system.reply(str(uuid.uuid4()))
    assert system.snapshot()["letters"] == []
    assert system.outbox() == []


@pytest.mark.parametrize("status", ["registered", "closed", "not_ours", "voided"])
def test_a_reply_the_workflow_cannot_follow_is_recorded_not_retried(system, status):
    letter_id = system.register(subject="Padėka už koncertą", kind="letter")
    registrar = system.principal("registrar")
    if status == "closed":
        system.triage.route(letter_id, "COMM", [], "Padėka", False, registrar, "c")
        system.reply(letter_id)
        system.letters.close(letter_id, registrar, "c")
    elif status == "not_ours":
        system.deliver(
            "letter.not_ours",
            {
                "letter_id": letter_id,
                "registration_number": "G-2026-00001",
                "reason": "Ne savivaldybės kompetencija",
                "forwarded_to": None,
                "decided_at": system.clock.now.isoformat(),
            },
        )
    elif status == "voided":
        system.deliver(
            "letter.voided",
            {
                "letter_id": letter_id,
                "registration_number": "G-2026-00001",
                "reason": "Užregistruota per klaidą",
                "voided_at": system.clock.now.isoformat(),
            },
        )
    assert system.letter(letter_id).status == status
    before = len(system.outbox())
    reply = system.reply(letter_id)
    row = system.letter(letter_id)
    assert row.status == status
    assert row.reply_letter_id == reply["letter_id"]
    _, action, details = system.history(letter_id)[-1]
    assert action == "not_followed"
    assert details["intake_status"] == "answered"
    assert len(system.outbox()) == before


def test_letter_archived_for_an_open_letter_is_recorded_as_not_followed(system):
    letter_id = system.register(subject=WASTE)
    before = system.outbox_types()
    decision = system.deliver(
        "letter.archived",
        {
            "letter_id": letter_id,
            "registration_number": "P-2026-00001",
            "archived_at": system.clock.now.isoformat(),
            "file_reference": "B-12",
        },
    )
    assert decision.outcome is Outcome.HANDLED
    assert system.letter(letter_id).status == "routed"
    _, action, details = system.history(letter_id)[-1]
    assert action == "not_followed"
    assert details["intake_status"] == "archived"
    assert details["why"] == (
        "A letter that is routed cannot become archived; it can become: "
        "answered, in_progress, not_ours, routed, voided."
    )
    assert system.outbox_types() == before


def test_letter_not_ours_ends_a_triage_letter(system):
    letter_id = system.register(subject="Dėl Kauno marių pakrantės", kind="letter")
    decision = system.deliver(
        "letter.not_ours",
        {
            "letter_id": letter_id,
            "registration_number": "G-2026-00002",
            "reason": "Persiųsta Aplinkos apsaugos departamentui",
            "forwarded_to": "Aplinkos apsaugos departamentas",
            "decided_at": system.clock.now.isoformat(),
        },
    )
    assert decision.outcome is Outcome.HANDLED
    assert system.letter(letter_id).status == "not_ours"
    [changed] = system.outbox("letter.status_changed", letter_id)
    assert (
        changed["payload"]["previous_status"],
        changed["payload"]["status"],
        changed["payload"]["reason"],
    ) == ("registered", "not_ours", "Persiųsta Aplinkos apsaugos departamentui")


# Assigning ------------------------------------------------------------------------------------


def test_the_head_assigns_an_executor_in_their_department(system):
    letter_id = system.register(subject=WASTE)
    with pytest.raises(Forbidden):
        system.letters.assign(
            letter_id, "Jonas Jonaitis", system.principal("department_head", department="EDU"), "c"
        )
    with pytest.raises(Forbidden):
        system.letters.assign(
            letter_id,
            "Jonas Jonaitis",
            system.principal("department_staff", department="MUNI"),
            "c",
        )
    head = system.principal("department_head", department="MUNI")
    # Only an active member of the department, from the staff directory, may execute.
    before = system.snapshot()
    for stranger, reason in (
        ("nobody.at.all", "not in the staff directory"),
        ("Jonas Jonaitis", "not a member of MUNI"),
    ):
        with pytest.raises(InvalidInput) as refused:
            system.letters.assign(letter_id, stranger, head, "c")
        assert (refused.value.field, refused.value.reason) == ("executor", reason)
    assert system.snapshot() == before
    system.letters.assign(letter_id, "Rūta Vaitkienė", head, "c-assign")
    row = system.letter(letter_id)
    assert (row.status, row.executor) == ("in_progress", "Rūta Vaitkienė")
    [assignment] = system.assignment_rows(letter_id)
    assert assignment.executor == "Rūta Vaitkienė"
    announced = system.outbox("assignment.created")[-1]["payload"]
    assert (announced["executor"], announced["letter_id"]) == ("Rūta Vaitkienė", letter_id)
    # Reassigning keeps it in progress.
    system.letters.assign(letter_id, "Tomas Kazlauskas", head, "c-assign-2")
    assert system.letter(letter_id).executor == "Tomas Kazlauskas"
    assert [a.executor for a in system.assignment_rows(letter_id)] == ["Tomas Kazlauskas"]


# Endorsement ----------------------------------------------------------------------------------


def _reply(system, letter_id: str, department: str) -> Any:
    """A reply draft submitted by a member of ``department``'s staff."""
    staff = system.principal("department_staff", department=department)
    return system.endorsements.submit_reply(letter_id, "Atsakymas", None, "lt", staff, "c")


@pytest.fixture
def complaint(system):
    """A complaint to the mayor: LEGAL answers, circuit head → director → mayor."""
    letter_id = system.register(subject="Skundas dėl neišvežtų šiukšlių", kind="complaint")
    row = system.letter(letter_id)
    assert (row.department_code, row.rule_name) == ("LEGAL", "Complaints addressed to the mayor")
    return letter_id


def test_a_complaints_reply_goes_through_the_whole_circuit(system, complaint):
    staff = system.principal("department_staff", department="LEGAL", subject="staff-ieva")
    head = system.principal("department_head", department="LEGAL", subject="head-darius")
    director = system.principal("director", subject="director-vaida")
    mayor = system.principal("mayor", subject="mayor-nerijus")

    endorsement = system.endorsements.submit_reply(
        complaint, "Atsakymas dėl šiukšlių išvežimo", "Grafikas pakeistas.", "lt", staff, "c-1"
    )
    assert (endorsement.circuit, endorsement.step, endorsement.status) == (
        ["department_head", "director", "mayor"],
        0,
        "pending",
    )  # stored 0-based
    assert system.letter(complaint).status == "awaiting_endorsement"
    statuses = [
        (m["payload"]["previous_status"], m["payload"]["status"])
        for m in system.outbox("letter.status_changed", complaint)
    ]
    assert statuses[-2:] == [("routed", "in_progress"), ("in_progress", "awaiting_endorsement")]
    [requested] = system.outbox("endorsement.requested", complaint)
    assert (
        requested["payload"]["step"],
        requested["payload"]["steps"],
        requested["payload"]["approver_role"],
        requested["payload"]["department_code"],
    ) == (1, 3, "department_head", "LEGAL")

    # The wrong approvers: another department's head, a role the step does not name.
    with pytest.raises(Forbidden, match="department head of LEGAL"):
        system.endorsements.decide_endorsement(
            endorsement.id,
            True,
            None,
            system.principal("department_head", department="COMM"),
            "c-x",
        )
    with pytest.raises(Forbidden):
        system.endorsements.decide_endorsement(endorsement.id, True, None, director, "c-x")
    with pytest.raises(Forbidden):
        system.endorsements.decide_endorsement(endorsement.id, True, None, staff, "c-x")

    system.endorsements.decide_endorsement(endorsement.id, True, None, head, "c-2")
    requested = system.outbox("endorsement.requested", complaint)
    assert [(m["payload"]["step"], m["payload"]["approver_role"]) for m in requested] == [
        (1, "department_head"),
        (2, "director"),
    ]

    comment = "Trūksta nuorodos į Atliekų tvarkymo taisykles"
    returned = system.endorsements.decide_endorsement(
        endorsement.id, False, comment, director, "c-3"
    )
    assert returned.status == "returned"
    assert system.letter(complaint).status == "in_progress"
    [back] = system.outbox("endorsement.returned", complaint)
    assert (
        back["payload"]["comment"],
        back["payload"]["returned_by"],
        back["payload"]["step"],
    ) == (comment, "director-vaida", 2)
    with pytest.raises(Conflict, match="already returned"):
        system.endorsements.decide_endorsement(endorsement.id, True, None, director, "c-x")

    again = system.endorsements.submit_reply(
        complaint, "Atsakymas dėl šiukšlių išvežimo (pataisytas)", None, "lt", staff, "c-4"
    )
    assert again.id != endorsement.id
    assert again.step == 0
    for step, approver in enumerate((head, director, mayor), start=1):
        system.endorsements.decide_endorsement(again.id, True, "Pritariu", approver, "c-5", step)
    [approved] = system.outbox("endorsement.approved", complaint)
    assert (approved["payload"]["approved_by"], approved["payload"]["endorsement_id"]) == (
        "mayor-nerijus",
        again.id,
    )
    # The last approval does not answer the letter: nothing is sent yet.
    assert system.letter(complaint).status == "awaiting_endorsement"
    assert system.outbox("letter.answered", complaint) == []
    assert [e.status for e in system.endorsement_rows(complaint)] == ["returned", "approved"]
    endorsed = [
        (d["step"], d["role"]) for _, action, d in system.history(complaint) if action == "endorsed"
    ]
    assert endorsed == [
        (1, "department_head"),
        (1, "department_head"),
        (2, "director"),
        (3, "mayor"),
    ]
    # The registry registers the reply at intake: now the letter is answered, and the
    # answer names the reply's registration number.
    sent = system.reply(complaint)
    row = system.letter(complaint)
    assert (row.status, row.answered_at) == ("answered", system.clock.now)
    [answered] = system.outbox("letter.answered", complaint)
    assert answered["payload"]["reply_registration_number"] == sent["registration_number"]
    assert [a.status for a in system.assignment_rows(complaint)] == ["done"]


def test_a_complaint_to_a_department_needs_the_head_and_the_director(system):
    letter_id = system.complaint_to_muni("Skundas dėl gatvės duobių")
    assert system.letter(letter_id).department_code == "MUNI"
    endorsement = system.endorsements.submit_reply(
        letter_id,
        "Atsakymas dėl duobių",
        None,
        "lt",
        system.principal("department_head", department="MUNI"),
        "c",
    )
    assert endorsement.circuit == ["department_head", "director"]


def test_only_the_responsible_department_submits_the_reply(system, complaint):
    with pytest.raises(Forbidden):
        _reply(system, complaint, "MUNI")
    assert system.letter(complaint).status == "routed"


def test_a_reply_without_endorsement_is_refused(system):
    # An application addressed to a department needs no endorsement in Alytus.
    letter_id = system.register(
        subject=WASTE, addressee={"kind": "department", "department_code": "MUNI"}
    )
    before = system.snapshot()
    with pytest.raises(Conflict, match="needs no endorsement"):
        _reply(system, letter_id, "MUNI")
    assert system.snapshot() == before


def test_a_second_submission_while_one_is_pending_is_refused(system, complaint):
    staff = system.principal("department_staff", department="LEGAL")
    system.endorsements.submit_reply(complaint, "Atsakymas", None, "lt", staff, "c-1")
    with pytest.raises(ImpossibleTransition, match="awaiting_endorsement cannot become"):
        system.endorsements.submit_reply(complaint, "Atsakymas 2", None, "lt", staff, "c-2")
    assert len(system.endorsement_rows(complaint)) == 1


def test_voiding_at_intake_closes_the_workflow_and_cancels_the_endorsement(system, complaint):
    _reply(system, complaint, "LEGAL")
    decision = system.deliver(
        "letter.voided",
        {
            "letter_id": complaint,
            "registration_number": "P-2026-00007",
            "reason": "Užregistruota du kartus",
            "voided_at": system.clock.now.isoformat(),
        },
    )
    assert decision.outcome is Outcome.HANDLED
    assert system.letter(complaint).status == "voided"
    [endorsement] = system.endorsement_rows(complaint)
    assert (endorsement.status, endorsement.decided_at) == ("cancelled", system.clock.now)
    assert [a.status for a in system.assignment_rows(complaint)] == ["done"]
    changed = system.outbox("letter.status_changed", complaint)[-1]["payload"]
    assert (changed["previous_status"], changed["status"], changed["reason"]) == (
        "awaiting_endorsement",
        "voided",
        "Užregistruota du kartus",
    )
    assert ("routing", "endorsement_cancelled", {"why": "the letter is voided"}) in system.history(
        complaint
    )
    with pytest.raises(Conflict, match="already cancelled"):
        system.endorsements.decide_endorsement(
            endorsement.id, True, None, system.principal("department_head", department="LEGAL"), "c"
        )
    response = system.client.get(
        "/endorsements", headers=system.headers("department_head", department="LEGAL")
    )
    assert response.get_json()["items"] == []


def test_pending_endorsements_show_only_what_the_caller_may_decide(system, complaint):
    _reply(system, complaint, "LEGAL")
    legal_head = system.principal("department_head", department="LEGAL")
    assert [e["letter_id"] for e in system.endorsements.pending_endorsements(legal_head)] == [
        complaint
    ]
    for other in (
        system.principal("department_head", department="COMM"),
        system.principal("director"),
        system.principal("mayor"),
        system.principal("registrar"),
    ):
        assert system.endorsements.pending_endorsements(other) == []


# Timing of events --------------------------------------------------------------------------


def test_status_changes_are_stamped_with_the_workflows_clock(system):
    letter_id = system.register(subject=WASTE)
    first = system.clock.now
    system.clock.advance(days=1, hours=3)
    system.letters.assign(
        letter_id, "Rūta Vaitkienė", system.principal("department_head", department="MUNI"), "c"
    )
    row = system.letter(letter_id)
    assert row.routed_at == first
    assert row.status_changed_at == first + timedelta(days=1, hours=3)
