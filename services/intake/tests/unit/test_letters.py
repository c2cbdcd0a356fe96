"""Intake's use cases on a real SQLite file, with a clock the tests move."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select

import chancery_testing
from chancery.db import new_id
from chancery.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
)
from chancery.idempotency import IdempotentRequest, StoredResponse, fingerprint
from chancery.messages.consumer import Outcome
from chancery.paging import PageRequest
from chancery.principal import Principal
from chancery.runtime import alembic_config, message_handling
from chancery_testing import message_body, someone
from intake.adapters.models import Letter
from intake.adapters.repositories import LetterFilters
from intake.domain.access import hash_access_code
from intake.usecases.letters import RegisteredLetter, RegisterLetter
from intake.usecases.records import FilePlans
from intake.usecases.status import CitizenStatus

ONA = {**chancery_testing.ONA, "address": "Žalgirio g. 7, Alytus"}
JANIS = {"type": "person", "name": "Jānis Bērziņš", "preferred_language": "lv"}
NINO = {"type": "organisation", "name": "ნინო ბერიძე", "organisation": "თელავის მუნიციპალიტეტი"}
ARBER = {"type": "person", "name": "Arbër Hoxha", "preferred_language": "sq"}
# Counting what a reader may see is a page asked with its total.
COUNTED = PageRequest(with_total=True)
LT_SUBJECT = "Dėl neišvežtų šiukšlių Žalgirio gatvėje"


def _staff(department: str) -> Principal:
    return someone("department_staff", department=department)


def _incoming(
    kind: str = "complaint",
    subject: str = LT_SUBJECT,
    language: str = "lt",
    correspondent: dict[str, Any] | None = None,
    **changes: Any,
) -> RegisterLetter:
    fields = {"channel": "email", "addressee": {"kind": "mayor"}, **changes}
    return RegisterLetter(
        direction="incoming",
        kind=kind,
        language=language,
        subject=subject,
        correspondent=correspondent or ONA,
        **fields,
    )


def _outgoing(
    in_reply_to: str | None = None,
    kind: str = "reply",
    subject: str = "Atsakymas dėl šiukšlių išvežimo",
) -> RegisterLetter:
    return RegisterLetter(
        direction="outgoing",
        kind=kind,
        language="lt",
        subject=subject,
        correspondent=ONA,
        in_reply_to=in_reply_to,
    )


@pytest.fixture
def system(make_system, clock):
    """Intake's production wiring on the test's clock."""
    return make_system(clock=clock)


@pytest.fixture
def intake(system: Any) -> Any:
    """The system whose use cases the tests call, on the test's clock."""
    return system


@pytest.fixture
def handling(system):
    return message_handling(system.wiring)


def _routed(
    letter_id: str,
    department: str,
    copies: list[str],
    due: date,
    at: datetime,
    message_id: str | None = None,
) -> bytes:
    return message_body(
        "letter.routed",
        {
            "letter_id": letter_id,
            "registration_number": "P-2026-00001",
            "department_code": department,
            "copy_department_codes": copies,
            "due_date": due.isoformat(),
            "rule": "Complaints addressed to the mayor",
            "routed_at": at.isoformat(),
        },
        message_id=message_id,
        producer="routing",
    )


def _status_changed(letter_id: str, previous: str, status: str, at: datetime) -> bytes:
    return message_body(
        "letter.status_changed",
        {
            "letter_id": letter_id,
            "registration_number": "P-2026-00001",
            "previous_status": previous,
            "status": status,
            "changed_at": at.isoformat(),
        },
        producer="routing",
    )


def _answered(letter_id: str, at: datetime) -> bytes:
    return message_body(
        "letter.answered",
        {
            "letter_id": letter_id,
            "registration_number": "P-2026-00001",
            "answered_at": at.isoformat(),
        },
        producer="routing",
    )


# Numbers -------------------------------------------------------------------------------


def test_numbers_are_consecutive_per_register_in_the_profiles_format(intake):
    numbers = [
        intake.register(_incoming(kind)).letter.registration_number
        for kind in ("complaint", "letter", "application", "invitation", "complaint")
    ]
    numbers.append(intake.register(_outgoing(kind="letter")).letter.registration_number)
    assert numbers == [
        "P-2026-00001",
        "G-2026-00001",
        "P-2026-00002",
        "G-2026-00002",
        "P-2026-00003",
        "S-2026-00001",
    ]


