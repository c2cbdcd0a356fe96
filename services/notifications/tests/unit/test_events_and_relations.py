"""Official events, reception hours and foreign relations: who is told, in which words, with
which calendar file."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import icalendar
import pytest

from chancery.messages.catalogue import contract
from chancery_testing import sample_payloads
from notifications.adapters.channels import EmailChannel, Outgoing
from notifications.domain.subscriptions import WEBHOOK_EVENTS

COMM_EMAIL = "komunikacija@alytus.example.org"
GEORGIAN_TITLE = "ოფიციალური მიღება ქუთაისის დელეგაციისთვის"
LITHUANIAN_TITLE = "Oficialus priėmimas Kutaisio delegacijai"


def participant(
    name: str,
    email: str | None = None,
    language: str | None = None,
    staff_subject: str | None = None,
) -> dict[str, Any]:
    return {
        "participant_id": str(uuid.uuid4()),
        "name": name,
        "email": email,
        "language": language,
        "staff_subject": staff_subject,
    }


def event(participants: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    """An official reception in Alytus on Thursday 3 December 2026, 12:00–14:00 local time."""
    payload = {
        "event_id": str(uuid.uuid4()),
        "kind": "official_reception",
        "protocol_level": "diplomatic",
        "title": {"lt": LITHUANIAN_TITLE, "ka": GEORGIAN_TITLE},
        "starts_at": "2026-12-03T10:00:00+00:00",
        "ends_at": "2026-12-03T12:00:00+00:00",
        "time_zone": "Europe/Vilnius",
        "venue": "Rotušės salė",
        "department_code": "COMM",
        "ical_uid": f"evt-{uuid.uuid4().hex[:8]}@alytus",
        "sequence": 0,
        "participants": participants,
        "scheduled_at": "2026-11-25T07:00:00+00:00",
    }
    payload.update(changes)
    return payload


def appointment(
    visitor: dict[str, Any], official_subject: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Reception hours in Vlora-like Albanian: Monday 7 December 2026, 10:00–10:15 in Tirana."""
    return {
        "appointment_id": str(uuid.uuid4()),
        "official_id": str(uuid.uuid4()),
        "official_name": "Ilir Meta",
        "official_subject": official_subject,
        "official_position": {"sq": "Kryetari i bashkisë", "lt": "Meras"},
        "starts_at": "2026-12-07T09:00:00+00:00",
        "ends_at": "2026-12-07T09:15:00+00:00",
        "time_zone": "Europe/Tirane",
        "place": "Zyra e kryetarit",
        "topic": "Ndriçimi në lagjen Çole",
        "visitor": visitor,
        **extra,
    }


def email(name: str) -> str:
    return f"{name}.{uuid.uuid4().hex[:6]}@example.org"


def by_recipient(system, cause: str) -> dict[tuple[str, str], Any]:
    return {(d.channel, d.recipient): d for d in system.caused_by(cause)}


def calendar_of(delivery) -> tuple[str, icalendar.Calendar]:
    """The content type and the parsed calendar of a delivery's only attachment."""
    [attachment] = delivery.attachments
    return (
        attachment["content_type"],
        icalendar.Calendar.from_ical(base64.b64decode(attachment["content"])),
    )


def vevent(calendar: icalendar.Calendar) -> icalendar.Event:
    [entry] = calendar.walk("VEVENT")
    return entry


@pytest.fixture
def comm_staff(system) -> dict[str, str]:
    """A head in COMM (with e-mail), a protocol officer without e-mail, a mayor's office clerk."""
    head_email = email("ruta.kairiene")
    office_email = email("egle.jankauskiene")
    return {
        "head": system.add_staff(
            "Rūta Kairienė", "lt", "COMM", ["department_head"], email=head_email
        ),
        "head_email": head_email,
        "officer": system.add_staff("Kārlis Bērziņš", "lv", "COMM", ["protocol_officer"]),
        "office": system.add_staff(
            "Eglė Jankauskienė", "lt", None, ["mayor_office"], email=office_email
        ),
        "office_email": office_email,
    }


