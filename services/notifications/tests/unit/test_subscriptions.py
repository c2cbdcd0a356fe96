"""Who is told what when another service's event arrives."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

import pytest

from notifications.adapters.models import StaffMember

COMM_EMAIL = "komunikacija@alytus.example.org"
FIN_EMAIL = "finansai@alytus.example.org"
NOW = "2026-03-10T07:30:00+00:00"  # the test clock's, as routing writes it


@dataclass(frozen=True)
class Staff:
    """Alytus staff in the directory (random subjects and addresses)."""

    head: str
    head_email: str
    executor: str
    executor_email: str
    executor_phone: str
    latvian: str
    fin_head: str
    fin_head_email: str
    director: str
    director_email: str
    retired: str

    def executor_told(self, kind: str) -> set[tuple[str, str, str, str]]:
        """The executor's notices of ``kind``: in the app and by e-mail, in Lithuanian."""
        return {("in_app", self.executor, kind, "lt"), ("email", self.executor_email, kind, "lt")}

    def head_told(self, kind: str) -> set[tuple[str, str, str, str]]:
        """The head's notices of ``kind``: in the app and by e-mail, in Lithuanian."""
        return {("in_app", self.head, kind, "lt"), ("email", self.head_email, kind, "lt")}


@pytest.fixture
def staff(system) -> Staff:
    def email(name: str) -> str:
        return f"{name}.{uuid.uuid4().hex[:6]}@alytus.example.org"

    head_email, executor_email = email("ruta.kairiene"), email("darius.paulauskas")
    fin_head_email, director_email = email("ausra.grigoniene"), email("vytautas.stankevicius")
    phone = "+370 615 42 871"
    return Staff(
        head=system.add_staff("Rūta Kairienė", "lt", "COMM", ["department_head"], email=head_email),
        head_email=head_email,
        executor=system.add_staff(
            "Darius Paulauskas",
            "lt",
            "COMM",
            ["department_staff"],
            email=executor_email,
            phone=phone,
        ),
        executor_email=executor_email,
        executor_phone=phone,
        latvian=system.add_staff("Kārlis Bērziņš", "lv", "COMM", ["department_staff"]),
        fin_head=system.add_staff(
            "Aušra Grigonienė", "lt", "FIN", ["department_head"], email=fin_head_email
        ),
        fin_head_email=fin_head_email,
        director=system.add_staff(
            "Vytautas Stankevičius", "lt", None, ["director"], email=director_email
        ),
        director_email=director_email,
        retired=system.add_staff(
            "Jonas Petrauskas",
            "lt",
            "COMM",
            ["department_head"],
            email=email("jonas.petrauskas"),
            active=False,
        ),
    )


def sent(system, cause: str) -> dict[tuple[str, str], str]:
    """Send everything due and give the text of each delivery of ``cause`` by (channel, to).

    The texts as queued, i.e. as sent: once delivered, secrets are cut out of them.
    """
    texts = {(d.channel, d.recipient): d.text for d in system.caused_by(cause)}
    system.send_until(lambda: all(d.status == "delivered" for d in system.caused_by(cause)))
    return texts


# The citizen who wrote -----------------------------------------------------------


@pytest.mark.parametrize("language", ["lt", "lv", "ka", "sq", "en"])
def test_a_registered_letter_is_acknowledged_to_the_sender_in_their_language(
    system, events, language
):
    letter = events.registered(events.citizen(language))
    cause = system.publish("letter.registered", letter)
    email = letter["sender"]["email"]
    assert system.told(cause) == {("email", email, "letter_registered", language)}
    text = sent(system, cause)[("email", email)]
    number, code = letter["registration_number"], letter["status_lookup_code"]
    assert number in text
    assert code in text
    assert letter["subject"] in text
    assert f"http://127.0.0.1:8000/public/status/{number}?code={code}" in text
    assert "2026-03-10" in text, "the day received, in Alytus' time"
    [delivery] = system.caused_by(cause)
    assert number in delivery.subject


def test_a_sender_with_only_a_phone_gets_an_sms(system, events):
    letter = events.registered(events.citizen("sq", email=False, phone=True), department=None)
    cause = system.publish("letter.registered", letter)
    phone = letter["sender"]["phone"]
    assert system.told(cause) == {("sms", phone, "letter_registered", "sq")}
    text = sent(system, cause)[("sms", phone)]
    assert f"Numri i protokollit: {letter['registration_number']}" in text
    assert letter["status_lookup_code"] in text