def test_the_year_is_the_municipalitys_local_year(intake, clock):
    clock.now = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)  # 23:30 in Vilnius
    last = intake.register(_incoming()).letter
    clock.now = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 January in Vilnius
    first = intake.register(_incoming()).letter
    second = intake.register(_incoming()).letter
    assert (last.registration_number, last.year, last.sequence) == ("P-2026-00001", 2026, 1)
    assert (first.registration_number, first.year, first.sequence) == ("P-2027-00001", 2027, 1)
    assert second.registration_number == "P-2027-00002"


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (
            _incoming(addressee={"kind": "department", "department_code": "NOPE"}),
            "addressee.department_code",
        ),
        (_incoming(addressee={"kind": "department"}), "addressee.department_code"),
        (_incoming(received_at=datetime(2026, 3, 10, 7, 36, tzinfo=UTC)), "received_at"),
        (_incoming(received_at=datetime(1999, 12, 31, 12, 0, tzinfo=UTC)), "received_at"),
        (_incoming(received_at=datetime(450, 7, 24, 8, 0, tzinfo=UTC)), "received_at"),
    ],
)
def test_a_refused_registration_takes_no_number_and_writes_nothing(system, intake, command, field):
    first = intake.register(_incoming()).letter
    before = system.snapshot()
    with pytest.raises(InvalidInput) as refused:
        intake.register(command)
    assert refused.value.field == field
    assert system.snapshot() == before
    assert before["letters"] == 1
    assert before["outbox"] == 1
    assert before["counters"] == [("applications", 2026, 1)]
    assert first.registration_number == "P-2026-00001"
    assert intake.register(_incoming()).letter.registration_number == "P-2026-00002"


def test_a_failure_after_the_number_was_drawn_gives_the_number_back(system, intake):
    intake.register(_incoming())
    before = system.snapshot()
    # Without a channel the letter.registered message breaks its contract: the
    # number and the letter were already written in the transaction when it fails.
    with pytest.raises(ValueError, match="channel"):
        intake.register(dataclasses.replace(_incoming(), channel=None))
    assert system.snapshot() == before
    assert intake.register(_incoming()).letter.registration_number == "P-2026-00002"


def test_received_at_a_little_ahead_of_the_clock_is_tolerated(intake, clock):
    ahead = clock.now + timedelta(minutes=4)
    letter = intake.register(_incoming(received_at=ahead)).letter
    assert letter.received_at == ahead
    assert letter.registered_at == clock.now


# The letter.registered message --------------------------------------------------------------


def test_letter_registered_carries_the_subject_byte_for_byte_and_the_access_code(
    system, intake, clock
):
    registered = intake.register(_incoming(summary="Konteineriai neištuštinti dvi savaites."))
    [row] = system.outbox("letter.registered")
    payload = row["envelope"]["payload"]
    stored = system.letter(registered.letter.id)

    assert LT_SUBJECT.encode() in row["body"].encode("utf-8")
    assert "Ona Žemaitytė".encode() in row["body"].encode("utf-8")
    assert payload["subject"] == LT_SUBJECT
    assert payload["sender"]["name"] == "Ona Žemaitytė"
    assert payload["sender"]["address"] == "Žalgirio g. 7, Alytus"
    assert payload["summary"] == "Konteineriai neištuštinti dvi savaites."
    assert payload["letter_id"] == registered.letter.id
    assert payload["registration_number"] == "P-2026-00001"
    assert payload["register"] == "applications"
    assert payload["municipality"] == "alytus"
    assert payload["received_at"] == "2026-03-10T07:30:00+00:00"
    assert payload["status_lookup_code"] == registered.access_code
    assert len(registered.access_code) == 10
    assert hash_access_code(payload["status_lookup_code"]) == stored.access_code_hash
    assert stored.subject == LT_SUBJECT
    assert row["routing_key"] == "letter.registered.v1"
    assert row["envelope"]["producer"] == "intake"


def test_outgoing_letters_have_no_access_code(system, intake):
    registered = intake.register(_outgoing(kind="letter"))
    assert registered.access_code is None
    assert system.letter(registered.letter.id).access_code_hash is None
    assert system.outbox("letter.registered") == []
    [row] = system.outbox("letter.reply_registered")
    assert row["envelope"]["payload"]["in_reply_to_letter_id"] is None


# Idempotency ------------------------------------------------------------------------------


def test_an_idempotent_replay_returns_the_first_body_and_creates_nothing(system, intake):
    clerk = someone("registrar")
    document = {"kind": "complaint", "subject": LT_SUBJECT}
    request = IdempotentRequest(
        scope=f"{clerk.subject}:POST /letters",
        key=uuid.uuid4().hex,
        fingerprint=fingerprint(document),
    )
    calls: list[RegisteredLetter] = []

    def respond(registered: RegisteredLetter) -> StoredResponse:
        calls.append(registered)
        return StoredResponse(
            201, system.answer_body(registered), {"Location": f"/letters/{registered.letter.id}"}
        )

    first = intake.letters.register(_incoming(), clerk, new_id(), request, respond)
    after_first = system.snapshot()
    again = intake.letters.register(_incoming(), clerk, new_id(), request, respond)

    assert len(calls) == 1
    assert first.replayed is False
    assert again.replayed is True
    assert again.status == 201
    assert again.body == first.body
    assert again.body["subject"] == LT_SUBJECT
    assert again.headers == {"Location": f"/letters/{calls[0].letter.id}"}
    assert system.snapshot() == after_first
    assert after_first["letters"] == 1
    assert after_first["idempotency"] == 1


