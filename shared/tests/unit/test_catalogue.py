"""Tests for the message catalogue, its payload contracts and the broker topology."""

import uuid
from datetime import date, datetime

import pytest

from chancery.messages.catalogue import (
    ANY_SENDER,
    CATALOGUE,
    consumed_by,
    contract,
    produced_by,
    secret_values,
)
from chancery.messages.topology import (
    dead_letter_name,
    queue_name,
    work_queue,
)
from chancery.vocabulary import SERVICES


def _samples() -> dict[str, dict]:
    """One small, realistic payload per message type."""
    letter_id = str(uuid.uuid4())
    assignment = {"assignment_id": str(uuid.uuid4()), "letter_id": letter_id,
                  "registration_number": "P-2026-00017",
                  "title": "Skundas dėl šiukšlių išvežimo", "department_code": "COMM",
                  "executor": "ona.petraitiene", "due_date": "2026-12-18"}
    endorsement = {"endorsement_id": str(uuid.uuid4()), "letter_id": letter_id,
                   "registration_number": "SH-2026-00005",
                   "reply_subject": "პასუხი განცხადებაზე", "step": 1, "steps": 2,
                   "approver_role": "department_head", "department_code": "COMM",
                   "executor": "nino.b"}
    event = {"event_id": str(uuid.uuid4()), "kind": "official_reception",
             "protocol_level": "diplomatic",
             "title": {"lt": "Oficialus priėmimas Kutaisio delegacijai",
                       "ka": "ოფიციალური მიღება ქუთაისის დელეგაციისთვის"},
             "starts_at": "2026-12-03T12:00:00+02:00", "ends_at": "2026-12-03T14:00:00+02:00",
             "time_zone": "Europe/Vilnius", "venue": "Rotušės salė", "department_code": "COMM",
             "ical_uid": "evt-1@alytus.chancery", "sequence": 0,
             "participants": [{"participant_id": str(uuid.uuid4()), "name": "Nino Beridze",
                               "email": "nino@example.org", "language": "ka"}]}
    appointment = {"appointment_id": str(uuid.uuid4()), "official_id": str(uuid.uuid4()),
                   "official_name": "Ilir Meta", "starts_at": "2026-12-07T10:00:00+01:00",
                   "ends_at": "2026-12-07T10:15:00+01:00", "time_zone": "Europe/Tirane",
                   "place": "Zyra e kryetarit", "topic": "Ndriçimi në lagjen Çole",
                   "visitor": {"name": "Arbër Hoxha", "email": "arber@example.org",
                               "language": "sq"}}
    return {
        "event.scheduled": {**event, "scheduled_at": "2026-11-25T09:00:00+02:00"},
        "event.updated": {**event, "sequence": 1, "changes": ["venue"],
                          "updated_at": "2026-11-26T09:00:00+02:00"},
        "event.cancelled": {**event, "sequence": 2, "reason": "Vizitas atidėtas",
                            "cancelled_at": "2026-11-27T09:00:00+02:00"},
        "appointment.booked": {**appointment, "booked_by": "clerk-1",
                               "booked_at": "2026-12-01T09:00:00+01:00"},
        "appointment.cancelled": {**appointment, "reason": "Banori nuk mund të vijë",
                                  "cancelled_by": "clerk-1",
                                  "cancelled_at": "2026-12-02T09:00:00+01:00"},
        "appointment.reminder_due": {**appointment, "hours_before": 24},
        "invitation.awaiting_decision": {
            "invitation_id": str(uuid.uuid4()), "title": "Rīgas pilsētas svētki",
            "inviter": "Rīgas valstspilsētas pašvaldība", "city": "Rīga", "country": "LV",
            "starts_on": "2027-08-18", "ends_on": "2027-08-20", "respond_by": "2027-06-01",
            "department_code": "COMM", "letter_id": letter_id,
            "registration_number": "G-2026-00017"},
        "delegation.visit_approved": {
            "visit_id": str(uuid.uuid4()), "title": "ქუთაისის დელეგაციის ვიზიტი",
            "city": "ქუთაისი", "country": "GE", "arrives_at": "2026-12-02T18:00:00+02:00",
            "departs_at": "2026-12-05T10:00:00+02:00", "host_department_code": "COMM",
            "members": [{"name": "გიორგი ბერიძე", "role": "mayor", "country": "GE",
                         "language": "ka", "head": True}],
            "approved_by": "mayor-1", "approved_at": "2026-11-20T09:00:00+02:00"},
        "invitation.decided": {
            "invitation_id": str(uuid.uuid4()), "title": "Rīgas pilsētas svētki",
            "inviter": "Rīgas valstspilsētas pašvaldība", "status": "approved",
            "note": "Brauks mero pavaduotojas", "decided_by": "mayor-1",
            "decided_at": "2026-06-01T10:00:00+03:00", "city": "Rīga", "country": "LV",
            "starts_on": "2027-08-18", "ends_on": "2027-08-20", "department_code": "COMM",
            "letter_id": letter_id, "registration_number": "G-2026-00017"},
        "proposal.referred": {
            "proposal_id": str(uuid.uuid4()), "title": "Përbashkët: festivali i detit",
            "received_on": "2026-11-20", "referred_to": "Komisioni i kulturës",
            "department_code": None, "referred_at": "2026-11-21T10:00:00+01:00"},
        "accreditation.decided": {
            "accreditation_id": str(uuid.uuid4()), "event_id": str(uuid.uuid4()),
            "event_title": {"ka": "პრესკონფერენცია"}, "starts_at": "2026-12-03T12:00:00+04:00",
            "ends_at": "2026-12-03T13:00:00+04:00", "time_zone": "Asia/Tbilisi",
            "venue": "მერიის დარბაზი", "status": "approved", "badge_number": "PRESS-001",
            "journalist": "ნინო ბერიძე", "outlet": "ლაგოდეხის ამბები",
            "email": "nino@example.org", "language": "ka",
            "decided_at": "2026-12-01T09:00:00+04:00"},
        "agreement.expiring": {
            "agreement_id": str(uuid.uuid4()), "title": "Sadarbības līgums",
            "partner_city": "Daugavpils", "partner_country": "LV", "ends_on": "2027-02-01",
            "days_left": 60, "renewal": "manual", "department_code": "COMM"},
        "project.deadline_approaching": {
            "project_id": str(uuid.uuid4()), "title": "Interreg: Ura e Vjosës",
            "programme": "Interreg IPA", "deadline_kind": "application",
            "deadline_on": "2027-01-15", "days_left": 14, "department_code": "COMM"},
        "letter.registered": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017",
            "register": "incoming", "kind": "application", "channel": "e_services",
            "language": "lt", "subject": "Prašymas dėl Šiaulių gatvės apšvietimo",
            "addressee": {"kind": "mayor"},
            "sender": {"type": "person", "name": "Ona Žemaitytė",
                       "email": "ona@example.org", "preferred_language": "lt"},
            "confidentiality": "normal", "received_at": "2026-11-20T09:15:00+02:00",
            "registered_at": "2026-11-20T09:20:00+02:00", "status_lookup_code": "K7Q-2M4",
            "municipality": "alytus",
        },
        "letter.reply_registered": {
            "letter_id": letter_id, "registration_number": "IZS-2026-00031",
            "register": "outgoing", "kind": "reply", "language": "lv",
            "subject": "Atbilde par Ķīšezera krastu",
            "recipient": {"type": "person", "name": "Jānis Bērziņš"},
            "in_reply_to_letter_id": str(uuid.uuid4()),
            "registered_at": "2026-11-21T14:00:00+02:00",
        },
        "letter.not_ours": {
            "letter_id": letter_id, "registration_number": "HYR-2026-00044",
            "reason": "Kërkesa i përket Prefekturës së Vlorës",
            "forwarded_to": "Prefektura e Qarkut Vlorë",
            "decided_at": "2026-11-22T10:00:00+01:00",
        },
        "letter.archived": {
            "letter_id": letter_id, "registration_number": "შ-2026-00005",
            "archived_at": "2026-12-01T12:00:00+04:00",
        },
        "letter.voided": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00018",
            "reason": "Užregistruota du kartus", "voided_at": "2026-11-20T10:00:00+02:00",
        },
        "destruction.executed": {
            "act_number": 3, "letter_ids": [letter_id],
            "registration_numbers": ["GAU-2020-00017"],
            "ordered_at": "2032-01-12T10:00:00+02:00",
        },
        "letter.access_code_issued": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017", "language": "lv",
            "status_lookup_code": "K7XQ2M9PRT", "issued_at": "2026-11-21T09:00:00+02:00",
        },
        "letter.routed": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017",
            "department_code": "URBAN", "copy_department_codes": ["COMM"],
            "due_date": "2026-12-18", "rule": "Planning and building",
            "routed_at": "2026-11-20T09:21:00+02:00",
        },
        "letter.status_changed": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017",
            "previous_status": "routed", "status": "in_progress",
            "changed_at": "2026-11-23T08:00:00+02:00",
        },
        "letter.triaged": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017",
            "reason": "no rule matched and no department is addressed: manual triage",
            "triaged_at": "2026-11-23T08:00:00+02:00",
        },
        "letter.answered": {
            "letter_id": letter_id, "registration_number": "GAU-2026-00017",
            "answered_at": "2026-12-10T16:00:00+02:00",
            "reply_registration_number": "SIU-2026-00099",
        },
        "letter.deadline_extended": {
            "letter_id": letter_id, "registration_number": "P-2026-00017",
            "previous_due_date": "2026-12-18", "due_date": "2027-01-05",
            "reason": "Reikia gauti kitų institucijų išvadas",
            "extended_at": "2026-12-10T09:00:00+02:00",
            "explanation": {"lt": ["Pratęsiama dabartinė termino diena 2026-12-18 "
                                   "(penktadienis)"]},
        },
        "staff.member_changed": {
            "subject": "zane.ozola", "name": "Zane Ozola", "department_code": "COMM",
            "roles": ["department_head"],
            "positions": {"lv": "Komunikācijas nodaļas vadītāja", "en": "Head of communication"},
            "email": "zane.ozola@example.org", "phone": None, "language": "lv",
            "active": True, "changed_at": "2026-11-20T09:00:00+02:00",
        },
        "calendar.day_declared": {
            "day": "2026-01-05", "working": False,
            "reason": "დასვენების დღე (საახალწლო დღესასწაულები)",
            "decree": "Government of Georgia decree No. 2345 of 2025-12-20",
            "hours_of": None, "declared_by": "operator-1",
            "declared_at": "2025-12-22T10:00:00+04:00",
        },
        "assignment.created": {
            **assignment, "assigned_by": "mer-1", "created_at": "2026-11-20T09:21:00+02:00",
        },
        "assignment.due_soon": {**assignment, "working_days_left": 3},
        "assignment.overdue": {**assignment, "days_overdue": 2},
        "endorsement.requested": {
            **endorsement, "requested_at": "2026-12-01T10:00:00+04:00",
        },
        "endorsement.approved": {
            **endorsement, "approved_by": "director-1",
            "approved_at": "2026-12-02T10:00:00+04:00",
        },
        "endorsement.returned": {
            **endorsement, "returned_by": "head-1", "comment": "გთხოვთ, დააზუსტოთ თარიღები",
            "returned_at": "2026-12-02T10:00:00+04:00",
        },
        "letter.submitted": {
            "idempotency_key": f"reception:{letter_id}", "kind": "application",
            "channel": "in_person", "language": "sq",
            "subject": "Kërkesë për ndriçim rrugor në lagjen Çole",
            "addressee": {"kind": "mayor"},
            "sender": {"type": "person", "name": "Arbër Hoxha", "phone": "+355 69 000 0000"},
            "received_at": "2026-12-07T10:05:00+01:00"},
        "notification.requested": {
            "idempotency_key": f"transport-system-{letter_id}",
            "recipient": {"email": "arber.hoxha@example.org", "name": "Arbër Hoxha"},
            "channel": "email", "template": "generic", "language": "sq",
            "data": {"title": "Ndërprerje e ujit", "message": "Nesër në lagjen Çole."},
        },
    }