def test_a_sender_with_neither_email_nor_phone_is_told_nothing(system, events):
    letter = events.registered(events.citizen("lt", email=False))
    cause = system.publish("letter.registered", letter)
    assert system.told(cause) == set()
    assert system.counts()["contacts"] == 1, "the letter is remembered all the same"


@pytest.mark.parametrize(
    ("event", "build", "kind", "expected"),
    [
        ("letter.answered", "answered", "letter_answered", "reply_registration_number"),
        ("letter.deadline_extended", "deadline_extended", "deadline_extended", "reason"),
        ("letter.not_ours", "not_ours", "letter_not_ours", "forwarded_to"),
    ],
)
def test_later_events_about_a_letter_tell_its_sender(system, events, event, build, kind, expected):
    letter = events.registered(events.citizen("lv"))
    system.publish("letter.registered", letter)
    payload = getattr(events, build)(letter)
    cause = system.publish(
        event, payload, producer="routing" if event != "letter.not_ours" else "intake"
    )
    email = letter["sender"]["email"]
    assert system.told(cause) == {("email", email, kind, "lv")}
    text = sent(system, cause)[("email", email)]
    assert letter["registration_number"] in text
    assert letter["subject"] in text, "the subject remembered from the registration"
    assert payload[expected] in text


def test_the_dates_of_an_extension_reach_the_sender(system, events):
    letter = events.registered(events.citizen("ka"))
    system.publish("letter.registered", letter)
    cause = system.from_routing("letter.deadline_extended", events.deadline_extended(letter))
    text = sent(system, cause)[("email", letter["sender"]["email"])]
    assert "2026-04-07" in text
    assert "2026-04-21" in text


def test_a_letter_answered_by_an_invitation_decision_tells_its_sender_of_no_reply(system, events):
    letter = events.registered(events.citizen("lv"))
    system.publish("letter.registered", letter)
    cause = system.from_routing(
        "letter.answered",
        {
            **events.answered(letter),
            "reply_letter_id": None,
            "reply_registration_number": None,
            "answered_by": "invitation_decision",
        },
    )
    assert system.told(cause) == set()


def test_events_about_an_unknown_letter_tell_nobody(system, events):
    letter = events.registered(events.citizen("lt"))
    cause = system.from_routing("letter.answered", events.answered(letter))
    assert system.told(cause) == set()


@pytest.mark.parametrize(
    ("event", "build"),
    [("letter.status_changed", "status_changed"), ("letter.reply_registered", "reply_registered")],
)
def test_events_without_a_subscription_tell_nobody(system, events, staff, event, build):
    letter = events.registered(events.citizen("lt"))
    system.publish("letter.registered", letter)
    cause = system.publish(
        event,
        getattr(events, build)(letter),
        producer="routing" if event == "letter.status_changed" else "intake",
    )
    assert system.told(cause) == set()


# The department, the executor, the head, the approvers ----------------------------


def test_a_routed_letter_tells_the_departments_staff_in_app_and_its_mailbox(system, events, staff):
    letter = events.registered(events.citizen("ka"))
    system.publish("letter.registered", letter)
    cause = system.from_routing("letter.routed", events.routed(letter))
    assert system.told(cause) == {
        ("in_app", staff.head, "letter_routed", "lt"),
        ("in_app", staff.executor, "letter_routed", "lt"),
        ("in_app", staff.latvian, "letter_routed", "lv"),
        ("email", COMM_EMAIL, "letter_routed", "lt"),
    }
    texts = sent(system, cause)
    mailbox = texts[("email", COMM_EMAIL)]
    assert letter["registration_number"] in mailbox
    assert letter["subject"] in mailbox
    assert "Komunikacijos skyrius" in mailbox
    assert "2026-04-07" in mailbox
    [item] = system.feed.items(staff.latvian, unread_only=True)
    assert letter["registration_number"] in item.title + item.body
    # The notice links to the letter by its number (the app turns it into an address).
    assert (item.registration_number, item.assignment_id) == (letter["registration_number"], None)