def test_the_same_key_with_another_body_is_refused(system, intake):
    clerk = someone("registrar")
    key = uuid.uuid4().hex
    scope = f"{clerk.subject}:POST /letters"
    intake.register(
        _incoming(),
        clerk,
        IdempotentRequest(scope, key, fingerprint({"subject": LT_SUBJECT})),
    )
    before = system.snapshot()
    with pytest.raises(InvalidInput) as refused:
        intake.register(
            _incoming(subject="Kitas"),
            clerk,
            IdempotentRequest(scope, key, fingerprint({"subject": "Kitas"})),
        )
    assert refused.value.field == "Idempotency-Key"
    assert system.snapshot() == before


def test_the_same_key_of_another_clerk_is_another_request(system, intake):
    key = uuid.uuid4().hex
    document = fingerprint({"subject": LT_SUBJECT})
    for _ in range(2):
        clerk = someone("registrar")
        intake.register(
            _incoming(),
            clerk,
            IdempotentRequest(f"{clerk.subject}:POST /letters", key, document),
        )
    assert system.snapshot()["letters"] == 2


# Replies ------------------------------------------------------------------------------------


def test_a_reply_by_registration_number_links_and_announces_it(system, intake, handling, clock):
    incoming = intake.register(_incoming()).letter
    decision = handling.handle(
        _routed(incoming.id, "LEGAL", ["COMM"], date(2026, 4, 7), clock.now + timedelta(minutes=1))
    )
    assert decision.outcome is Outcome.HANDLED
    legal = _staff("LEGAL")
    reply = intake.register(_outgoing(in_reply_to="P-2026-00001"), legal).letter

    assert reply.registration_number == "S-2026-00001"
    assert reply.in_reply_to_id == incoming.id
    assert reply.department_code == "LEGAL"
    assert reply.registered_by == legal.subject
    [row] = system.outbox("letter.reply_registered")
    payload = row["envelope"]["payload"]
    assert payload["in_reply_to_letter_id"] == incoming.id
    assert payload["in_reply_to_registration_number"] == "P-2026-00001"
    assert payload["registration_number"] == "S-2026-00001"
    assert payload["recipient"]["name"] == "Ona Žemaitytė"
    assert payload["subject"] == "Atsakymas dėl šiukšlių išvežimo"
    assert payload["department_code"] == "LEGAL"
    _, replies, _ = intake.letters.read(incoming.id, someone("registrar"))
    assert [(r.id, r.registration_number) for r in replies] == [(reply.id, "S-2026-00001")]


def test_a_reply_by_id_works_too(intake):
    incoming = intake.register(_incoming()).letter
    reply = intake.register(_outgoing(in_reply_to=incoming.id)).letter
    assert reply.in_reply_to_id == incoming.id


@pytest.mark.parametrize("target", ["outgoing", "unknown", "voided", "not_readable"])
def test_replies_only_answer_open_incoming_letters_the_author_can_read(system, intake, target):
    incoming = intake.register(_incoming()).letter
    outgoing = intake.register(_outgoing(kind="letter")).letter
    principal = someone("registrar")
    in_reply_to = {
        "outgoing": outgoing.registration_number,
        "unknown": "P-2026-99999",
        "voided": incoming.registration_number,
        "not_readable": incoming.registration_number,
    }[target]
    if target == "voided":
        intake.letters.void(incoming.id, "Užregistruota per klaidą", principal, "c")
    if target == "not_readable":
        principal = _staff("EDU")
    before = system.snapshot()
    with pytest.raises(InvalidInput) as refused:
        intake.register(_outgoing(in_reply_to=in_reply_to), principal)
    assert refused.value.field == "in_reply_to"
    assert system.snapshot() == before
    assert intake.register(_outgoing(kind="letter")).letter.registration_number == "S-2026-00002"


# Decisions of the registry -----------------------------------------------------------------


def test_void_closes_the_letter_and_announces_it(system, intake, clock):
    letter = intake.register(_incoming()).letter
    clock.advance(hours=2)
    voided = intake.letters.void(letter.id, "Reģistrēts kļūdas pēc", someone("registrar"), "c-void")
    assert voided.status == "voided"
    assert voided.closing_reason == "Reģistrēts kļūdas pēc"
    assert voided.status_changed_at == clock.now
    assert voided.version == 2
    stored = system.letter(letter.id)
    assert (stored.status, stored.registration_number) == ("voided", "P-2026-00001")
    [row] = system.outbox("letter.voided")
    assert row["envelope"]["payload"] == {
        "letter_id": letter.id,
        "registration_number": "P-2026-00001",
        "reason": "Reģistrēts kļūdas pēc",
        "voided_at": "2026-03-10T09:30:00+00:00",
    }
    assert row["envelope"]["correlation_id"] == "c-void"
    assert "Reģistrēts kļūdas pēc".encode() in row["body"].encode()