def test_every_catalogue_type_has_a_sample() -> None:
    assert {entry.type for entry in CATALOGUE} == set(_samples())


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_producer_and_consumers_are_known_services(entry) -> None:
    assert entry.producer in SERVICES or (entry.command and entry.producer == ANY_SENDER)
    assert entry.consumers
    assert set(entry.consumers) <= set(SERVICES)
    assert entry.producer not in entry.consumers


def test_routing_keys_are_unique() -> None:
    keys = [entry.routing_key for entry in CATALOGUE]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_schema_loads_a_realistic_sample(entry) -> None:
    sample = _samples()[entry.type]
    loaded = entry.schema().load(sample)
    for key in ("letter_id", "assignment_id", "registration_number", "idempotency_key"):
        if key in sample:
            assert str(loaded[key]) == sample[key]


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_schema_ignores_unknown_fields(entry) -> None:
    sample = {**_samples()[entry.type], "added_in_a_later_release": "ნინო ბერიძე"}
    loaded = entry.schema().load(sample)
    assert "added_in_a_later_release" not in loaded


@pytest.mark.parametrize("entry", [c for c in CATALOGUE
                                   if "letter_id" in c.schema().fields
                                   and c.schema().fields["letter_id"].required],
                         ids=lambda e: e.routing_key)