def test_a_new_assignment_tells_its_executor_on_every_channel_they_have(system, events, staff):
    cause = system.from_routing(
        "assignment.created",
        events.assignment(executor=staff.executor, assigned_by="Rūta Kairienė", created_at=NOW),
    )
    assert system.told(cause) == staff.executor_told("assignment_created")
    text = sent(system, cause)[("email", staff.executor_email)]
    assert "Parengti atsakymą dėl šaligatvio remonto" in text
    assert "Rūta Kairienė" in text


def test_an_own_tasks_notice_links_to_the_task(system, events, staff):
    task = {
        **events.assignment(executor=staff.executor, assigned_by="Rūta Kairienė", created_at=NOW),
        "letter_id": None,
        "registration_number": None,
    }
    system.from_routing("assignment.created", task)
    [item] = system.feed.items(staff.executor, unread_only=True)
    assert (item.registration_number, item.assignment_id) == (None, task["assignment_id"])


def test_the_directorys_changes_reach_the_local_copy_and_name_the_giver(system, events, staff):
    subject = f"mayor-{uuid.uuid4().hex[:8]}"
    system.from_routing(
        "staff.member_changed",
        {
            "subject": subject,
            "name": "Nerijus Vaitkus",
            "department_code": None,
            "roles": ["mayor"],
            "positions": {"lt": "Meras"},
            "email": None,
            "phone": None,
            "language": "lt",
            "active": True,
            "changed_at": "2026-03-10T07:00:00+00:00",
        },
    )
    with system.wiring.unit_of_work() as uow:
        kept = uow.session.get(StaffMember, subject)
        assert (kept.name, kept.roles, kept.active) == ("Nerijus Vaitkus", ["mayor"], True)
    # The giver's subject alone is enough: the name comes from the directory's copy.
    cause = system.from_routing(
        "assignment.created",
        events.assignment(executor=staff.executor, assigned_by=subject, created_at=NOW),
    )
    text = sent(system, cause)[("email", staff.executor_email)]
    assert "Pavedimą davė: Nerijus Vaitkus" in text
    assert subject not in text
    # What the routing rules gave reads as the registry's, in the reader's language.
    ruled = system.from_routing(
        "assignment.created",
        events.assignment(
            executor=staff.executor, assigned_by="routing", assigned_by_name=None, created_at=NOW
        ),
    )
    text = sent(system, ruled)[("email", staff.executor_email)]
    assert "Pavedimą davė: registras pagal paskirstymo taisykles" in text


def test_an_assignment_without_an_executor_goes_to_the_department(system, events, staff):
    cause = system.from_routing(
        "assignment.created",
        events.assignment(department="FIN", assigned_by="Vytautas Stankevičius", created_at=NOW),
    )
    assert system.told(cause) == {
        ("in_app", staff.fin_head, "assignment_created", "lt"),
        ("email", FIN_EMAIL, "assignment_created", "lt"),
    }
    assert "Finansų ir biudžeto skyrius" in sent(system, cause)[("email", FIN_EMAIL)]


@pytest.mark.parametrize(
    ("event", "kind", "extra", "figure"),
    [
        ("assignment.due_soon", "assignment_due_soon", {"working_days_left": 2}, "2"),
        ("assignment.overdue", "assignment_overdue", {"days_overdue": 3}, "3"),
    ],
)
def test_due_soon_and_overdue_tell_the_executor_and_the_head(
    system, events, staff, event, kind, extra, figure
):
    payload = events.assignment(executor=staff.executor, **extra)
    cause = system.from_routing(event, payload)
    assert system.told(cause) == staff.executor_told(kind) | staff.head_told(kind)
    text = sent(system, cause)[("email", staff.head_email)]
    assert payload["title"] in text
    assert payload["registration_number"] in text
    assert "2026-04-07" in text
    assert f": {figure}" in text


def test_a_reminder_by_hand_tells_the_executor_alone_with_the_instructions(system, events, staff):
    payload = events.assignment(
        executor=staff.latvian,
        instructions="Saskaņot ar juristu; atbildēt latviski.",
        reminded_by="office-1",
        reminded_by_name="Līga Ozola",
        reminded_at=NOW,
        reminder_count=1,
    )
    cause = system.from_routing("assignment.reminded", payload)
    assert system.told(cause) == {("in_app", staff.latvian, "assignment_reminded", "lv")}
    [item] = system.feed.items(staff.latvian, False)
    assert item.title == f"Atgādinājums par uzdevumu: {payload['title']}"
    assert "Līga Ozola atgādina" in item.body
    assert "Norādījumi: Saskaņot ar juristu; atbildēt latviski." in item.body
    assert item.registration_number == payload["registration_number"]