def test_a_voided_letter_cannot_be_voided_weeded_out_or_archived(system, intake):
    letter = intake.register(_incoming()).letter
    clerk = someone("registrar")
    intake.letters.void(letter.id, "Dublikatas", clerk, "c")
    before = system.snapshot()
    with pytest.raises(Conflict):
        intake.letters.void(letter.id, "Dar kartą", clerk, "c")
    with pytest.raises(Conflict):
        intake.letters.weed_out(letter.id, "Ne mūsų", None, clerk, "c")
    with pytest.raises(Conflict):
        intake.letters.archive(letter.id, "A-1", clerk, "c")
    assert system.snapshot() == before
    assert system.letter(letter.id).status == "voided"


def test_weed_out_then_archive(system, intake, clock):
    FilePlans(system.wiring.unit_of_work, intake.letters.profile).import_shipped_plan(2026)
    letter = intake.register(
        _incoming(kind="invitation", correspondent=NINO, language="ka", subject="მოწვევა ფორუმზე"),
    ).letter
    clerk = someone("registrar")
    clock.advance(minutes=10)
    weeded = intake.letters.weed_out(
        letter.id, "Ne savivaldybės kompetencija", "თელავის მუნიციპალიტეტი", clerk, "c"
    )
    assert (weeded.status, weeded.forwarded_to) == ("not_ours", "თელავის მუნიციპალიტეტი")
    assert weeded.closing_reason == "Ne savivaldybės kompetencija"
    [row] = system.outbox("letter.not_ours")
    assert row["envelope"]["payload"]["forwarded_to"] == "თელავის მუნიციპალიტეტი"
    assert row["envelope"]["payload"]["decided_at"] == "2026-03-10T07:40:00+00:00"

    clock.advance(days=1)
    archived = intake.letters.archive(letter.id, "1.3", clerk, "c")
    assert (archived.status, archived.file_reference) == ("archived", "1.3")
    assert archived.closing_reason == "Ne savivaldybės kompetencija"
    [row] = system.outbox("letter.archived")
    assert row["envelope"]["payload"] == {
        "letter_id": letter.id,
        "registration_number": "G-2026-00001",
        "archived_at": "2026-03-11T07:40:00+00:00",
        "file_reference": "1.3",
    }
    with pytest.raises(Conflict):
        intake.letters.void(letter.id, "Per vėlu", clerk, "c")


def test_a_registered_incoming_letter_cannot_be_archived(system, intake):
    letter = intake.register(_incoming()).letter
    before = system.snapshot()
    with pytest.raises(Conflict) as refused:
        intake.letters.archive(letter.id, "A-1", someone("registrar"), "c")
    assert "answered or closed or not_ours" in refused.value.detail
    assert system.snapshot() == before
    assert system.letter(letter.id).status == "registered"


def test_an_answered_incoming_and_a_registered_outgoing_letter_can_be_archived(
    intake, handling, clock
):
    incoming = intake.register(_incoming()).letter
    assert (
        handling.handle(_answered(incoming.id, clock.now + timedelta(days=3))).outcome
        is Outcome.HANDLED
    )
    outgoing = intake.register(_outgoing(kind="letter")).letter
    clerk = someone("registrar")
    assert intake.letters.archive(incoming.id, None, clerk, "c").status == "archived"
    assert intake.letters.archive(outgoing.id, None, clerk, "c").status == "archived"


def test_outgoing_letters_cannot_be_weeded_out(intake):
    outgoing = intake.register(_outgoing(kind="letter")).letter
    with pytest.raises(Conflict):
        intake.letters.weed_out(outgoing.id, "Ne mūsų", None, someone("registrar"), "c")


def test_a_stale_version_is_refused(system, intake):
    letter = intake.register(_incoming()).letter
    clerk = someone("registrar")
    with pytest.raises(PreconditionFailed):
        intake.letters.void(letter.id, "Klaida", clerk, "c", expected_version=2)
    assert system.letter(letter.id).status == "registered"
    assert intake.letters.void(letter.id, "Klaida", clerk, "c", expected_version=1).version == 2


def test_decisions_on_unknown_letters_are_not_found(intake):
    with pytest.raises(NotFound):
        intake.letters.void(str(uuid.uuid4()), "Klaida", someone("registrar"), "c")


# The citizen ------------------------------------------------------------------------------

CLIENT = "198.51.100.7"


def test_the_citizen_sees_only_status_and_dates(intake, handling, clock):
    registered = intake.register(_incoming(received_at=datetime(2026, 3, 9, 22, 15, tzinfo=UTC)))
    assert [f.name for f in dataclasses.fields(CitizenStatus)] == [
        "registration_number",
        "status",
        "received_on",
        "registered_on",
        "due_date",
        "answered_on",
        "status_changed_on",
        "department_code",
        "reply_registration_number",
    ]
    seen = intake.status.citizen_status("P-2026-00001", registered.access_code, CLIENT)
    assert seen == CitizenStatus(
        registration_number="P-2026-00001",
        status="registered",
        received_on=date(2026, 3, 10),  # 00:15 in Vilnius
        registered_on=date(2026, 3, 10),
        due_date=None,
        answered_on=None,
        status_changed_on=date(2026, 3, 10),
    )

    handling.handle(
        _routed(
            registered.letter.id,
            "LEGAL",
            [],
            date(2026, 4, 7),
            datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
        )
    )
    reply = intake.register(_outgoing(in_reply_to=registered.letter.id)).letter
    handling.handle(_answered(registered.letter.id, datetime(2026, 3, 20, 21, 0, tzinfo=UTC)))
    typed = f"{registered.access_code[:5].lower()}-{registered.access_code[5:]}"
    assert intake.status.citizen_status("P-2026-00001", typed, CLIENT) == CitizenStatus(
        registration_number="P-2026-00001",
        status="answered",
        received_on=date(2026, 3, 10),
        registered_on=date(2026, 3, 10),
        due_date=date(2026, 4, 7),
        answered_on=date(2026, 3, 20),
        status_changed_on=date(2026, 3, 20),
        department_code="LEGAL",
        reply_registration_number=reply.registration_number,
    )


