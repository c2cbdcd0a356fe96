"""Routing on the real PostgreSQL: the deadline timer and endorsement races."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from chancery.errors import Conflict, TooManyRequests
from chancery.messages.catalogue import contract
from chancery.principal import Principal
from chancery.runtime import ServiceWiring, migrate
from chancery_testing import run_together, wired_service
from routing.adapters.models import Assignment, Endorsement, EndorsementDecision
from routing.bootstrap import bootstrap
from routing.config import load_settings
from routing.usecases.assignments import Assignments
from routing.usecases.endorsements import Endorsements
from routing.usecases.letters import Letters
from routing.usecases.triage import Triage

pytestmark = pytest.mark.integration

MAYOR_OFFICE = Principal(subject="Aušra Vaitkevičienė", roles=frozenset({"mayor_office"}))
LEGAL_STAFF = Principal(
    subject="Dovilė Jankauskaitė", roles=frozenset({"department_staff"}), department="LEGAL"
)
# Two heads of the Legal Department (the head and the deputy standing in with the same role).
LEGAL_HEADS = (
    Principal(
        subject="Rūta Petrauskienė", roles=frozenset({"department_head"}), department="LEGAL"
    ),
    Principal(subject="Tomas Kazlauskas", roles=frozenset({"department_head"}), department="LEGAL"),
)
# Assignments are given on 2 November 2026; the timer looks on Monday 23 November 2026.
DEPARTMENTS = ("MUNI", "URBAN", "FIN")
OPERATOR = Principal(subject="operator-1", roles=frozenset({"operator"}))
GIVEN_AT = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
TIMER_AT = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def wiring(database_url: str, tmp_path) -> Iterator[ServiceWiring]:
    _, wired = wired_service(tmp_path, load_settings, bootstrap, database_url=database_url)
    people = [
        (LEGAL_STAFF.subject, "LEGAL"),
        *((f"vykdytojas-{index}", department) for index, department in enumerate(DEPARTMENTS)),
    ]
    for subject, department in people:
        wired.extensions["staff"].save(
            subject,
            {
                "name": subject,
                "department_code": department,
                "roles": ["department_staff"],
                "positions": {},
                "email": None,
                "phone": None,
                "language": "lt",
                "active": True,
            },
            OPERATOR,
            "c-seed",
        )
    yield wired
    wired.engine.dispose()


def letters_of(wiring: ServiceWiring) -> Letters:
    return wiring.extensions["letters"]


def triage_of(wiring: ServiceWiring) -> Triage:
    return wiring.extensions["triage"]


def endorsements_of(wiring: ServiceWiring) -> Endorsements:
    return wiring.extensions["endorsements"]


def tasks_at(wiring: ServiceWiring, instant: datetime) -> Assignments:
    """A timer (as a worker would run it) whose clock shows ``instant``."""
    letters = letters_of(wiring)
    return Assignments(
        wiring.unit_of_work,
        letters.calendars,
        letters.profile.due_soon_working_days,
        clock=lambda: instant,
    )


def letter_registered(
    wiring: ServiceWiring,
    subject: str,
    sender: str,
    received_at: datetime,
    kind: str = "complaint",
    addressee: str = "mayor",
) -> str:
    """Feed routing the ``letter.registered`` payload intake would publish; the letter's id."""
    letter_id = str(uuid.uuid4())
    payload = contract("letter.registered", 1).payload_schema.load(
        {
            "letter_id": letter_id,
            "registration_number": f"P-2026-{uuid.uuid4().int % 10**5:05d}",
            "register": "applications",
            "kind": kind,
            "channel": "email",
            "language": "lt",
            "subject": subject,
            "summary": None,
            "addressee": {"kind": addressee},
            "sender": {"type": "person", "name": sender, "preferred_language": "lt"},
            "confidentiality": "normal",
            "received_at": received_at.isoformat(),
            "registered_at": received_at.isoformat(),
            "status_lookup_code": "K7M2Q9X4PA",
            "municipality": "alytus",
        }
    )
    triage = triage_of(wiring)
    with triage.transaction() as uow:
        triage.letter_registered(uow, payload, str(uuid.uuid4()), str(uuid.uuid4()))
    return letter_id


def outbox_messages(wiring: ServiceWiring, *types: str) -> list[dict[str, Any]]:
    outbox = wiring.tables.outbox
    with wiring.engine.connect() as conn:
        bodies = conn.execute(
            select(outbox.c.body)
            .where(outbox.c.message_type.in_(types))
            .order_by(outbox.c.created_at)
        ).scalars()
        return [json.loads(body) for body in bodies]