def test_a_head_who_executes_is_told_once_per_channel(system, events, staff):
    cause = system.from_routing(
        "assignment.overdue", events.assignment(executor=staff.head, days_overdue=1)
    )
    assert system.told(cause) == staff.head_told("assignment_overdue")


def test_an_endorsement_by_the_head_asks_that_departments_head_only(system, events, staff):
    payload = events.endorsement(executor=staff.executor, requested_at=NOW)
    cause = system.from_routing("endorsement.requested", payload)
    assert system.told(cause) == staff.head_told("endorsement_requested")
    text = sent(system, cause)[("email", staff.head_email)]
    assert payload["reply_subject"] in text
    assert payload["registration_number"] in text
    assert "skyriaus vedėjas" in text, "the role named in the approver's language"


def test_an_endorsement_by_another_role_asks_whoever_holds_it(system, events, staff):
    cause = system.from_routing(
        "endorsement.requested",
        events.endorsement(department="FIN", approver_role="director", step=2, requested_at=NOW),
    )
    assert system.told(cause) == {
        ("in_app", staff.director, "endorsement_requested", "lt"),
        ("email", staff.director_email, "endorsement_requested", "lt"),
    }


@pytest.mark.parametrize(
    ("event", "kind", "extra", "expected"),
    [
        (
            "endorsement.returned",
            "endorsement_returned",
            {
                "returned_by": "Rūta Kairienė",
                "comment": "Patikslinkite terminą antrame punkte",
                "returned_at": NOW,
            },
            "Patikslinkite terminą antrame punkte",
        ),
        (
            "endorsement.approved",
            "endorsement_approved",
            {"approved_by": "Vytautas Stankevičius", "approved_at": NOW},
            "Vytautas Stankevičius",
        ),
    ],
)
def test_returned_and_approved_endorsements_tell_the_executor(
    system, events, staff, event, kind, extra, expected
):
    payload = events.endorsement(executor=staff.executor, **extra)
    cause = system.from_routing(event, payload)
    assert system.told(cause) == staff.executor_told(kind)
    assert expected in sent(system, cause)[("email", staff.executor_email)]


def test_inactive_and_unknown_executors_are_told_nothing(system, events, staff):
    retired = system.from_routing(
        "endorsement.returned",
        events.endorsement(
            executor=staff.retired, returned_by="Rūta Kairienė", comment="Taisyti", returned_at=NOW
        ),
    )
    stranger = system.from_routing(
        "endorsement.approved",
        events.endorsement(
            executor="nezinomas-vartotojas", approved_by="Rūta Kairienė", approved_at=NOW
        ),
    )
    assert system.told(retired) == set()
    assert system.told(stranger) == set()


# Configuration --------------------------------------------------------------------


def test_a_switched_off_subscription_queues_nothing(system, events, staff):
    system.audiences.configure("letter.routed", active=False, channel=None)
    letter = events.registered(events.citizen("lt"))
    registered = system.publish("letter.registered", letter)
    routed = system.from_routing("letter.routed", events.routed(letter))
    assert system.told(routed) == set()
    assert len(system.told(registered)) == 1, "other subscriptions are unaffected"
    system.audiences.configure("letter.routed", active=True, channel=None)
    again = system.from_routing("letter.routed", events.routed(letter, department="FIN"))
    assert len(system.told(again)) == 2


def test_a_forced_channel_reaches_the_sender_at_that_address(system, events):
    system.audiences.configure("letter.registered", active=True, channel="sms")
    letter = events.registered(events.citizen("lv", phone=True))
    cause = system.publish("letter.registered", letter)
    assert system.told(cause) == {("sms", letter["sender"]["phone"], "letter_registered", "lv")}


def test_a_forced_channel_keeps_in_app_and_falls_back_where_there_is_no_address(
    system, events, staff
):
    system.audiences.configure("assignment.due_soon", active=True, channel="sms")
    cause = system.from_routing(
        "assignment.due_soon", events.assignment(executor=staff.executor, working_days_left=1)
    )
    assert system.told(cause) == {
        ("in_app", staff.executor, "assignment_due_soon", "lt"),
        ("sms", staff.executor_phone, "assignment_due_soon", "lt"),
    } | staff.head_told("assignment_due_soon")
    assert len(sent(system, cause)) == 4