def test_outgoing_and_unknown_numbers_are_not_found(intake):
    registered = intake.register(_incoming())
    intake.register(_outgoing(kind="letter"))
    with pytest.raises(NotFound):
        intake.status.citizen_status("S-2026-00001", registered.access_code, CLIENT)
    with pytest.raises(NotFound):
        intake.status.citizen_status("P-2026-00002", registered.access_code, CLIENT)


def _refused_as_unknown(intake, number: str, code: str, times: int) -> str:
    """Ask ``times`` with a wrong code; each is "not found". The wrong code, to ask again."""
    wrong = "".join("A" if ch != "A" else "B" for ch in code)
    for _ in range(times):
        with pytest.raises(NotFound):
            intake.status.citizen_status(number, wrong, CLIENT)
    return wrong


def test_five_wrong_codes_refuse_that_client_that_number_for_a_window(intake, clock):
    registered = intake.register(_incoming())
    number, code = "P-2026-00001", registered.access_code
    wrong = _refused_as_unknown(intake, number, code, 5)

    with pytest.raises(TooManyRequests) as refused:
        intake.status.citizen_status(number, code, CLIENT)
    assert refused.value.retry_after == 901
    assert intake.status.citizen_status(number, code, "203.0.113.9").status == "registered"
    clock.advance(minutes=10)
    with pytest.raises(TooManyRequests) as still_refused:
        intake.status.citizen_status(number, wrong, CLIENT)
    assert still_refused.value.retry_after == 301

    clock.advance(minutes=5, seconds=1)
    assert intake.status.citizen_status(number, code, CLIENT).status == "registered"


def test_a_new_window_starts_counting_from_one(intake, clock):
    registered = intake.register(_incoming())
    number, code = "P-2026-00001", registered.access_code
    _refused_as_unknown(intake, number, code, 4)
    clock.advance(minutes=15)
    _refused_as_unknown(intake, number, code, 4)
    assert intake.status.citizen_status(number, code, CLIENT).registration_number == number


# The workflow's messages --------------------------------------------------------------------


def test_letter_routed_sets_department_copies_due_date_and_status(system, intake, handling, clock):
    letter = intake.register(_incoming()).letter
    at = clock.now + timedelta(seconds=5)
    decision = handling.handle(_routed(letter.id, "LEGAL", ["COMM", "FIN"], date(2026, 4, 7), at))
    assert decision.outcome is Outcome.HANDLED
    stored = system.letter(letter.id)
    assert stored.department_code == "LEGAL"
    assert stored.copy_department_codes == ["COMM", "FIN"]
    assert stored.copy_departments == ",COMM,FIN,"
    assert stored.due_date == date(2026, 4, 7)
    assert (stored.status, stored.status_changed_at) == ("routed", at)
    assert stored.version == 2
    assert (
        intake.searches.search(
            LetterFilters(department="LEGAL"),
            _staff("FIN"),
            COUNTED,
        ).total
        == 1
    )


def test_letter_triaged_shows_why_the_letter_waits_until_it_is_routed(
    system, intake, handling, clock
):
    letter = intake.register(_incoming()).letter
    reason = "The profile has no deadline rule for complaint letters received on 1999-12-31."
    decision = handling.handle(
        message_body(
            "letter.triaged",
            {
                "letter_id": letter.id,
                "registration_number": letter.registration_number,
                "reason": reason,
                "triaged_at": clock.now.isoformat(),
            },
            producer="routing",
        )
    )
    assert decision.outcome is Outcome.HANDLED
    stored = system.letter(letter.id)
    assert (stored.status, stored.triage_reason) == ("registered", reason)
    handling.handle(
        _routed(letter.id, "LEGAL", [], date(2026, 4, 7), clock.now + timedelta(minutes=5))
    )
    assert system.letter(letter.id).triage_reason is None


def test_an_older_status_change_does_not_overwrite_a_newer_one(system, intake, handling, clock):
    letter = intake.register(_incoming()).letter
    t1, t2 = clock.now + timedelta(hours=1), clock.now + timedelta(hours=2)
    assert (
        handling.handle(_status_changed(letter.id, "routed", "awaiting_endorsement", t2)).outcome
        is Outcome.HANDLED
    )
    assert (
        handling.handle(_status_changed(letter.id, "registered", "in_progress", t1)).outcome
        is Outcome.HANDLED
    )
    stored = system.letter(letter.id)
    assert (stored.status, stored.status_changed_at) == ("awaiting_endorsement", t2)