def test_the_profile_is_loaded_once_even_when_migrate_runs_again(wiring):
    departments, registry_rules = wiring.extensions["departments"], wiring.extensions["rules"]
    codes = [d.code for d in departments.departments()]
    rules = registry_rules.rules()
    migrate(wiring)
    assert [d.code for d in departments.departments()] == codes
    profile = letters_of(wiring).profile
    assert len(registry_rules.rules()) == len(rules) == len(profile.routing_rules)
    assert {"DOC", "COMM", "LEGAL", "FIN", "SOC", "EDU", "URBAN", "MUNI"} <= set(codes)


def test_two_timers_at_once_publish_each_reminder_exactly_once(wiring):
    giver = Principal(subject="Vytautas Mažeika", roles=frozenset({"mayor"}))
    creating = tasks_at(wiring, GIVEN_AT)
    # 23 Nov 2026 is a Monday; three working days or fewer left means "due soon".
    groups = {
        "overdue": [date(2026, 11, 13), date(2026, 11, 19), date(2026, 11, 20)],
        "due_soon": [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26)],
        "later": [date(2026, 12, 4), date(2026, 12, 18)],
    }
    plan = [
        (group, due, index) for group, dues in groups.items() for due in dues for index in range(25)
    ]

    def create(item: tuple[str, date, int]) -> tuple[str, str]:
        group, due, index = item
        assignment = creating.create(
            f"Parengti atsakymą dėl Birutės gatvės remonto nr. {index}",
            None,
            DEPARTMENTS[index % 3],
            f"vykdytojas-{index % 3}",
            due,
            giver,
            str(uuid.uuid4()),
        )
        return group, assignment.id

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(create, plan))
    # Letters received in early October were due in November: their assignments are overdue.
    letters = [
        letter_registered(
            wiring,
            f"Skundas dėl triukšmo Vilties gatvėje nr. {i}",
            "Gintarė Rimkutė",
            datetime(2026, 10, 1, 8, tzinfo=UTC),
        )
        for i in range(10)
    ]
    with wiring.unit_of_work() as uow:
        letter_assignments = dict(
            uow.session.execute(
                select(Assignment.id, Assignment.letter_id).where(Assignment.letter_id.in_(letters))
            ).all()
        )
    expected = {group: {aid for g, aid in created if g == group} for group in groups}
    expected["overdue"] |= set(letter_assignments)

    timers = [tasks_at(wiring, TIMER_AT) for _ in range(2)]
    counts = [
        run_together(2, lambda i: timers[i].check_due_dates(str(uuid.uuid4()))) for _ in range(3)
    ]
    for round_counts in counts:
        assert not any(isinstance(c, Exception) for c in round_counts), round_counts
    assert sum(soon for round_ in counts for soon, _ in round_) == len(expected["due_soon"])
    assert sum(late for round_ in counts for _, late in round_) == len(expected["overdue"])

    sent = Counter(
        (m["type"], m["payload"]["assignment_id"])
        for m in outbox_messages(wiring, "assignment.due_soon", "assignment.overdue")
    )
    assert all(count == 1 for count in sent.values()), sent.most_common(3)
    assert {aid for kind, aid in sent if kind == "assignment.due_soon"} == expected["due_soon"]
    assert {aid for kind, aid in sent if kind == "assignment.overdue"} == expected["overdue"]
    by_letter = {
        m["payload"]["assignment_id"]: m["payload"]
        for m in outbox_messages(wiring, "assignment.overdue")
    }
    for assignment_id, letter_id in letter_assignments.items():
        assert by_letter[assignment_id]["letter_id"] == letter_id
        assert by_letter[assignment_id]["registration_number"].startswith("P-2026-")
        assert by_letter[assignment_id]["department_code"] == "LEGAL"

    # A week later the due-soon ones are overdue too: again exactly one message each (the
    # two timers may share the rows between them: SKIP LOCKED hands each row to one of them).
    week_later = [tasks_at(wiring, TIMER_AT + timedelta(days=7)) for _ in range(2)]
    later = run_together(2, lambda i: week_later[i].check_due_dates(str(uuid.uuid4())))
    assert not any(isinstance(c, Exception) for c in later), later
    assert (sum(s for s, _ in later), sum(o for _, o in later)) == (0, len(expected["due_soon"]))
    sent = Counter(
        (m["type"], m["payload"]["assignment_id"])
        for m in outbox_messages(wiring, "assignment.due_soon", "assignment.overdue")
    )
    assert all(count == 1 for count in sent.values()), sent.most_common(3)
    assert {aid for kind, aid in sent if kind == "assignment.overdue"} == (
        expected["overdue"] | expected["due_soon"]
    )
    assert not {aid for _, aid in sent} & expected["later"]
    assert timers[0].check_due_dates(str(uuid.uuid4())) == (0, 0)