def test_forcing_in_app_tells_staff_in_the_app_only(system, events, staff):
    system.audiences.configure("endorsement.requested", active=True, channel="in_app")
    cause = system.from_routing("endorsement.requested", events.endorsement(requested_at=NOW))
    assert system.told(cause) == {("in_app", staff.head, "endorsement_requested", "lt")}


def test_forcing_in_app_for_the_department_leaves_the_mailbox_alone(system, events, staff):
    system.audiences.configure("letter.routed", active=True, channel="in_app")
    letter = events.registered(events.citizen("lt"))
    cause = system.from_routing("letter.routed", events.routed(letter, department="FIN"))
    assert system.told(cause) == {
        ("in_app", staff.fin_head, "letter_routed", "lt"),
        ("email", FIN_EMAIL, "letter_routed", "lt"),
    }
    assert system.feed.items(FIN_EMAIL, unread_only=False) == []


# Department systems by webhook ----------------------------------------------------


def test_webhooks_get_signed_posts_only_for_their_kinds_and_department(
    system, events, staff, webhook_receiver
):
    url, receiver = webhook_receiver
    hook, secret = system.webhooks.add(
        "Komunikacijos skyriaus sistema",
        url,
        ["letter.routed", "assignment.created"],
        "COMM",
        system.operator,
    )
    receiver.secret = secret
    other, _ = system.webhooks.add(
        "Finansų sistema", url, ["letter.routed"], "FIN", system.operator
    )
    letter = events.registered(events.citizen("ka"))
    system.publish("letter.registered", letter)
    comm = system.from_routing("letter.routed", events.routed(letter))
    fin = system.from_routing("letter.routed", events.routed(letter, department="FIN"))
    assigned = system.from_routing(
        "assignment.created",
        events.assignment(executor=staff.executor, assigned_by="Rūta Kairienė", created_at=NOW),
    )
    elsewhere = system.from_routing(
        "assignment.created",
        events.assignment(department="EDU", assigned_by="Vytautas Stankevičius", created_at=NOW),
    )
    requested = system.from_routing("endorsement.requested", events.endorsement(requested_at=NOW))

    def hooks(cause: str) -> set[str]:
        return {d.recipient for d in system.caused_by(cause) if d.channel == "webhook"}

    assert hooks(comm) == {f"webhook:{hook.id}"}
    assert hooks(fin) == {f"webhook:{other.id}"}
    assert hooks(assigned) == {f"webhook:{hook.id}"}
    assert hooks(elsewhere) == set()
    assert hooks(requested) == set()
    system.send_until(lambda: len(receiver.received) == 2 and receiver.refused == 1)
    posted = {p["body"]["data"]["event"]: p for p in receiver.received}
    assert set(posted) == {"letter.routed", "assignment.created"}
    routed = posted["letter.routed"]
    assert routed["body"]["data"]["payload"]["registration_number"] == letter["registration_number"]
    assert routed["body"]["data"]["payload"]["subject"] == letter["subject"]
    assert routed["body"]["id"] == comm
    [routed_delivery] = [d for d in system.caused_by(comm) if d.channel == "webhook"]
    assert routed["headers"]["webhook-id"] == routed_delivery.id
    assert abs(int(routed["headers"]["webhook-timestamp"]) - time.time()) < 60
    assert json.loads(routed_delivery.text) == routed["body"]
    [refused] = [d for d in system.caused_by(fin) if d.channel == "webhook"]
    assert system.delivery(refused.id).status == "permanent_failure"
    assert system.delivery(refused.id).last_error.startswith("HTTP 401")


def test_a_webhook_hears_events_even_when_the_subscription_is_off(system, events, webhook_receiver):
    url, receiver = webhook_receiver
    hook, receiver.secret = system.webhooks.add(
        "Dokumentų valdymo sistema", url, ["letter.routed"], None, system.operator
    )
    system.audiences.configure("letter.routed", active=False, channel=None)
    letter = events.registered(events.citizen("lt"))
    cause = system.from_routing("letter.routed", events.routed(letter, department="DOC"))
    assert system.told(cause) == {("webhook", f"webhook:{hook.id}", "generic", "lt")}
    system.send_until(lambda: receiver.received)
    assert receiver.received[0]["body"]["data"]["payload"]["department_code"] == "DOC"