def test_a_late_routing_does_not_move_a_letter_already_in_progress(system, intake, handling, clock):
    letter = intake.register(_incoming()).letter
    t1, t2 = clock.now + timedelta(hours=1), clock.now + timedelta(hours=2)
    handling.handle(_status_changed(letter.id, "routed", "in_progress", t2))
    handling.handle(_routed(letter.id, "SOC", [], date(2026, 4, 7), t1))
    stored = system.letter(letter.id)
    assert (stored.status, stored.department_code) == ("in_progress", "SOC")


def test_letter_answered_sets_answered_at_and_status(system, intake, handling, clock):
    letter = intake.register(_incoming()).letter
    at = clock.now + timedelta(days=12)
    assert handling.handle(_answered(letter.id, at)).outcome is Outcome.HANDLED
    stored = system.letter(letter.id)
    assert (stored.status, stored.answered_at, stored.status_changed_at) == ("answered", at, at)


@pytest.mark.parametrize("decision", ["void", "weed_out"])
def test_the_workflow_does_not_undo_intakes_own_decisions(
    system, intake, handling, clock, decision
):
    letter = intake.register(_incoming()).letter
    clerk = someone("registrar")
    if decision == "void":
        intake.letters.void(letter.id, "Klaida", clerk, "c")
    else:
        intake.letters.weed_out(letter.id, "Ne mūsų", None, clerk, "c")
    status = system.letter(letter.id).status
    later = clock.now + timedelta(days=1)
    handling.handle(_status_changed(letter.id, "registered", "in_progress", later))
    handling.handle(_routed(letter.id, "SOC", [], date(2026, 4, 7), later))
    assert system.letter(letter.id).status == status


def test_an_event_for_an_unknown_letter_is_dead_lettered(system, handling, clock):
    missing = str(uuid.uuid4())
    decision = handling.handle(_routed(missing, "LEGAL", [], date(2026, 4, 7), clock.now))
    assert decision.outcome is Outcome.DEAD_LETTER
    assert decision.reason == f"intake has no letter {missing}"
    with system.wiring.engine.connect() as conn:
        assert list(conn.execute(select(system.wiring.tables.inbox))) == []


def test_a_duplicate_message_is_skipped(system, intake, handling, clock):
    letter = intake.register(_incoming()).letter
    first_id = str(uuid.uuid4())
    first = _routed(letter.id, "LEGAL", [], date(2026, 4, 7), clock.now, message_id=first_id)
    assert handling.handle(first).outcome is Outcome.HANDLED
    assert (
        handling.handle(_routed(letter.id, "SOC", ["EDU"], date(2026, 4, 9), clock.now)).outcome
        is Outcome.HANDLED
    )
    assert handling.handle(first).outcome is Outcome.DUPLICATE
    stored = system.letter(letter.id)
    assert (stored.department_code, stored.copy_department_codes, stored.due_date) == (
        "SOC",
        ["EDU"],
        date(2026, 4, 9),
    )
    with system.wiring.engine.connect() as conn:
        inbox = system.wiring.tables.inbox
        ids = sorted(row.message_id for row in conn.execute(select(inbox)))
    assert first_id in ids
    assert len(ids) == 2


def test_an_invalid_payload_is_dead_lettered(handling):
    body = json.loads(_answered(str(uuid.uuid4()), datetime(2026, 3, 10, tzinfo=UTC)))
    del body["payload"]["answered_at"]
    decision = handling.handle(json.dumps(body).encode())
    assert decision.outcome is Outcome.DEAD_LETTER
    assert "answered_at" in decision.reason


# Reading and the audit trail -------------------------------------------------------------


def test_reading_is_audited_and_respects_departments(system, intake):
    letter = intake.register(
        _incoming(
            correspondent=JANIS,
            language="lv",
            subject="Iesniegums par ielu apgaismojumu Ķīšezera ielā",
            addressee={"kind": "department", "department_code": "SOC"},
        ),
    ).letter
    reader = _staff("SOC")
    read, replies, attachments = intake.letters.read(letter.id, reader)
    assert (read.subject, read.correspondent["name"]) == (
        "Iesniegums par ielu apgaismojumu Ķīšezera ielā",
        "Jānis Bērziņš",
    )
    assert (replies, attachments) == ([], [])
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, _staff("EDU"))
    rows = system.audit()
    assert [(r["actor"], r["action"], r["object_type"], r["object_id"]) for r in rows] == [
        (reader.subject, "read", "letter", letter.id)
    ]