def department_and_mayors_office(
    comm_staff: dict[str, str], kind: str
) -> set[tuple[str, str, str, str]]:
    """What COMM's staff, its mailbox and the mayor's office are told of ``kind``."""
    return {
        ("in_app", comm_staff["head"], kind, "lt"),
        ("in_app", comm_staff["officer"], kind, "lv"),
        ("email", COMM_EMAIL, kind, "lt"),
        ("in_app", comm_staff["office"], kind, "lt"),
        ("email", comm_staff["office_email"], kind, "lt"),
    }


# Official events ------------------------------------------------------------------------


def test_a_scheduled_event_invites_each_participant_in_their_language_with_an_ics(
    system, comm_staff
):
    nino = email("nino.beridze")
    payload = event(
        [
            participant("ნინო ბერიძე", nino, "ka"),
            participant("Rūta Kairienė", staff_subject=comm_staff["head"]),
            participant("Jonas be adreso", language="lt"),
        ]
    )
    cause = system.publish("event.scheduled", payload, producer="protocol-events")
    assert system.told(cause) == {
        ("email", nino, "event_invitation", "ka"),
        ("in_app", comm_staff["head"], "event_invitation", "lt"),
        ("email", comm_staff["head_email"], "event_invitation", "lt"),
    }, "a participant with neither e-mail nor a staff account is told nothing"
    told = by_recipient(system, cause)
    georgian = told[("email", nino)]
    assert GEORGIAN_TITLE in georgian.subject
    assert "ხუთშაბათი, 2026 წლის 3 დეკემბერი, 12:00–14:00" in georgian.text
    assert "Rotušės salė" in georgian.text
    assert "ნინო ბერიძე" in georgian.text
    content_type, calendar = calendar_of(georgian)
    assert content_type == "text/calendar; method=REQUEST; charset=UTF-8"
    assert calendar["METHOD"] == "REQUEST"
    entry = vevent(calendar)
    assert str(entry["UID"]) == payload["ical_uid"]
    assert int(entry["SEQUENCE"]) == 0
    assert str(entry["SUMMARY"]) == GEORGIAN_TITLE
    assert str(entry["LOCATION"]) == "Rotušės salė"
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert str(entry["ORGANIZER"]) == f"mailto:{COMM_EMAIL}"
    assert [
        str(a)
        for a in (entry["ATTENDEE"] if isinstance(entry["ATTENDEE"], list) else [entry["ATTENDEE"]])
    ] == [f"mailto:{nino}"], "each file names its own recipient only"
    lithuanian = told[("email", comm_staff["head_email"])]
    assert "2026-12-03 (ketvirtadienis), 12:00–14:00" in lithuanian.text
    assert str(vevent(calendar_of(lithuanian)[1])["SUMMARY"]) == LITHUANIAN_TITLE
    assert told[("in_app", comm_staff["head"])].attachments == []
    [item] = system.feed.items(comm_staff["head"], unread_only=True)
    assert LITHUANIAN_TITLE in item.title


def test_each_guest_is_sent_their_own_answer_link_and_it_is_forgotten_once_sent(system):
    nino, anna = (
        participant("ნინო ბერიძე", email("nino"), "ka"),
        participant("Anna Smith", email("anna"), "en"),
    )
    webhook, _ = system.webhooks.add(
        "Protokolo sistema",
        "http://127.0.0.1:9/hook",
        ["event.scheduled"],
        "COMM",
        system.operator,
        receives_personal_data=True,
    )
    base = "https://kutaisi.example.org/public/invitations/"
    links = {p["participant_id"]: f"{base}{uuid.uuid4().hex}" for p in (nino, anna)}
    cause = system.publish(
        "event.scheduled", event([nino, anna], answer_urls=links), producer="protocol-events"
    )
    told = by_recipient(system, cause)
    georgian, english = told[("email", nino["email"])], told[("email", anna["email"])]
    assert "გთხოვთ, გვიპასუხოთ, დაესწრებით თუ არა" in georgian.text
    assert "Please tell us whether you will attend" in english.text
    for notice, own, other in ((georgian, nino, anna), (english, anna, nino)):
        assert links[own["participant_id"]] in notice.text
        assert f'href="{links[own["participant_id"]]}"' in notice.html
        assert links[other["participant_id"]] not in notice.text + notice.html
        system.send_until(lambda n=notice: system.delivery(n.id).status == "delivered")
        sent = system.delivery(notice.id)
        assert links[own["participant_id"]] not in sent.text + sent.html
    hook = told.get(("webhook", f"webhook:{webhook.id}"))
    assert hook is not None, "the department system is told of the event"
    sent = (hook.text or "") + (hook.html or "")
    assert "ნინო ბერიძე" in sent, "the system is entitled to the participants"
    assert "answer_urls" not in sent
    assert not any(link in sent for link in links.values())
    without = system.publish(
        "event.scheduled",
        event([participant("Jonas", email("jonas"), "lt")]),
        producer="protocol-events",
    )
    [plain] = [d for d in system.caused_by(without) if d.channel == "email"]
    assert "nuorod" not in plain.text, "no link, no sentence about one"