def test_schema_requires_the_letter_id(entry) -> None:
    sample = dict(_samples()[entry.type])
    del sample["letter_id"]
    errors = entry.schema().validate(sample)
    assert errors == {"letter_id": ["Missing data for required field."]}


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.routing_key)
def test_summary_names_the_type(entry) -> None:
    assert entry.summary.startswith(f"``{entry.type}`` v{entry.version}")


def test_registered_sample_keeps_nested_unicode_and_parses_times() -> None:
    loaded = contract("letter.registered", 1).schema().load(_samples()["letter.registered"])
    assert loaded["sender"]["name"] == "Ona Žemaitytė"
    assert loaded["received_at"] == datetime.fromisoformat("2026-11-20T09:15:00+02:00")
    assert loaded["summary"] is None


def test_routed_sample_parses_the_due_date() -> None:
    loaded = contract("letter.routed", 1).schema().load(_samples()["letter.routed"])
    assert loaded["due_date"] == date(2026, 12, 18)
    assert loaded["copy_department_codes"] == ["COMM"]


def test_registered_refuses_a_naive_time() -> None:
    sample = {**_samples()["letter.registered"], "received_at": "2026-11-20T09:15:00"}
    errors = contract("letter.registered", 1).schema().validate(sample)
    assert errors == {"received_at": ["Not a valid aware datetime."]}


