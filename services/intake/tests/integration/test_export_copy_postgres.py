"""PostgreSQL writes the protocol book's CSV itself (COPY), cell for cell as Python would."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from sqlalchemy import select, text

from chancery.clock import utcnow
from chancery.idempotency import StoredResponse
from chancery.principal import Principal
from chancery.runtime import ServiceWiring
from intake.adapters.repositories import LetterFilters
from intake.usecases.exports import EXPORT_HEADER
from intake.usecases.letters import RegisterLetter

pytestmark = pytest.mark.integration
SECRET_CLERK = Principal(
    subject=f"clerk-{uuid.uuid4().hex[:8]}", roles=frozenset({"registrar", "clearance_secret"})
)
CLERK = Principal(subject=f"clerk-{uuid.uuid4().hex[:8]}", roles=frozenset({"registrar"}))


def register(wiring: ServiceWiring, **fields: Any) -> dict[str, Any]:
    command = RegisterLetter(
        **{
            "direction": "incoming",
            "kind": "complaint",
            "channel": "email",
            "language": "lt",
            "addressee": {"kind": "mayor"},
            **fields,
        }
    )
    response = wiring.extensions["letters"].register(
        command,
        SECRET_CLERK,
        str(uuid.uuid4()),
        None,
        lambda r: StoredResponse(201, {"id": r.letter.id, "number": r.letter.registration_number}),
    )
    return response.body


def exported(
    wiring: ServiceWiring, principal: Principal, **criteria: Any
) -> dict[str, dict[str, str]]:
    today = wiring.extensions["letters"].profile.calendar().local(utcnow()).date()
    document = "".join(
        wiring.extensions["exports"].protocol_book_csv(
            today, today, principal, LetterFilters(**criteria)
        )
    )
    rows = list(csv.reader(io.StringIO(document)))
    assert rows[0] == list(EXPORT_HEADER)
    return {row[0]: dict(zip(EXPORT_HEADER, row, strict=True)) for row in rows[1:]}


def test_the_database_writes_each_cell_as_python_does(wiring):
    typed = '=HYPERLINK("http://evil.example","Spausti")'
    formula = register(
        wiring,
        subject=typed,
        correspondent={"type": "person", "name": "@SUM(A1)", "email": "ona@example.lt"},
    )
    georgian = register(
        wiring,
        language="ka",
        subject='განცხადება, "ბინა"\nმეორე ხაზი',
        correspondent={
            "type": "organisation",
            "name": "ნინო ბერიძე",
            "organisation": "თელავის მუნიციპალიტეტი",
        },
    )
    secret = register(
        wiring,
        subject="Slaptas skundas",
        confidentiality="confidential",
        correspondent={"type": "person", "name": "Rūta Šimkūnienė"},
    )
    reply = register(
        wiring,
        direction="outgoing",
        kind="reply",
        channel=None,
        subject="Atsakymas",
        in_reply_to=formula["number"],
        correspondent={"type": "person", "name": "Ona"},
    )
    book = exported(wiring, SECRET_CLERK)
    assert list(book) == [formula["number"], georgian["number"], secret["number"], reply["number"]]
    letter, _, _ = wiring.extensions["letters"].read(formula["id"], SECRET_CLERK)
    calendar = wiring.extensions["letters"].profile.calendar()
    local = calendar.local(letter.registered_at)
    assert book[formula["number"]] == {
        "registration_number": formula["number"],
        "register": letter.register_code,
        "direction": "incoming",
        "registered_at": local.isoformat(timespec="minutes"),
        "received_at": calendar.local(letter.received_at).isoformat(timespec="minutes")
        if letter.received_at
        else "",
        "kind": "complaint",
        "channel": "email",
        "language": "lt",
        "correspondent": "'@SUM(A1)",
        "organisation": "",
        "addressee": "mayor",
        "subject": "'" + typed,
        "department": "",
        "status": letter.status,
        "due_date": letter.due_date.isoformat() if letter.due_date else "",
        "answered_at": "",
        "confidentiality": "normal",
        "in_reply_to": "",
        "forwarded_to": "",
        "file_reference": "",
    }
    assert (book[georgian["number"]]["subject"], book[georgian["number"]]["organisation"]) == (
        'განცხადება, "ბინა"\nმეორე ხაზი',
        "თელავის მუნიციპალიტეტი",
    )
    assert book[reply["number"]]["in_reply_to"] == formula["number"]
    # The reader's visibility is the SELECT's: no clearance, no confidential row.
    assert secret["number"] not in exported(wiring, CLERK)
    assert list(exported(wiring, SECRET_CLERK, text="Šimkūnienė")) == [secret["number"]]
    assert list(exported(wiring, SECRET_CLERK, direction="outgoing")) == [reply["number"]]


def test_a_reader_who_stops_early_cancels_the_copy_and_the_export_stays_audited(wiring):
    register(wiring, subject="Prašymas", correspondent={"type": "person", "name": "Ona"})
    today = wiring.extensions["letters"].profile.calendar().local(utcnow()).date()
    lines = wiring.extensions["exports"].protocol_book_csv(today, today, CLERK)
    assert next(lines).startswith("registration_number,")
    lines.close()
    with wiring.unit_of_work() as uow:
        audit = uow.tables.audit
        rows = uow.session.execute(
            select(audit.c.actor, audit.c.object_type, audit.c.object_id).where(
                audit.c.action == "export"
            )
        ).all()
        assert [tuple(row) for row in rows] == [
            (CLERK.subject, "protocol_book", f"{today}/{today}")
        ]
        # The pooled connection went back clean: nothing is left half copied.
        assert uow.session.execute(text("SELECT 1")).scalar() == 1
