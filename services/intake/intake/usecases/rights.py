"""People's rights (GDPR): intake owns the data subjects' requests (decision 60).

The data protection officer starts a request (access, erasure or
restriction) about a person named by name, e-mail or phone. Intake answers
its own part at once,
in the same transaction that stores the request and puts
``personal_data.requested`` in the outbox; every other service answers with
``personal_data.answered``, stored once per service. The request shows
which services have answered and which are outstanding.

In intake a letter of the protocol book is never erased on request: its
number and the fact of registration stay for good, its contents for its
case file's retention in the file plan (the legal basis), after which a
destruction act erases them (decision 51).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chancery.audited import record_access_in
from chancery.clock import utcnow
from chancery.db import UnitOfWork, existing
from chancery.errors import InvalidInput
from chancery.messages.contracts.people import PersonalDataAnsweredV1
from chancery.messages.envelope import InvalidMessage
from chancery.paging import Page, PageRequest
from chancery.personal_data import ACTIONS, Person, capped, outcome, processing_goes_on, record
from chancery.principal import Principal
from chancery.text import fold
from chancery.vocabulary import SERVICES
from intake.adapters.models import CaseFile, Letter, PersonalDataPart, PersonalDataRequest
from intake.domain import file_plan

OWNER = "intake"
# Requests are numbered max + 1; two started at once retry with the next number.
NUMBERING_ATTEMPTS = 3


@dataclass(frozen=True)
class RequestView:
    """A request with the parts answered so far, keyed by service."""

    request: PersonalDataRequest
    parts: dict[str, PersonalDataPart] = field(default_factory=dict)

    @property
    def answered(self) -> list[str]:
        """The services that have answered, in the platform's order."""
        return [service for service in SERVICES if service in self.parts]

    @property
    def outstanding(self) -> list[str]:
        """The services whose answer is still awaited."""
        return [service for service in SERVICES if service not in self.parts]