def test_a_staff_participant_without_an_email_is_mailed_at_the_address_given(system, comm_staff):
    given = email("karlis.berzins")
    cause = system.publish(
        "event.scheduled",
        event([participant("Kārlis Bērziņš", given, "lt", staff_subject=comm_staff["officer"])]),
        producer="protocol-events",
    )
    assert system.told(cause) == {
        ("in_app", comm_staff["officer"], "event_invitation", "lv"),
        ("email", given, "event_invitation", "lv"),
    }


def test_titles_and_templates_fall_back_to_the_municipalitys_language(system):
    russian, english = email("olga.ivanova"), email("margaret.ellison")
    cause = system.publish(
        "event.scheduled",
        event(
            [
                participant("Ольга Иванова", russian, "ru"),
                participant("Margaret Ellison", english, "en"),
            ]
        ),
        producer="protocol-events",
    )
    assert system.told(cause) == {
        ("email", russian, "event_invitation", "lt"),
        ("email", english, "event_invitation", "en"),
    }
    told = by_recipient(system, cause)
    assert LITHUANIAN_TITLE in told[("email", russian)].subject
    english_mail = told[("email", english)]
    assert english_mail.subject == f"Invitation: {LITHUANIAN_TITLE}", (
        "no English title: the municipality's language"
    )
    assert "Thursday, 3 December 2026, 12:00–14:00" in english_mail.text
    assert str(vevent(calendar_of(english_mail)[1])["SUMMARY"]) == LITHUANIAN_TITLE


def test_a_redelivered_event_invites_nobody_twice(system, comm_staff):
    nino = email("nino.beridze")
    payload = event(
        [
            participant("ნინო ბერიძე", nino, "ka"),
            participant("Rūta Kairienė", staff_subject=comm_staff["head"]),
        ]
    )
    message_id, first = system.handle("event.scheduled", payload, producer="protocol-events")
    _, again = system.handle(
        "event.scheduled", payload, producer="protocol-events", message_id=message_id
    )
    assert (first.outcome.value, again.outcome.value) == ("handled", "duplicate")
    assert len(system.caused_by(message_id)) == 3
    # Even past the inbox (a replay by hand), the deliveries' own key holds.
    with system.wiring.unit_of_work() as uow:
        loaded = contract("event.scheduled", 1).payload_schema.load(payload)
        assert system.audiences.on_event(uow.session, "event.scheduled", message_id, loaded) == 0
        uow.commit()
    assert len(system.caused_by(message_id)) == 3


def test_an_updated_event_says_what_changed_with_the_new_sequence(system):
    nino, ona = email("nino.beridze"), email("ona.zemaityte")
    payload = event(
        [participant("ნინო ბერიძე", nino, "ka"), participant("Ona Žemaitytė", ona, "lt")],
        sequence=3,
        changes=["venue", "time"],
        updated_at="2026-11-26T07:00:00+00:00",
        venue="Alytaus miesto teatras",
    )
    del payload["scheduled_at"]
    cause = system.publish("event.updated", payload, producer="protocol-events")
    told = by_recipient(system, cause)
    assert {d.kind for d in told.values()} == {"event_updated"}
    assert "ადგილი, დრო" in told[("email", nino)].text
    assert "vieta, laikas" in told[("email", ona)].text
    content_type, calendar = calendar_of(told[("email", nino)])
    assert "method=REQUEST" in content_type
    entry = vevent(calendar)
    assert int(entry["SEQUENCE"]) == 3
    assert str(entry["LOCATION"]) == "Alytaus miesto teatras"


