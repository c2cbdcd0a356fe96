"""A letter of the protocol book: registered under its register's next number (decision 3),
read (audited), voided, weeded out, archived or moved to another case file.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from chancery.audit import person_key, record_read_and_commit
from chancery.clock import utcnow
from chancery.confidentiality import stricter
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound, check_version
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    create_once,
    find_response,
    fingerprint,
    remember_response,
)
from chancery.messages.envelope import Envelope
from chancery.messages.outbox import prepare_checked_message, prepare_message
from chancery.principal import Principal
from chancery.profiles import Profile
from chancery.text import fold
from intake.adapters import letter_reads, numbering
from intake.adapters.letter_reads import WholeLetter
from intake.adapters.models import Letter
from intake.adapters.repositories import open_file, proposed_file, stores_person_key
from intake.domain import access, searching
from intake.permissions import INCOMING_REGISTRARS, REGISTRY
from intake.usecases import LetterUseCase, data_subject, data_subjects

FUTURE_TOLERANCE = timedelta(minutes=5)
# No deadline rule or register reaches further back (INTAKE_EARLIEST_RECEIVED_AT).
EARLIEST_RECEIVED = date(2000, 1, 1)


@dataclass(frozen=True)
class RegisterLetter:
    """What the registry clerk (or a department system) knows about a new item."""

    direction: str
    kind: str
    language: str
    subject: str
    correspondent: dict[str, Any]
    channel: str | None = None
    summary: str | None = None
    addressee: dict[str, Any] | None = None
    confidentiality: str = "normal"
    received_at: datetime | None = None
    in_reply_to: str | None = None
    # The case file of the year's plan; proposed from the department and kind when absent.
    file_reference: str | None = None


@dataclass(frozen=True)
class RegisteredLetter:
    """A registered letter's columns and, for incoming ones, the citizen's access code (shown
    once).

    The registration's answer is built from ``values``; the ``letter`` object is made only
    for a caller that asks (constructing it was a twentieth of a registration's Python,
    decision 81). Columns a new letter leaves empty are not in ``values``.
    """

    values: dict[str, Any]
    access_code: str | None

    @functools.cached_property
    def letter(self) -> Letter:
        """The registered letter, not attached to any session."""
        return Letter(**self.values)


class Letters(LetterUseCase):
    """The protocol book's letters: registering them, reading them, the registry's decisions."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        *,
        clock: Callable[[], datetime] = utcnow,
        earliest_received: date = EARLIEST_RECEIVED,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self._earliest_received = earliest_received

    def register(
        self,
        command: RegisterLetter,
        principal: Principal,
        correlation_id: str,
        idempotent: IdempotentRequest | None,
        respond: Callable[[RegisteredLetter], StoredResponse],
        *,
        checked_at_the_edge: bool = False,
    ) -> StoredResponse:
        """Register an item, give it the next number of its register, and announce it.

        With an idempotency key, a repeated request returns the first response
        and registers nothing; the number, the letter, the message and the
        remembered response commit together or not at all. A command from a
        request that ``schemas.LetterIn`` validated (``checked_at_the_edge``) is
        announced without checking the message against its contract a second
        time (decision 66); any other command's message is checked. Without a
        key, nothing is written after the letter and its message, so they are
        committed in the statement's own round trip (decision 73).
        """
        if command.direction == "incoming" and not principal.has_any(*INCOMING_REGISTRARS):
            raise Forbidden(
                "Only the registry and department systems register incoming correspondence."
            )
        return create_once(
            self._uow,
            idempotent,
            lambda uow: self._register(
                uow,
                command,
                principal,
                correlation_id,
                checked_at_the_edge=checked_at_the_edge,
                commit=idempotent is None,
            ),
            respond,
        )

    def register_submitted(
        self, uow: UnitOfWork, command: RegisterLetter, sender: str, key: str, correlation_id: str
    ) -> None:
        """Register an item sent by another service as ``letter.submitted``, once per key.

        Runs in the message handler's transaction; a repeated command (another
        message with the same key) registers nothing.
        """
        request = IdempotentRequest(
            scope=f"command:{sender}", key=key, fingerprint=fingerprint(command.__dict__)
        )
        if find_response(uow.session, uow.tables.idempotency, request) is not None:
            return
        principal = Principal(subject=f"service:{sender}", roles=frozenset({"system"}))
        registered = self._register(uow, command, principal, correlation_id, source_reference=key)
        remember_response(
            uow.session,
            uow.tables.idempotency,
            request,
            StoredResponse(
                status=201,
                body={
                    "letter_id": registered.letter.id,
                    "registration_number": registered.letter.registration_number,
                },
            ),
        )

    def _register(
        self,
        uow: UnitOfWork,
        command: RegisterLetter,
        principal: Principal,
        correlation_id: str,
        source_reference: str | None = None,
        *,
        checked_at_the_edge: bool = False,
        commit: bool = False,
    ) -> RegisteredLetter:
        now = self._clock()
        received_at = command.received_at or now
        if received_at > now + FUTURE_TOLERANCE:
            raise InvalidInput(
                "The letter cannot be received in the future.",
                field="received_at",
                reason="is in the future",
            )
        # Its own calendar date, not converted: a year-1 date must not overflow here.
        if received_at.date() < self._earliest_received:
            raise InvalidInput(
                f"The letter cannot have been received before "
                f"{self._earliest_received.isoformat()}.",
                field="received_at",
                reason=f"is before {self._earliest_received.isoformat()}, the earliest day "
                f"this register accepts",
            )
        self._check_addressee(command)
        reply_to = self._reply_target(uow.session, command, principal)
        register = self.profile.register_for(command.direction, command.kind)
        year = self._calendar.local(now).year
        access_code = access.new_access_code() if command.direction == "incoming" else None
        addressee = command.addressee or {}
        department = self._initial_department(command, reply_to, principal)
        values = {
            "id": new_id(),
            "direction": command.direction,
            "register_code": register.code,
            "year": year,
            "kind": command.kind,
            "channel": command.channel,
            "language": command.language,
            "subject": command.subject,
            "subject_folded": fold(command.subject),
            "summary": command.summary,
            "search_text": searching.search_text(
                command.subject, command.summary, command.correspondent
            ),
            "addressee": command.addressee,
            "addressee_kind": addressee.get("kind"),
            "addressee_department_code": addressee.get("department_code"),
            "correspondent": command.correspondent,
            # A reply is as protected as the letter it answers, at least (decision 17).
            "confidentiality": stricter(
                command.confidentiality, reply_to.confidentiality if reply_to else None
            ),
            "received_at": received_at if command.direction == "incoming" else None,
            "registered_at": now,
            "registered_by": principal.subject,
            "status": "registered",
            "status_changed_at": now,
            "copy_departments": ",",
            "department_code": department,
            "file_reference": self._case_file_for(uow.session, year, command, reply_to, department),
            "in_reply_to_id": reply_to.id if reply_to else None,
            "access_code_hash": access.hash_access_code(access_code) if access_code else None,
            "version": 1,
        }
        if stores_person_key(uow.session):
            values["person_key"] = person_key(data_subject(command.correspondent))
        pending = numbering.pending_number_token()
        message = self._registration_message(
            values,
            reply_to,
            access_code,
            pending,
            correlation_id,
            source_reference,
            checked_at_the_edge=checked_at_the_edge,
        )
        values["sequence"], values["registration_number"] = numbering.register_letter(
            uow.session.connection(),
            uow.tables,
            register,
            year,
            values,
            message,
            pending,
            self.profile.time_zone,
            commit=commit,
        )
        return RegisteredLetter(values=values, access_code=access_code)

    def _check_addressee(self, command: RegisterLetter) -> None:
        if command.direction != "incoming" or not command.addressee:
            return
        code = command.addressee.get("department_code")
        if command.addressee["kind"] == "department" and not code:
            raise InvalidInput(
                "A letter to a department names the department.",
                field="addressee.department_code",
                reason="required for a department",
            )
        if code and self.profile.department(code) is None:
            raise InvalidInput(
                f"No department {code} in {self.profile.code}.",
                field="addressee.department_code",
                reason="unknown department",
            )

    def _reply_target(
        self, session: Session, command: RegisterLetter, principal: Principal
    ) -> Letter | None:
        if not command.in_reply_to:
            return None
        letter = session.execute(
            select(Letter).where(
                or_(
                    Letter.id == command.in_reply_to,
                    Letter.registration_number == command.in_reply_to,
                )
            )
        ).scalar_one_or_none()
        if letter is None or not access.can_read(principal, letter):
            raise InvalidInput(
                f"No letter {command.in_reply_to} to answer.",
                field="in_reply_to",
                reason="unknown letter",
            )
        if letter.direction != "incoming" or letter.status == "voided":
            raise InvalidInput(
                "Only a registered incoming letter can be answered.",
                field="in_reply_to",
                reason="not an open incoming letter",
            )
        return letter

    @staticmethod
    def _case_file_for(
        session: Session,
        year: int,
        command: RegisterLetter,
        reply_to: Letter | None,
        department: str | None,
    ) -> str | None:
        """The chosen case file (checked), else the answered letter's, else the proposal."""
        if command.file_reference is not None:
            return open_file(session, year, command.file_reference).code
        if reply_to is not None and reply_to.file_reference is not None:
            try:
                return open_file(session, year, reply_to.file_reference).code
            except InvalidInput:
                pass  # last year's file is closed: this year's plan proposes one
        return proposed_file(session, year, department, command.kind)

    @staticmethod
    def _initial_department(
        command: RegisterLetter, reply_to: Letter | None, principal: Principal
    ) -> str | None:
        if reply_to is not None:
            return reply_to.department_code or principal.department
        if command.direction == "outgoing":
            return principal.department
        return (command.addressee or {}).get("department_code")

    def _registration_message(
        self,
        letter: dict[str, Any],
        reply_to: Letter | None,
        access_code: str | None,
        pending_number: str,
        correlation_id: str,
        source_reference: str | None = None,
        *,
        checked_at_the_edge: bool = False,
    ) -> Envelope:
        """The announcement of a registration, checked against its contract unless the edge did.

        Prepared before the number is taken, with ``pending_number`` in its place.
        """
        prepare = prepare_checked_message if checked_at_the_edge else prepare_message
        if letter["direction"] == "incoming":
            return prepare(
                "intake",
                "letter.registered",
                1,
                {
                    "letter_id": letter["id"],
                    "registration_number": pending_number,
                    "register": letter["register_code"],
                    "kind": letter["kind"],
                    "channel": letter["channel"],
                    "language": letter["language"],
                    "subject": letter["subject"],
                    "summary": letter["summary"],
                    "addressee": letter["addressee"],
                    "sender": letter["correspondent"],
                    "confidentiality": letter["confidentiality"],
                    "received_at": letter["received_at"],
                    "registered_at": letter["registered_at"],
                    "status_lookup_code": access_code,
                    "municipality": self.profile.code,
                    "source_reference": source_reference,
                },
                correlation_id,
            )
        return prepare(
            "intake",
            "letter.reply_registered",
            1,
            {
                "letter_id": letter["id"],
                "registration_number": pending_number,
                "register": letter["register_code"],
                "kind": letter["kind"],
                "language": letter["language"],
                "subject": letter["subject"],
                "recipient": letter["correspondent"],
                "department_code": letter["department_code"],
                "in_reply_to_letter_id": reply_to.id if reply_to else None,
                "in_reply_to_registration_number": reply_to.registration_number
                if reply_to
                else None,
                "registered_at": letter["registered_at"],
                "confidentiality": letter["confidentiality"],
            },
            correlation_id,
        )

    def read(self, letter_id: str, principal: Principal) -> WholeLetter:
        """A letter with its replies and attachments; the read is audited."""
        return self._audited_read(letter_reads.BY_ID, letter_id, principal)

    def read_by_number(self, registration_number: str, principal: Principal) -> WholeLetter:
        """As :meth:`read`, for the letter with this registration number."""
        return self._audited_read(letter_reads.BY_NUMBER, registration_number, principal)

    def _audited_read(
        self, reads: tuple[Select[Any], Select[Any]], key: str, principal: Principal
    ) -> WholeLetter:
        # Two round trips on PostgreSQL (decision 0086): the letter, its attachments and
        # replies with the audit chain's lock and head; the audit row and the commit.
        with self._uow() as uow:
            found, head = letter_reads.whole_letter(uow.session, uow.tables.audit, reads, key)
            # A letter not found or refused: leaving the unit of work rolls back, which
            # releases the chain's lock before the answer (and a refusal's own audit row).
            if found is None:
                raise NotFound(f"No letter {key}.")
            letter = self._readable(found.letter, principal)
            record_read_and_commit(
                uow.session,
                uow.tables.audit,
                head,
                principal,
                "letter",
                letter.id,
                data_subjects([letter])[letter.id],
            )
            uow.commit()  # nothing left to commit on PostgreSQL; ends the session's transaction
        return found

    def void(
        self,
        letter_id: str,
        reason: str,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None = None,
    ) -> Letter:
        """Void a registration made by mistake; its number stays recorded."""
        with self._decision(letter_id, principal, expected_version) as (uow, letter):
            if letter.status in ("voided", "archived"):
                raise Conflict(f"A {letter.status} letter cannot be voided.")
            self._close(letter, "voided", reason)
            self._announce(
                uow,
                "letter.voided",
                letter,
                correlation_id,
                reason=reason,
                voided_at=letter.status_changed_at,
            )
            return letter

    def weed_out(
        self,
        letter_id: str,
        reason: str,
        forwarded_to: str | None,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None = None,
    ) -> Letter:
        """Mark an incoming letter as not the municipality's business (optionally forwarded)."""
        with self._decision(letter_id, principal, expected_version) as (uow, letter):
            if letter.direction != "incoming" or letter.status not in ("registered", "routed"):
                raise Conflict(
                    f"Only a new incoming letter can be weeded out; this one is "
                    f"{letter.direction} and {letter.status}."
                )
            self._close(letter, "not_ours", reason)
            letter.forwarded_to = forwarded_to
            self._announce(
                uow,
                "letter.not_ours",
                letter,
                correlation_id,
                reason=reason,
                forwarded_to=forwarded_to,
                decided_at=letter.status_changed_at,
            )
            return letter

    def archive(
        self,
        letter_id: str,
        file_reference: str | None,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None = None,
    ) -> Letter:
        """Hand a finished letter to the archive, in its case file or the one given."""
        with self._decision(letter_id, principal, expected_version) as (uow, letter):
            finished = (
                ("answered", "closed", "not_ours")
                if letter.direction == "incoming"
                else ("registered", "answered", "closed")
            )
            if letter.status not in finished:
                raise Conflict(
                    f"A {letter.status} letter is still being worked on; archive it "
                    f"when it is {' or '.join(finished)}."
                )
            if file_reference is not None:
                letter.file_reference = open_file(uow.session, letter.year, file_reference).code
            self._close(letter, "archived", None)
            self._announce(
                uow,
                "letter.archived",
                letter,
                correlation_id,
                archived_at=letter.status_changed_at,
                file_reference=letter.file_reference,
            )
            return letter

    def file(
        self,
        letter_id: str,
        file_reference: str,
        principal: Principal,
        expected_version: int | None = None,
    ) -> Letter:
        """Move a letter to another open case file of its year's plan.

        The registry files any letter it may read; department staff only the
        letters their department is responsible for.
        """
        with self._decision(letter_id, principal, expected_version) as (uow, letter):
            if not principal.has_any(*REGISTRY) and (
                principal.department is None or letter.department_code != principal.department
            ):
                raise Forbidden(
                    "Only the registry or the responsible department files this letter."
                )
            if letter.status == "archived":
                raise Conflict("An archived letter stays in the file it was archived in.")
            letter.file_reference = open_file(uow.session, letter.year, file_reference).code
            return letter

    @contextmanager
    def _decision(
        self, letter_id: str, principal: Principal, expected_version: int | None
    ) -> Iterator[tuple[UnitOfWork, Letter]]:
        """The letter a decision changes, if ``principal`` may see it and it is still at
        ``expected_version``, in a unit of work committed when the block ends without error."""
        with self.transaction() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            check_version("letter", letter.version, expected_version)
            yield uow, letter

    @staticmethod
    def _announce(
        uow: UnitOfWork, message_type: str, letter: Letter, correlation_id: str, **facts: Any
    ) -> None:
        """Announce a decision on ``letter``: its id and number, then the decision's ``facts``."""
        uow.emit(
            message_type,
            1,
            {"letter_id": letter.id, "registration_number": letter.registration_number, **facts},
            correlation_id,
        )

    def _close(self, letter: Letter, status: str, reason: str | None) -> None:
        letter.status = status
        letter.status_changed_at = self._clock()
        if reason is not None:
            letter.closing_reason = reason