def test_search_folds_text_and_escapes_wildcards(intake):
    intake.register(_incoming(subject="Šiukšlių konteineriai 100% pilni"))
    intake.register(
        _incoming(subject="Prašymas dėl pašalpos", kind="application", correspondent=ARBER)
    )
    clerk = someone("registrar")

    def found(text: str) -> list[str]:
        page = intake.searches.search(LetterFilters(text=text), clerk, PageRequest())
        return [hit.letter.subject for hit in page.items]

    assert found("SIUKSLIU") == ["Šiukšlių konteineriai 100% pilni"]
    assert found("100%") == ["Šiukšlių konteineriai 100% pilni"]
    assert found("%") == ["Šiukšlių konteineriai 100% pilni"]
    assert found("_") == []
    assert found("pasalpos") == ["Prašymas dėl pašalpos"]
    assert found("P-2026-00002") == ["Prašymas dėl pašalpos"]


def test_department_visibility_in_search_matches_codes_exactly(intake, handling, clock):
    letter = intake.register(_incoming()).letter
    handling.handle(_routed(letter.id, "LEGAL", ["COMM"], date(2026, 4, 7), clock.now))
    assert intake.searches.search(LetterFilters(), _staff("COMM"), COUNTED).total == 1
    assert intake.searches.search(LetterFilters(), _staff("C_MM"), COUNTED).total == 0
    assert intake.searches.search(LetterFilters(), _staff("%"), COUNTED).total == 0


# Letters submitted by other services -------------------------------------------------------


def _submitted(key: str, clock_now: datetime, **overrides: Any) -> bytes:
    payload = {
        "idempotency_key": key,
        "kind": "application",
        "channel": "in_person",
        "language": "sq",
        "subject": "Kërkesë për ndriçim rrugor në lagjen Çole",
        "summary": "Ngritur në pritjen e qytetarëve",
        "addressee": {"kind": "mayor"},
        "sender": {
            "type": "person",
            "name": "Arbër Hoxha",
            "email": "arber@example.org",
            "preferred_language": "sq",
        },
        "received_at": clock_now.isoformat(),
        **overrides,
    }
    return message_body("letter.submitted", payload, "protocol-events")


def test_a_submitted_letter_is_registered_once_per_key(system, handling, clock):
    key = f"reception:{uuid.uuid4()}"
    assert handling.handle(_submitted(key, clock.now)).outcome is Outcome.HANDLED
    # The same command again under another message id (a sender retrying): nothing new.
    assert handling.handle(_submitted(key, clock.now)).outcome is Outcome.HANDLED

    [row] = system.outbox("letter.registered")
    payload = row["envelope"]["payload"]
    assert payload["subject"] == "Kërkesë për ndriçim rrugor në lagjen Çole"
    assert payload["sender"]["name"] == "Arbër Hoxha"
    assert payload["source_reference"] == key
    assert payload["channel"] == "in_person"
    letter = system.letter(payload["letter_id"])
    assert letter.registered_by == "service:protocol-events"
    assert letter.registration_number == payload["registration_number"]


def test_a_submitted_letter_keeps_its_confidentiality(system, handling, clock):
    body = _submitted(f"reception:{uuid.uuid4()}", clock.now, confidentiality="secret")
    assert handling.handle(body).outcome is Outcome.HANDLED
    [row] = system.outbox("letter.registered")
    assert row["envelope"]["payload"]["confidentiality"] == "secret"
    assert system.letter(row["envelope"]["payload"]["letter_id"]).confidentiality == "secret"


def test_a_submitted_letter_that_cannot_be_registered_is_dead_lettered(system, handling, clock):
    body = _submitted(
        f"reception:{uuid.uuid4()}",
        clock.now,
        addressee={"kind": "department", "department_code": "NOPE"},
    )
    decision = handling.handle(body)
    assert decision.outcome is Outcome.DEAD_LETTER
    assert "No department NOPE" in decision.reason
    assert system.snapshot()["letters"] == 0


# The statistics group in SQL by the local (Europe/Vilnius) period --------------------


def test_statistics_count_by_the_local_week_and_month_in_sql(system, intake):
    moments = [
        datetime(2026, 11, 29, 21, 30, tzinfo=UTC),  # Sun 23:30 local: W48, Nov
        datetime(2026, 11, 30, 22, 30, tzinfo=UTC),  # Tue 00:30 local: W49, Dec
        datetime(2026, 6, 30, 21, 30, tzinfo=UTC),
    ]  # 1 July 00:30 in summer time
    for moment in moments:
        letter = intake.register(_incoming()).letter
        with system.wiring.unit_of_work() as uow:
            uow.session.get(Letter, letter.id).registered_at = moment
            uow.commit()
    counted = intake.statistics.statistics
    by_week = counted(date(2026, 11, 23), date(2026, 12, 6), "week", someone("registrar"))
    assert [(p["period"], p["total"]) for p in by_week] == [("2026-W48", 1), ("2026-W49", 1)]
    by_month = counted(date(2026, 6, 1), date(2026, 12, 31), "month", someone("registrar"))
    assert [(p["period"], p["total"]) for p in by_month] == [
        ("2026-07", 1),
        ("2026-11", 1),
        ("2026-12", 1),
    ]
    assert by_month[0]["kind"] == {"complaint": 1}
    assert counted(date(2026, 11, 30), date(2026, 11, 30), "week", someone("registrar")) == []