def test_a_participant_added_to_a_confirmed_event_alone_gets_an_invitation(system):
    nino, arber = email("nino.beridze"), email("arber.hoxha")
    newcomer = participant("Arbër Hoxha", arber, "sq")
    payload = event(
        [participant("ნინო ბერიძე", nino, "ka"), newcomer],
        sequence=4,
        changes=["participants"],
        updated_at="2026-11-26T08:00:00+00:00",
        invited=[newcomer["participant_id"]],
    )
    del payload["scheduled_at"]
    cause = system.publish("event.updated", payload, producer="protocol-events")
    told = by_recipient(system, cause)
    assert set(told) == {("email", arber)}
    assert told[("email", arber)].kind == "event_invitation"
    content_type, calendar = calendar_of(told[("email", arber)])
    assert "method=REQUEST" in content_type
    assert int(vevent(calendar)["SEQUENCE"]) == 4


def test_a_cancelled_event_cancels_the_calendar_entry_with_the_reason(system):
    nino = email("nino.beridze")
    payload = event(
        [participant("ნინო ბერიძე", nino, "ka")],
        sequence=2,
        reason="ვიზიტი გადაიდო",
        cancelled_at="2026-11-27T07:00:00+00:00",
    )
    del payload["scheduled_at"]
    cause = system.publish("event.cancelled", payload, producer="protocol-events")
    [delivery] = system.caused_by(cause)
    assert delivery.kind == "event_cancelled"
    assert "ვიზიტი გადაიდო" in delivery.text
    content_type, calendar = calendar_of(delivery)
    assert content_type == "text/calendar; method=CANCEL; charset=UTF-8"
    assert calendar["METHOD"] == "CANCEL"
    entry = vevent(calendar)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert str(entry["UID"]) == payload["ical_uid"]
    assert int(entry["SEQUENCE"]) == 2


# Reception hours --------------------------------------------------------------------------


def test_a_booking_is_confirmed_to_the_visitor_with_an_ics_and_told_to_the_official(system):
    official_email = email("ilir.meta")
    official = system.add_staff("Ilir Meta", "sq", None, ["mayor"], email=official_email)
    visitor = {"name": "Arbër Hoxha", "email": email("arber.hoxha"), "language": "sq"}
    payload = appointment(
        visitor, official, booked_by="clerk-1", booked_at="2026-12-01T08:00:00+00:00"
    )
    cause = system.publish("appointment.booked", payload, producer="protocol-events")
    assert system.told(cause) == {
        ("email", visitor["email"], "appointment_booked", "sq"),
        ("in_app", official, "appointment_booked_official", "sq"),
    }
    told = by_recipient(system, cause)
    mail = told[("email", visitor["email"])]
    assert "e hënë, 7 dhjetor 2026, ora 10:00–10:15" in mail.text
    assert "Kryetari i bashkisë" in mail.text
    assert "Ndriçimi në lagjen Çole" in mail.text
    content_type, calendar = calendar_of(mail)
    assert "method=REQUEST" in content_type
    entry = vevent(calendar)
    assert str(entry["UID"]) == f"appointment-{payload['appointment_id']}@alytus.chancery"
    assert str(entry["ORGANIZER"]) == f"mailto:{official_email}"
    assert str(entry["LOCATION"]) == "Zyra e kryetarit"
    assert told[("in_app", official)].attachments == []
    # The official reads their own text: who comes, not "your appointment is confirmed".
    notice = told[("in_app", official)]
    assert notice.subject.startswith("Takim i ri në orarin e pritjes:")
    assert "Arbër Hoxha" in notice.subject
    assert "Ju konfirmojmë" not in notice.text


def test_a_visitor_without_email_gets_an_sms_and_an_unknown_official_nothing(system):
    visitor = {"name": "Arbër Hoxha", "phone": "+355 69 765 4321", "language": "sq"}
    cause = system.publish(
        "appointment.booked",
        appointment(
            visitor, "nobody-here", booked_by="clerk-1", booked_at="2026-12-01T08:00:00+00:00"
        ),
        producer="protocol-events",
    )
    [delivery] = system.caused_by(cause)
    assert (delivery.channel, delivery.recipient, delivery.language) == (
        "sms",
        "+355 69 765 4321",
        "sq",
    )
    assert delivery.attachments == []