def test_contract_finds_type_and_version() -> None:
    entry = contract("letter.routed", 1)
    assert entry.producer == "routing"
    assert entry.routing_key == "letter.routed.v1"


@pytest.mark.parametrize(("message_type", "version"),
                         [("letter.routed", 2), ("letter.lost", 1), ("", 1)])
def test_contract_raises_key_error_for_unknown(message_type: str, version: int) -> None:
    with pytest.raises(KeyError, match="not in the message catalogue"):
        contract(message_type, version)


def test_the_access_code_is_the_only_secret_field() -> None:
    assert {(c.type, c.secret_fields) for c in CATALOGUE if c.secret_fields} == {
        ("letter.registered", ("status_lookup_code",)),
        ("letter.access_code_issued", ("status_lookup_code",))}
    assert secret_values("letter.registered", {"status_lookup_code": "K7XQ2M9PRT",
                                               "subject": "Iesniegums"}) == ["K7XQ2M9PRT"]
    assert secret_values("letter.routed", {"rule": "Planning"}) == []


def test_produced_by() -> None:
    assert {c.type for c in produced_by("routing")} == {
        "letter.routed", "letter.status_changed", "letter.triaged", "letter.answered",
        "letter.deadline_extended", "assignment.created", "assignment.due_soon",
        "assignment.overdue", "endorsement.requested", "endorsement.approved",
        "endorsement.returned", "calendar.day_declared", "staff.member_changed"}
    assert {c.type for c in produced_by("intake")} == {
        "letter.registered", "letter.reply_registered", "letter.not_ours",
        "letter.archived", "letter.voided", "letter.access_code_issued",
        "destruction.executed"}
    assert produced_by("notifications") == ()
    assert {c.type for c in produced_by("protocol-events")} == {
        "event.scheduled", "event.updated", "event.cancelled", "appointment.booked",
        "appointment.cancelled", "appointment.reminder_due", "accreditation.decided"}
    assert {c.type for c in produced_by("foreign-relations")} == {
        "invitation.awaiting_decision", "invitation.decided", "proposal.referred",
        "delegation.visit_approved", "agreement.expiring", "project.deadline_approaching"}


def test_consumed_by() -> None:
    assert {c.type for c in consumed_by("intake")} == {
        "letter.submitted", "letter.routed", "letter.status_changed", "letter.triaged",
        "letter.answered", "letter.deadline_extended", "endorsement.requested",
        "endorsement.approved", "endorsement.returned"}
    assert {c.type for c in consumed_by("routing")} == {
        "letter.registered", "letter.reply_registered", "letter.not_ours",
        "letter.archived", "letter.voided", "destruction.executed", "invitation.decided"}
    assert {c.type for c in consumed_by("foreign-relations")} == {
        "letter.registered", "letter.routed", "calendar.day_declared"}
    assert len(consumed_by("notifications")) == 30
    assert {c.type for c in consumed_by("protocol-events")} == {
        "delegation.visit_approved", "letter.registered", "calendar.day_declared"}


@pytest.mark.parametrize("service", ["intake", "routing", "notifications", "foreign-relations"])
def test_work_queue_binds_exactly_the_consumed_routing_keys(service: str) -> None:
    queue = work_queue(service, delivery_limit=5)
    bound = {(b.exchange.name, b.routing_key) for b in queue.bindings}
    expected = {(c.exchange, c.routing_key) for c in consumed_by(service)}
    assert bound == expected
    assert len(queue.bindings) == len(consumed_by(service))


def test_work_queue_of_intake_binds_to_routing_events_and_its_own_commands() -> None:
    queue = work_queue("intake", delivery_limit=5)
    assert {(b.exchange.name, b.exchange.type) for b in queue.bindings} == {
        ("routing.events", "topic"), ("intake.commands", "direct")}
    assert all(b.exchange.durable for b in queue.bindings)


def test_work_queue_arguments() -> None:
    queue = work_queue("routing", delivery_limit=7)
    assert queue.name == queue_name("routing") == "routing.messages"
    assert queue.durable
    assert queue.queue_arguments["x-queue-type"] == "quorum"
    assert queue.queue_arguments["x-delivery-limit"] == 7
    assert queue.queue_arguments["x-dead-letter-exchange"] == dead_letter_name("routing")
    assert dead_letter_name("routing") == "routing.dead-letter"