class PeoplesRights:
    """Data subjects' requests: start one, store the services' answers, read them."""

    def __init__(
        self, unit_of_work: Callable[[], UnitOfWork], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock

    def start(
        self, action: str, person: Person, principal: Principal, correlation_id: str
    ) -> RequestView:
        """Store the request, answer intake's part and ask every other service for theirs."""
        if action not in ACTIONS:
            raise InvalidInput(f"A request is one of {', '.join(ACTIONS)}.", field="action")
        if not (person.name or person.email or person.phone):
            raise InvalidInput(
                "Name the person by name, e-mail or phone.",
                field="person",
                reason="at least one of name, email, phone",
            )
        for _attempt in range(NUMBERING_ATTEMPTS - 1):
            try:
                return self._start(action, person, principal, correlation_id)
            except IntegrityError:
                # Another officer's request took the number first: number again.
                continue
        return self._start(action, person, principal, correlation_id)

    def _start(
        self, action: str, person: Person, principal: Principal, correlation_id: str
    ) -> RequestView:
        with self._uow() as uow:
            now = self._clock()
            number = (uow.session.scalar(select(func.max(PersonalDataRequest.number))) or 0) + 1
            request = PersonalDataRequest(
                number=number,
                action=action,
                person=person.as_payload(),
                requested_at=now,
                requested_by=principal.subject,
            )
            uow.session.add(request)
            uow.session.flush()
            entries, truncated = capped(_own_part(uow.session, action, person))
            own = PersonalDataPart(
                request_number=number,
                service=OWNER,
                answered_at=now,
                records=entries if action == "access" else [],
                outcomes=[] if action == "access" else entries,
                truncated=truncated,
            )
            uow.session.add(own)
            uow.emit(
                "personal_data.requested",
                1,
                {
                    "request_number": number,
                    "action": action,
                    "person": person.as_payload(),
                    "requested_at": now,
                },
                correlation_id,
            )
            record_access_in(
                uow,
                principal,
                f"personal_data_{action}",
                "personal_data_request",
                [str(number)],
                people={str(number): person.email or person.name or person.phone},
            )
            uow.commit()
            return RequestView(request, {OWNER: own})

    @staticmethod
    def record_part(session: Session, service: str, payload: PersonalDataAnsweredV1) -> None:
        """Store ``service``'s answer to a request (once: a repeated answer changes nothing)."""
        number = payload.request_number
        request = session.get(PersonalDataRequest, number)
        if request is None or request.action != payload.action or service == OWNER:
            # Nothing could make this answer fit later: dead-letter it for an operator.
            raise InvalidMessage(
                f"personal_data.answered from {service} names no {payload.action} request {number}"
            )
        if session.get(PersonalDataPart, (number, service)) is not None:
            return
        session.add(
            PersonalDataPart(
                request_number=number,
                service=service,
                answered_at=payload.answered_at,
                records=[asdict(record) for record in payload.records],
                outcomes=[asdict(outcome) for outcome in payload.outcomes],
                truncated=payload.truncated,
            )
        )

    def request(self, number: int, principal: Principal) -> RequestView:
        """A request with its answers so far (the read is audited: it holds personal data)."""
        with self._uow() as uow:
            request = existing(
                uow.session, PersonalDataRequest, number, f"No personal data request {number}."
            )
            parts = {
                part.service: part
                for part in uow.session.scalars(
                    select(PersonalDataPart).where(PersonalDataPart.request_number == number)
                )
            }
            record_access_in(uow, principal, "read", "personal_data_request", [str(number)])
            uow.commit()
            return RequestView(request, parts)

    def requests(self, asked: PageRequest) -> Page[RequestView]:
        """A page of the requests, newest first, with their answers."""
        with self._uow() as uow:
            query = select(PersonalDataRequest).order_by(PersonalDataRequest.number.desc())
            if asked.after is not None:
                query = query.where(PersonalDataRequest.number < asked.after[0])
            requests = list(uow.session.scalars(query.limit(asked.limit + 1)))
            more = len(requests) > asked.limit
            requests = requests[: asked.limit]
            parts: dict[int, dict[str, PersonalDataPart]] = {}
            if requests:
                for part in uow.session.scalars(
                    select(PersonalDataPart).where(
                        PersonalDataPart.request_number.in_([r.number for r in requests])
                    )
                ):
                    parts.setdefault(part.request_number, {})[part.service] = part
            return Page(
                [RequestView(request, parts.get(request.number, {})) for request in requests],
                (requests[-1].number,) if more else None,
            )


def _own_part(session: Session, action: str, person: Person) -> list[dict[str, Any]]:
    if action == "access":
        return gather(session, person)
    if action == "erase":
        return refuse_erasure(session, person)
    # The protocol book is kept under a legal obligation: a restriction does not stop it.
    return processing_goes_on(gather(session, person))


def gather(session: Session, person: Person) -> list[dict[str, Any]]:
    """The letters the person wrote or was written to, confidential ones included."""
    return [
        record(
            "letter",
            letter.registration_number,
            {
                "correspondent": letter.correspondent,
                "subject": letter.subject,
                "summary": letter.summary,
                "kind": letter.kind,
                "direction": letter.direction,
                "received_at": letter.received_at,
                "registered_at": letter.registered_at,
                "status": letter.status,
                "file": letter.file_reference,
            },
            letter.confidentiality,
        )
        for letter in _letters(session, person)
    ]


def refuse_erasure(session: Session, person: Person) -> list[dict[str, Any]]:
    """Each letter's reason for being kept: the protocol book and its file's retention."""
    files = {(item.year, item.code): item for item in session.scalars(select(CaseFile))}
    outcomes = []
    for letter in _letters(session, person):
        case_file = files.get((letter.year, letter.file_reference or ""))
        outcomes.append(
            outcome("letter", letter.registration_number, False, _retention_reason(case_file))
        )
    return outcomes


def _retention_reason(case_file: CaseFile | None) -> str:
    kept = (
        "The protocol book keeps the letter's registration number and the fact of "
        "registration for good; its contents are kept"
    )
    if case_file is None:
        return f"{kept} for its case file's retention."
    ends = file_plan.retention_ends(case_file.year, case_file.retention_years)
    if ends is None:
        return f"{kept} permanently by case file {case_file.code} ({case_file.legal_basis})."
    return (
        f"{kept} until {ends.isoformat()} by case file {case_file.code} "
        f"({case_file.legal_basis}), then erased by a destruction act."
    )


def _letters(session: Session, person: Person) -> list[Letter]:
    terms = [fold(value) for value in (person.name, person.email) if value]
    digits = "".join(ch for ch in person.phone or "" if ch.isdigit())
    conditions = [Letter.search_text.contains(term, autoescape=True) for term in terms]
    if len(digits) >= 6:
        # The phone is not in the search text and is stored as typed (spaces, dashes
        # anywhere): its last two digits narrow the letters, the person's matching decides.
        conditions.append(cast(Letter.correspondent, String).contains(digits[-2:]))
    if not conditions:
        return []
    candidates = session.scalars(
        select(Letter).where(or_(*conditions)).order_by(Letter.registered_at)
    )
    return [
        letter
        for letter in candidates
        if person.matches(
            (letter.correspondent or {}).get("name"),
            (letter.correspondent or {}).get("email"),
            (letter.correspondent or {}).get("phone"),
        )
    ]