def test_a_cancelled_booking_tells_visitor_and_official_and_cancels_the_entry(system):
    official = system.add_staff("Ilir Meta", "sq", None, ["mayor"])
    visitor = {"name": "Ona Žemaitytė", "email": email("ona.zemaityte"), "language": "lt"}
    payload = appointment(
        visitor,
        official,
        reason="Meras išvyksta į komandiruotę",
        cancelled_by="clerk-1",
        cancelled_at="2026-12-02T08:00:00+00:00",
    )
    cause = system.publish("appointment.cancelled", payload, producer="protocol-events")
    assert system.told(cause) == {
        ("email", visitor["email"], "appointment_cancelled", "lt"),
        ("in_app", official, "appointment_cancelled_official", "sq"),
    }
    mail = by_recipient(system, cause)[("email", visitor["email"])]
    assert "Meras išvyksta į komandiruotę" in mail.text
    assert "2026-12-07 (pirmadienis), 10:00–10:15" in mail.text
    assert "Pareigos: Meras" in mail.text, "the position in the visitor's language"
    content_type, calendar = calendar_of(mail)
    assert "method=CANCEL" in content_type
    assert int(vevent(calendar)["SEQUENCE"]) == 1


def test_a_reminder_reaches_the_visitor_only(system):
    official = system.add_staff("Ilir Meta", "sq", None, ["mayor"])
    visitor = {"name": "Ilze Ozoliņa", "email": email("ilze.ozolina"), "language": "lv"}
    cause = system.publish(
        "appointment.reminder_due",
        appointment(visitor, official, hours_before=24),
        producer="protocol-events",
    )
    [delivery] = system.caused_by(cause)
    assert (delivery.recipient, delivery.kind, delivery.language) == (
        visitor["email"],
        "appointment_reminder",
        "lv",
    )
    assert "pirmdiena, 2026. gada 7. decembris, 10:00–10:15" in delivery.text
    assert delivery.attachments == []


def test_a_confirmation_link_reaches_the_resident_only_and_is_forgotten_once_sent(system):
    official = system.add_staff("Ilir Meta", "sq", None, ["mayor"])
    system.webhooks.add(
        "Sistema",
        "http://127.0.0.1:9/hook",
        ["appointment.confirmation_requested"],
        None,
        system.operator,
    )
    visitor = {"name": "Arbër Hoxha", "email": email("arber.hoxha"), "language": "sq"}
    link = f"https://bashkia.example.org/public/receptions/booking/{uuid.uuid4().hex}"
    cause = system.publish(
        "appointment.confirmation_requested",
        appointment(
            visitor, official, confirmation_url=link, expires_at="2026-12-01T08:30:00+00:00"
        ),
        producer="protocol-events",
    )
    [notice] = system.caused_by(cause)
    assert (notice.channel, notice.recipient, notice.kind, notice.language) == (
        "email",
        visitor["email"],
        "appointment_confirmation",
        "sq",
    )
    assert notice.subject.startswith("Konfirmoni takimin në orarin e pritjes:")
    assert "deri në 09:30" in notice.text, "the hold's end in Tirana's time"
    assert link in notice.text
    assert f'href="{link}"' in notice.html
    assert notice.attachments == [], "no calendar file before the booking is confirmed"
    system.send_until(lambda: system.delivery(notice.id).status == "delivered")
    sent = system.delivery(notice.id)
    assert link not in sent.text + sent.html
    assert "Ilir Meta" in sent.text


# Foreign relations -----------------------------------------------------------------------


def test_an_invitation_awaiting_a_decision_tells_the_department_and_the_mayors_office(
    system, comm_staff
):
    # Riga's festival for COMM, answer by 1 June 2027; no letter behind it.
    payload = {**sample_payloads()["invitation.awaiting_decision"], "letter_id": None}
    cause = system.publish("invitation.awaiting_decision", payload, producer="foreign-relations")
    kind = "invitation_awaiting_decision"
    assert system.told(cause) == department_and_mayors_office(comm_staff, kind)
    text = by_recipient(system, cause)[("email", COMM_EMAIL)].text
    assert "Rīgas valstspilsētas pašvaldība" in text
    assert "Rīga, LV" in text
    assert "2027-08-18 – 2027-08-20" in text
    assert "Atsakyti iki: 2027-06-01" in text
    assert "Nr. G-2026-00017" in text
    [item] = system.feed.items(comm_staff["officer"], unread_only=True)
    assert "2027. gada 1. jūnijs" in item.body, "dates in the Latvian officer's words"