def test_export_is_audited_once_before_its_first_line_and_streams(system, intake):
    letters = [intake.register(_incoming()).letter for _ in range(3)]
    numbers = [letter.registration_number for letter in letters]
    today = letters[0].registered_at.date()
    lines = intake.exports.protocol_book_csv(
        today - timedelta(days=1),
        today + timedelta(days=1),
        someone("registrar"),
        LetterFilters(kind="complaint"),
    )
    with system.wiring.unit_of_work() as uow:
        audit = uow.tables.audit
        exported = uow.session.execute(
            select(audit.c.object_type, audit.c.object_id).where(audit.c.action == "export")
        ).all()
    # Audited as what was asked for, once, before anything was handed out (decision 0072).
    assert [tuple(row) for row in exported] == [
        ("protocol_book", f"{today - timedelta(days=1)}/{today + timedelta(days=1)}?kind=complaint")
    ]
    # The header leaves at once, before the database is read; then a piece per chunk.
    assert next(lines).startswith("registration_number,")
    first = next(lines).splitlines()
    assert [line.split(",")[0] for line in first] == numbers
    lines.close()  # the client went away


# Endorsers read the letter whose reply they are asked to approve ---------------------------


def _endorsement(
    message_type: str,
    letter_id: str,
    step: int,
    role: str,
    at: datetime,
    confidentiality: str = "normal",
) -> bytes:
    moment = {
        "endorsement.requested": "requested_at",
        "endorsement.approved": "approved_at",
        "endorsement.returned": "returned_at",
    }[message_type]
    decided = {
        "endorsement.approved": {"approved_by": "mayor-1"},
        "endorsement.returned": {"returned_by": "director-1", "comment": "Papildykite."},
    }.get(message_type, {})
    return message_body(
        message_type,
        {
            "endorsement_id": str(uuid.uuid4()),
            "letter_id": letter_id,
            "registration_number": "P-2026-00001",
            "reply_subject": "Atsakymas",
            "step": step,
            "steps": 3,
            "approver_role": role,
            "department_code": "LEGAL",
            "confidentiality": confidentiality,
            moment: at.isoformat(),
            **decided,
        },
        producer="routing",
    )


def test_the_approver_a_circuit_waits_for_reads_the_letter_until_the_step_is_decided(
    intake, handling, clock
):
    letter = intake.register(_incoming()).letter
    director, mayor = someone("director"), someone("mayor")
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, director)
    handling.handle(
        _endorsement(
            "endorsement.requested", letter.id, 2, "director", clock.now + timedelta(hours=1)
        )
    )
    assert intake.letters.read(letter.id, director)[0].subject == LT_SUBJECT
    assert intake.letters.read_by_number(letter.registration_number, director)[0].id == letter.id
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, mayor)  # not the mayor's step yet
    handling.handle(
        _endorsement("endorsement.requested", letter.id, 3, "mayor", clock.now + timedelta(hours=2))
    )
    assert intake.letters.read(letter.id, mayor)[0].id == letter.id
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, director)  # the director's step is decided
    # An announcement older than the one kept changes nothing.
    handling.handle(
        _endorsement(
            "endorsement.returned", letter.id, 2, "director", clock.now + timedelta(minutes=90)
        )
    )
    assert intake.letters.read(letter.id, mayor)[0].id == letter.id
    handling.handle(
        _endorsement("endorsement.approved", letter.id, 3, "mayor", clock.now + timedelta(hours=3))
    )
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, mayor)


def test_an_endorser_without_clearance_does_not_read_a_confidential_letter(intake, handling, clock):
    letter = intake.register(_incoming(confidentiality="confidential")).letter
    handling.handle(
        _endorsement(
            "endorsement.requested",
            letter.id,
            2,
            "director",
            clock.now + timedelta(hours=1),
            "confidential",
        )
    )
    with pytest.raises(Forbidden):
        intake.letters.read(letter.id, someone("director"))
    cleared = someone("director", "clearance_confidential")
    assert intake.letters.read(letter.id, cleared)[0].id == letter.id


def test_a_letter_stores_its_data_subjects_key_and_the_migration_fills_it(system) -> None:
    senders = [
        {**ONA, "email": "Ona.Zemaityte@Example.org"},
        {"type": "person", "name": "  NINO\t ᲑᲔᲠᲘᲫᲔ \n"},
        {"type": "person", "name": "ËNDRI\u00a0ÇELA"},
        JANIS,
    ]
    ids = [system.register(_incoming(correspondent=sender)).letter.id for sender in senders]
    expected = ["ona.zemaityte@example.org", "nino ბერიძე", "ëndri çela", "jānis bērziņš"]
    assert [system.letter(letter_id).person_key for letter_id in ids] == expected
    config = alembic_config(system.wiring.migrations, system.wiring.profile.time_zone)
    with system.wiring.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
        command.upgrade(config, "head")  # the letters there are get their keys
    assert [system.letter(letter_id).person_key for letter_id in ids] == expected