def submitted_reply(wiring: ServiceWiring, index: int) -> tuple[str, Endorsement]:
    """A complaint to the mayor, routed to LEGAL, assigned, its reply sent for endorsement."""
    letters, endorsements = letters_of(wiring), endorsements_of(wiring)
    letter_id = letter_registered(
        wiring,
        f"Skundas merui dėl Jūratės ir Kastyčio skvero apželdinimo nr. {index}",
        "Žydrūnas Vaičiulis",
        datetime.now(UTC),
    )
    letters.assign(letter_id, LEGAL_STAFF.subject, LEGAL_HEADS[0], str(uuid.uuid4()))
    endorsement = endorsements.submit_reply(
        letter_id,
        "Atsakymas dėl skvero apželdinimo",
        "Skveras bus apželdintas pavasarį.",
        "lt",
        LEGAL_STAFF,
        str(uuid.uuid4()),
    )
    return letter_id, endorsement


# The head who also stands in for the director, clicking "approve" twice.
ACTING_DIRECTOR = Principal(
    subject="Rūta Petrauskienė",
    roles=frozenset({"department_head", "director"}),
    department="LEGAL",
)


@pytest.mark.parametrize(
    "approvers",
    [LEGAL_HEADS, (ACTING_DIRECTOR, ACTING_DIRECTOR)],
    ids=["two heads", "one head with two roles, twice"],
)
def test_two_approvals_of_the_same_step_at_once_one_wins_the_other_gets_conflict(wiring, approvers):
    letters, endorsements = letters_of(wiring), endorsements_of(wiring)
    for index in range(5):  # the race is run several times, not trusted to one ordering
        letter_id, endorsement = submitted_reply(wiring, index)
        assert endorsement.circuit == ["department_head", "director", "mayor"]
        assert endorsement.step == 0

        # Both approvers saw step 1 in their list and approve it.
        outcomes = run_together(
            2,
            lambda i, e=endorsement: endorsements.decide_endorsement(
                e.id, True, "Pritariu.", approvers[i], str(uuid.uuid4()), expected_step=1
            ),
        )

        winners = [o for o in outcomes if isinstance(o, Endorsement)]
        losers = [o for o in outcomes if isinstance(o, Exception)]
        assert len(winners) == 1, outcomes
        assert len(losers) == 1, outcomes
        assert isinstance(losers[0], Conflict), repr(losers[0])
        assert winners[0].step == 1
        with wiring.unit_of_work() as uow:
            stored = uow.session.get(Endorsement, endorsement.id)
            decisions = uow.session.scalar(
                select(func.count())
                .select_from(EndorsementDecision)
                .where(EndorsementDecision.endorsement_id == endorsement.id)
            )
        assert (stored.status, stored.step, decisions) == ("pending", 1, 1)
        requested = [
            m["payload"]
            for m in outbox_messages(wiring, "endorsement.requested")
            if m["payload"]["endorsement_id"] == endorsement.id
        ]
        assert [(r["step"], r["approver_role"]) for r in requested] == [
            (1, "department_head"),
            (2, "director"),
        ]
        letter, _, _ = letters.letter(letter_id, MAYOR_OFFICE)
        assert letter.status == "awaiting_endorsement"


def test_four_remind_now_clicks_at_once_send_one_reminder(wiring):
    """The row lock orders the clicks: one reminds, the others are told to wait the hour."""
    giver = Principal(subject="Vytautas Mažeika", roles=frozenset({"mayor"}))
    now = datetime.now(UTC)
    tasks = tasks_at(wiring, now)
    assignment = tasks.create(
        "Patikrinti Vilties gatvės šaligatvio remontą",
        "Nuvykti vietoje.",
        "MUNI",
        "vykdytojas-0",
        now.date() + timedelta(days=7),
        giver,
        str(uuid.uuid4()),
    )
    results = run_together(
        4, lambda _i: tasks.remind(assignment.id, MAYOR_OFFICE, str(uuid.uuid4()))
    )
    reminded = [r for r in results if isinstance(r, Assignment)]
    assert len(reminded) == 1, results
    assert all(isinstance(r, TooManyRequests) for r in results if r not in reminded), results
    [sent] = outbox_messages(wiring, "assignment.reminded")
    assert (sent["payload"]["assignment_id"], sent["payload"]["reminder_count"]) == (
        assignment.id,
        1,
    )
    with wiring.unit_of_work() as uow:
        stored = uow.session.get(Assignment, assignment.id)
        assert (stored.reminder_count, stored.last_reminded_at is not None) == (1, True)