def comm_told(comm_staff: dict[str, str]) -> set[tuple[str, str]]:
    """COMM's head and officer in the app and its mailbox: who a foreign-relations notice tells."""
    return {
        ("in_app", comm_staff["head"]),
        ("in_app", comm_staff["officer"]),
        ("email", COMM_EMAIL),
    }


def expiring_agreement(renewal: str) -> dict[str, Any]:
    """Daugavpils' agreement with COMM, 60 days before it ends on 1 February 2027."""
    return {**sample_payloads()["agreement.expiring"], "renewal": renewal}


@pytest.mark.parametrize(
    ("message_type", "payload", "expected"),
    [
        (
            "agreement.expiring",
            expiring_agreement("manual"),
            [
                "Sadarbības līgums",
                "Daugavpils (LV)",
                "Galioja iki: 2027-02-01",
                "Liko dienų: 60",
                "reikia pratęsti atskiru sprendimu",
            ],
        ),
        (
            "project.deadline_approaching",
            # Interreg IPA's application for the Vjosa bridge, due 15 January 2027, for COMM.
            sample_payloads()["project.deadline_approaching"],
            [
                "Interreg: Ura e Vjosës",
                "Interreg IPA",
                "paraiškos pateikimas",
                "Terminas: 2027-01-15",
                "Liko dienų: 14",
            ],
        ),
    ],
)
def test_agreements_and_project_deadlines_tell_the_department(
    system, comm_staff, message_type, payload, expected
):
    cause = system.publish(message_type, payload, producer="foreign-relations")
    assert {(d.channel, d.recipient) for d in system.caused_by(cause)} == comm_told(comm_staff)
    text = by_recipient(system, cause)[("email", COMM_EMAIL)].text
    for words in expected:
        assert words in text


def test_a_translation_due_soon_tells_the_department_in_their_languages(system, comm_staff):
    payload = {
        **sample_payloads()["translation.due_soon"],  # Latvian into Lithuanian, for COMM
        "title": "Ielūgums uz Daugavpils svētkiem",
        "translator": None,
        "due_on": "2026-03-13",
    }
    cause = system.publish("translation.due_soon", payload, producer="foreign-relations")
    assert {(d.channel, d.recipient) for d in system.caused_by(cause)} == comm_told(comm_staff)
    mail = by_recipient(system, cause)[("email", COMM_EMAIL)]
    assert mail.subject == "Artėja vertimo terminas: Ielūgums uz Daugavpils svētkiem"
    text = mail.text
    for words in (
        "Ielūgums uz Daugavpils svētkiem",
        "gautas laiškas į vietos kalbą",
        "LV → LT",
        "Registracijos Nr.: G-2026-00017",
        "Miestas partneris: Daugavpils",
        "Terminas: 2026-03-13",
        "Liko darbo dienų: 1",
    ):
        assert words in text
    assert "Vertėjas" not in text, "no translator yet, no line for one"
    [item] = system.feed.items(comm_staff["officer"], unread_only=True)
    assert "2026. gada 13. marts" in item.body, "the date in the Latvian officer's words"
    assert "Tulkotājs" not in item.body


# Department systems and mail clients ---------------------------------------------------


def test_an_approved_visit_tells_the_protocol_office(system, comm_staff):
    cause = system.publish(
        "delegation.visit_approved",
        {
            **sample_payloads()["delegation.visit_approved"],  # Kutaisi's mayor, hosted by COMM
            "arrives_at": "2026-12-02T16:00:00+00:00",
            "departs_at": "2026-12-05T08:00:00+00:00",
            "language": "ka",
            "approved_at": "2026-11-20T09:00:00+00:00",
        },
        producer="foreign-relations",
    )
    told = by_recipient(system, cause)
    # Alytus's protocol office is COMM: its staff in the app, its mailbox by e-mail.
    assert ("in_app", comm_staff["officer"]) in told
    assert {d.kind for d in told.values()} == {"visit_approved"}
    officer_notice = told[("in_app", comm_staff["officer"])]
    assert officer_notice.language == "lv"
    assert "ქუთაისის დელეგაციის ვიზიტი" in officer_notice.subject
    assert "2026. gada 2. decembris" in officer_notice.text
    assert "Delegācijas locekļi: 1" in officer_notice.text


def decided(**changes: Any) -> dict[str, Any]:
    """Riga's invitation (the catalogue's sample), approved by the mayor on 1 June 2027 (local
    time: 13:00)."""
    return {
        **sample_payloads()["invitation.decided"],
        "note": "Vyks mero pavaduotojas",
        "decided_at": "2027-06-01T10:00:00+00:00",
        "registration_number": "G-2027-00017",
        **changes,
    }


def test_an_invitation_decided_tells_the_department_and_the_mayors_office(system, comm_staff):
    mayor = system.add_staff("Nerijus Cesiulis", "lt", None, ["mayor"])
    cause = system.publish(
        "invitation.decided", decided(decided_by=mayor), producer="foreign-relations"
    )
    kind = "invitation_decided"
    assert system.told(cause) == department_and_mayors_office(comm_staff, kind)
    mailbox = by_recipient(system, cause)[("email", COMM_EMAIL)]
    assert mailbox.subject == "Sprendimas dėl kvietimo: Rīgas pilsētas svētki – patvirtinta"
    assert "Sprendė: Nerijus Cesiulis" in mailbox.text, "a name, not the subject"
    assert "Pastaba: Vyks mero pavaduotojas" in mailbox.text
    assert "Susijęs dokumentas Nr.: G-2027-00017" in mailbox.text
    officer = by_recipient(system, cause)[("in_app", comm_staff["officer"])]
    assert "Lēmums: apstiprināts" in officer.text


def test_a_confidential_invitation_decided_is_told_without_its_content(system, comm_staff):
    cause = system.publish(
        "invitation.decided",
        decided(status="declined", confidentiality="confidential"),
        producer="foreign-relations",
    )
    mailbox = by_recipient(system, cause)[("email", COMM_EMAIL)]
    for content in ("Rīgas pilsētas svētki", "Rīgas valstspilsētas", "mero pavaduotojas"):
        assert content not in mailbox.subject + mailbox.text
    assert "atsisakyta" in mailbox.subject
    assert "G-2027-00017" in mailbox.text


def proposal(department_code: str | None) -> dict[str, Any]:
    return {
        "proposal_id": str(uuid.uuid4()),
        "title": "Bendras jūros festivalis",
        "summary": "Vlora siūlo bendrą festivalį",
        "received_on": "2026-11-20",
        "referred_to": "Kultūros komitetas" if department_code is None else "COMM",
        "department_code": department_code,
        "referred_at": "2026-11-21T09:00:00+00:00",
    }


def test_a_proposal_referred_to_a_department_tells_that_department(system, comm_staff):
    cause = system.publish("proposal.referred", proposal("COMM"), producer="foreign-relations")
    told = system.told(cause)
    assert ("email", COMM_EMAIL, "proposal_referred", "lt") in told
    assert ("in_app", comm_staff["officer"], "proposal_referred", "lv") in told
    assert ("in_app", comm_staff["office"], "proposal_referred", "lt") not in told
    officer = by_recipient(system, cause)[("in_app", comm_staff["officer"])]
    assert "2026. gada 20. novembris" in officer.text


def test_a_proposal_referred_to_a_committee_tells_the_mayors_office(system, comm_staff):
    cause = system.publish("proposal.referred", proposal(None), producer="foreign-relations")
    assert system.told(cause) == {
        ("in_app", comm_staff["office"], "proposal_referred", "lt"),
        ("email", comm_staff["office_email"], "proposal_referred", "lt"),
    }
    assert (
        "Perduota: Kultūros komitetas"
        in by_recipient(system, cause)[("email", comm_staff["office_email"])].text
    )


def in_the_town_hall() -> dict[str, Any]:
    """An event's part of protocol-events' messages: 3 December 2026, 12:00-14:00 in Vilnius."""
    return {
        "event_id": str(uuid.uuid4()),
        "event_title": {"lt": LITHUANIAN_TITLE, "ka": GEORGIAN_TITLE},
        "starts_at": "2026-12-03T10:00:00+00:00",
        "ends_at": "2026-12-03T12:00:00+00:00",
        "time_zone": "Europe/Vilnius",
        "venue": "Rotušės salė",
    }


def the_georgian_email(system, cause: str, recipient: str, kind: str):
    """The one notice of ``cause``: an e-mail in Georgian, the event's time read in Vilnius."""
    [notice] = system.caused_by(cause)
    assert (notice.channel, notice.recipient, notice.kind, notice.language) == (
        "email",
        recipient,
        kind,
        "ka",
    )
    assert GEORGIAN_TITLE in notice.subject
    assert "12:00–14:00" in notice.text, "local time in Vilnius, not UTC"
    return notice


@pytest.mark.parametrize(
    ("status", "badge", "words"),
    [
        (
            "approved",
            "PRESS-004",
            ["გადაწყვეტილება: დამტკიცებულია", "აკრედიტაციის ბარათის №: PRESS-004"],
        ),
        ("refused", None, ["გადაწყვეტილება: უარი ეთქვა"]),
    ],
)
def test_an_accreditation_decided_tells_the_journalist_in_their_language(
    system, status, badge, words
):
    journalist = email("nino")
    cause = system.publish(
        "accreditation.decided",
        {
            "accreditation_id": str(uuid.uuid4()),
            **in_the_town_hall(),
            "status": status,
            "badge_number": badge,
            "journalist": "ნინო ბერიძე",
            "outlet": "ქუთაისის ამბები",
            "email": journalist,
            "language": "ka",
            "decided_at": "2026-12-01T09:00:00+00:00",
        },
        producer="protocol-events",
    )
    notice = the_georgian_email(system, cause, journalist, "accreditation_decided")
    for expected in words:
        assert expected in notice.text
    if badge is None:
        assert "PRESS" not in notice.text


def test_an_awardee_is_told_of_the_award_in_their_language(system):
    awardee = email("nino")
    payload = {
        "nominee_id": str(uuid.uuid4()),
        **in_the_town_hall(),
        "awardee": "ნინო ბერიძე",
        "organisation": None,
        "email": awardee,
        "language": "ka",
        "certificate_number": "2026-001",
        "decision_reference": "T-45",
        "decided_on": "2026-11-12",
        "decided_by_body": "Alytaus miesto taryba",
        "granted_at": "2026-11-13T09:00:00+00:00",
    }
    cause = system.publish("award.granted", payload, producer="protocol-events")
    notice = the_georgian_email(system, cause, awardee, "award_granted")
    assert "სერტიფიკატის №: 2026-001" in notice.text
    assert "2026 წლის 12" in notice.text
    assert "ორგანიზაცია" not in notice.text, "no organisation given, no line for it"
    nobody = system.publish(
        "award.granted",
        {**payload, "nominee_id": str(uuid.uuid4()), "email": None},
        producer="protocol-events",
    )
    assert system.caused_by(nobody) == [], "an awardee without an address is not told"


def test_department_systems_can_subscribe_to_the_new_events(system):
    new = {
        "event.scheduled",
        "event.updated",
        "event.cancelled",
        "appointment.booked",
        "appointment.cancelled",
        "appointment.reminder_due",
        "invitation.awaiting_decision",
        "agreement.expiring",
        "project.deadline_approaching",
    }
    assert new <= set(WEBHOOK_EVENTS)
    hook, _ = system.webhooks.add(
        "Užsienio ryšių sistema",
        "http://127.0.0.1:9/hook",
        ["agreement.expiring"],
        "COMM",
        system.operator,
    )
    cause = system.publish(
        "agreement.expiring", expiring_agreement("automatic"), producer="foreign-relations"
    )
    assert ("webhook", f"webhook:{hook.id}") in by_recipient(system, cause)


def test_an_email_keeps_the_calendar_types_parameters_and_bytes():
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:"
        + GEORGIAN_TITLE
        + " – Žalgirio g.\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    message = EmailChannel("log://", "Chancery <no-reply@example.org>", "example.org").message(
        Outgoing(
            "d-1",
            "nino@example.org",
            "მოწვევა",
            "ტექსტი",
            "<p>ტექსტი</p>",
            [
                {
                    "filename": "invitation.ics",
                    "content_type": "text/calendar; method=REQUEST; charset=UTF-8",
                    "content": base64.b64encode(ics).decode(),
                }
            ],
        )
    )
    [attachment] = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_payload(decode=True) == ics
