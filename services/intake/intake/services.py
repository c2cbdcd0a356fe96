"""Intake's use cases: each takes plain values and a unit of work, and returns plain results.

Views and message handlers only parse, call one of these and answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, String, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import false

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.confidentiality import readable_levels, stricter
from chancery.csvexport import csv_lines
from chancery.db import UnitOfWork, UTCDateTime, new_id, utcnow
from chancery.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
)
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    create_once,
    find_response,
    fingerprint,
    remember_response,
)
from chancery.keyset import fetch_page, order_of
from chancery.messages.envelope import Envelope, InvalidMessage
from chancery.messages.outbox import prepare_message
from chancery.paging import Page, PageRequest, page_of_rows
from chancery.profiles import Profile
from chancery.text import fold
from intake import domain, lookups, numbering, records, searching
from intake.attachments import AttachmentStore
from intake.extraction import ExtractionFailed, Ocr, extract_text
from intake.models import Attachment, Letter
from intake.search import TextSearch

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
    """A registered letter and, for incoming ones, the citizen's access code (shown once)."""

    letter: Letter
    access_code: str | None


@dataclass(frozen=True)
class IssuedCode:
    """A letter's new access code (shown once)."""

    letter_id: str
    registration_number: str
    access_code: str


@dataclass(frozen=True)
class LetterFilters:
    """Search criteria for the protocol book."""

    direction: str | None = None
    kind: str | None = None
    status: str | None = None
    addressee: str | None = None
    department: str | None = None
    register: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    text: str | None = None


@dataclass(frozen=True)
class Hit:
    """A letter found, and where a text search matched it (None without text)."""

    letter: Letter
    match: searching.Match | None = None


# The protocol book's orders; the id makes every position unique (numbers repeat per register).
LETTER_ORDERS = {
    "-registered": order_of(Letter.registered_at.desc(), Letter.sequence.desc(), Letter.id.desc()),
    "registered": order_of(Letter.registered_at, Letter.sequence, Letter.id),
}
# A text search pages through its best hits in rank order; past these, refine the words.
RANKED_HITS = 1000
EXPORT_HEADER = ("registration_number", "register", "direction", "registered_at", "received_at",
                 "kind", "channel", "language", "correspondent", "organisation", "addressee",
                 "subject", "department", "status", "due_date", "answered_at",
                 "confidentiality", "in_reply_to", "forwarded_to", "file_reference")
# Rows fetched, audited and written per round trip of the export's server-side cursor.
EXPORT_CHUNK = 2000
# Characters per piece of the streamed response (a write per line costs more than the line).
EXPORT_PIECE = 64 * 1024

# A voided registration and a file handed to the archive are not added to any more.
CLOSED_TO_ATTACHMENTS = ("voided", "archived")


@dataclass(frozen=True)
class CitizenStatus:
    """All a citizen sees with a number and access code: status, dates, the department."""

    registration_number: str
    status: str
    received_on: date | None
    registered_on: date
    due_date: date | None
    answered_on: date | None
    status_changed_on: date
    # The department handling it, so the citizen's page can say where the letter is.
    department_code: str | None = None
    # The registered reply's number, once the letter is answered (decision 0032).
    reply_registration_number: str | None = None


class Intake:
    """The protocol book's use cases."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 store: AttachmentStore, *, text_search: TextSearch,
                 lookup_limits: lookups.LookupLimits = lookups.DEFAULT_LIMITS,
                 clock: Callable[[], datetime] = utcnow,
                 earliest_received: date = EARLIEST_RECEIVED, ocr: Ocr | None = None) -> None:
        self._ocr = ocr or Ocr()
        self._uow = unit_of_work
        self._text_search = text_search
        self._earliest_received = earliest_received
        self.profile = profile
        self._calendar = profile.calendar()
        self._number_shape = domain.registration_number_pattern(
            register.number_format for register in profile.registers)
        self._store = store
        self._lookup_limits = lookup_limits
        self._clock = clock

    # Registration -----------------------------------------------------------------

    def register(self, command: RegisterLetter, principal: Principal, correlation_id: str,
                 idempotent: IdempotentRequest | None,
                 respond: Callable[[RegisteredLetter], StoredResponse]) -> StoredResponse:
        """Register an item, give it the next number of its register, and announce it.

        With an idempotency key, a repeated request returns the first response
        and registers nothing; the number, the letter, the message and the
        remembered response commit together or not at all.
        """
        return create_once(
            self._uow, idempotent,
            lambda uow: self._register(uow, command, principal, correlation_id), respond)

    def register_submitted(self, uow: UnitOfWork, command: RegisterLetter, sender: str,
                           key: str, correlation_id: str) -> None:
        """Register an item sent by another service as ``letter.submitted``, once per key.

        Runs in the message handler's transaction; a repeated command (another
        message with the same key) registers nothing.
        """
        request = IdempotentRequest(scope=f"command:{sender}", key=key,
                                    fingerprint=fingerprint(command.__dict__))
        if find_response(uow.session, uow.tables.idempotency, request) is not None:
            return
        principal = Principal(subject=f"service:{sender}", roles=frozenset({"system"}))
        registered = self._register(uow, command, principal, correlation_id,
                                    source_reference=key)
        remember_response(uow.session, uow.tables.idempotency, request, StoredResponse(
            status=201, body={"letter_id": registered.letter.id,
                              "registration_number": registered.letter.registration_number}))

    def _register(self, uow: UnitOfWork, command: RegisterLetter, principal: Principal,
                  correlation_id: str, source_reference: str | None = None
                  ) -> RegisteredLetter:
        now = self._clock()
        received_at = command.received_at or now
        if received_at > now + FUTURE_TOLERANCE:
            raise InvalidInput("The letter cannot be received in the future.",
                               field="received_at", reason="is in the future")
        # Its own calendar date, not converted: a year-1 date must not overflow here.
        if received_at.date() < self._earliest_received:
            raise InvalidInput(
                f"The letter cannot have been received before "
                f"{self._earliest_received.isoformat()}.", field="received_at",
                reason=f"is before {self._earliest_received.isoformat()}, the earliest day "
                       f"this register accepts")
        self._check_addressee(command)
        reply_to = self._reply_target(uow.session, command, principal)
        register = self.profile.register_for(command.direction, command.kind)
        year = self._calendar.local(now).year
        access_code = domain.new_access_code() if command.direction == "incoming" else None
        addressee = command.addressee or {}
        department = self._initial_department(command, reply_to, principal)
        values = {
            "id": new_id(), "direction": command.direction, "register_code": register.code,
            "year": year, "kind": command.kind, "channel": command.channel,
            "language": command.language, "subject": command.subject,
            "subject_folded": fold(command.subject), "summary": command.summary,
            "search_text": searching.search_text(command.subject, command.summary,
                                                 command.correspondent),
            "addressee": command.addressee, "addressee_kind": addressee.get("kind"),
            "addressee_department_code": addressee.get("department_code"),
            "correspondent": command.correspondent,
            # A reply is as protected as the letter it answers, at least (decision 17).
            "confidentiality": stricter(command.confidentiality,
                                        reply_to.confidentiality if reply_to else None),
            "received_at": received_at if command.direction == "incoming" else None,
            "registered_at": now, "registered_by": principal.subject, "status": "registered",
            "status_changed_at": now, "copy_departments": ",",
            "department_code": department,
            "file_reference": self._case_file_for(uow.session, year, command, reply_to,
                                                  department),
            "in_reply_to_id": reply_to.id if reply_to else None,
            "access_code_hash": domain.hash_access_code(access_code) if access_code else None,
            "version": 1,
        }
        pending = numbering.pending_number_token()
        message = self._registration_message(values, reply_to, access_code, pending,
                                             correlation_id, source_reference)
        values["sequence"], values["registration_number"] = numbering.register_letter(
            uow.session.connection(), uow.tables, register, year, values, message, pending)
        return RegisteredLetter(letter=Letter(**values), access_code=access_code)

    def _check_addressee(self, command: RegisterLetter) -> None:
        if command.direction != "incoming" or not command.addressee:
            return
        code = command.addressee.get("department_code")
        if command.addressee["kind"] == "department" and not code:
            raise InvalidInput("A letter to a department names the department.",
                               field="addressee.department_code",
                               reason="required for a department")
        if code and self.profile.department(code) is None:
            raise InvalidInput(f"No department {code} in {self.profile.code}.",
                               field="addressee.department_code", reason="unknown department")

    def _reply_target(self, session: Session, command: RegisterLetter,
                      principal: Principal) -> Letter | None:
        if not command.in_reply_to:
            return None
        letter = session.execute(select(Letter).where(or_(
            Letter.id == command.in_reply_to,
            Letter.registration_number == command.in_reply_to))).scalar_one_or_none()
        if letter is None or not domain.can_read(principal, letter):
            raise InvalidInput(f"No letter {command.in_reply_to} to answer.",
                               field="in_reply_to", reason="unknown letter")
        if letter.direction != "incoming" or letter.status == "voided":
            raise InvalidInput("Only a registered incoming letter can be answered.",
                               field="in_reply_to", reason="not an open incoming letter")
        return letter

    @staticmethod
    def _case_file_for(session: Session, year: int, command: RegisterLetter,
                       reply_to: Letter | None, department: str | None) -> str | None:
        """The chosen case file (checked), else the answered letter's, else the proposal."""
        if command.file_reference is not None:
            return records.open_file(session, year, command.file_reference).code
        if reply_to is not None and reply_to.file_reference is not None:
            try:
                return records.open_file(session, year, reply_to.file_reference).code
            except InvalidInput:
                pass  # last year's file is closed: this year's plan proposes one
        return records.proposed_file(session, year, department, command.kind)

    @staticmethod
    def _initial_department(command: RegisterLetter, reply_to: Letter | None,
                            principal: Principal) -> str | None:
        if reply_to is not None:
            return reply_to.department_code or principal.department
        if command.direction == "outgoing":
            return principal.department
        return (command.addressee or {}).get("department_code")

    def _registration_message(self, letter: dict[str, Any], reply_to: Letter | None,
                              access_code: str | None, pending_number: str,
                              correlation_id: str, source_reference: str | None = None
                              ) -> Envelope:
        """The announcement of a registration, checked against its contract.

        Prepared before the number is taken, with ``pending_number`` in its place.
        """
        if letter["direction"] == "incoming":
            return prepare_message("intake", "letter.registered", 1, {
                "letter_id": letter["id"], "registration_number": pending_number,
                "register": letter["register_code"], "kind": letter["kind"],
                "channel": letter["channel"], "language": letter["language"],
                "subject": letter["subject"], "summary": letter["summary"],
                "addressee": letter["addressee"], "sender": letter["correspondent"],
                "confidentiality": letter["confidentiality"],
                "received_at": letter["received_at"], "registered_at": letter["registered_at"],
                "status_lookup_code": access_code, "municipality": self.profile.code,
                "source_reference": source_reference,
            }, correlation_id)
        return prepare_message("intake", "letter.reply_registered", 1, {
            "letter_id": letter["id"], "registration_number": pending_number,
            "register": letter["register_code"], "kind": letter["kind"],
            "language": letter["language"], "subject": letter["subject"],
            "recipient": letter["correspondent"], "department_code": letter["department_code"],
            "in_reply_to_letter_id": reply_to.id if reply_to else None,
            "in_reply_to_registration_number": reply_to.registration_number if reply_to else None,
            "registered_at": letter["registered_at"],
            "confidentiality": letter["confidentiality"],
        }, correlation_id)

    # Reading ----------------------------------------------------------------------

    def read(self, letter_id: str, principal: Principal) -> tuple[Letter, list[Letter],
                                                                   list[Attachment]]:
        """A letter with its replies and attachments; the read is audited."""
        with self._uow() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            return self._audited_read(uow, letter, principal)

    def read_by_number(self, registration_number: str, principal: Principal
                       ) -> tuple[Letter, list[Letter], list[Attachment]]:
        """As :meth:`read`, for the letter with this registration number."""
        with self._uow() as uow:
            letter_id = uow.session.scalar(select(Letter.id).where(
                Letter.registration_number == registration_number))
            if letter_id is None:
                raise NotFound(f"No letter {registration_number}.")
            letter = self._visible(uow.session, letter_id, principal)
            return self._audited_read(uow, letter, principal)

    def _audited_read(self, uow: UnitOfWork, letter: Letter, principal: Principal
                      ) -> tuple[Letter, list[Letter], list[Attachment]]:
        replies = list(uow.session.scalars(
            select(Letter).where(Letter.in_reply_to_id == letter.id)
            .order_by(Letter.registered_at)))
        attachments = list(uow.session.scalars(
            select(Attachment).where(Attachment.letter_id == letter.id)
            .order_by(Attachment.uploaded_at)))
        record_access(uow.session, uow.tables.audit, principal, "read", "letter",
                      [letter.id], data_subjects([letter]))
        uow.commit()
        return letter, replies, attachments

    def search(self, filters: LetterFilters, principal: Principal, page: PageRequest
               ) -> Page[Hit]:
        """A page of the letters matching ``filters`` that the principal may see.

        Without a text: newest first (``-registered``) or oldest first
        (``registered``), by keyset. With a text, a registration number written
        exactly finds that letter alone (by its unique index); any other text is
        searched for word by word, best match first (the best ``RANKED_HITS``,
        paged by rank), each hit with its highlighted snippet.
        """
        query = self._filtered(self._visibility(select(Letter), principal), filters)
        words = searching.query_words(filters.text or "")
        with self._uow() as uow:
            query, ranking = self._matching(uow.session, query, filters.text)
            if not ranking:
                found = fetch_page(uow.session, query, LETTER_ORDERS[page.sort or "-registered"],
                                   page)
                return found.map(Hit)
            newest = [Letter.registered_at.desc(), Letter.sequence.desc(), Letter.id.desc()]
            ranked = list(uow.session.scalars(
                query.order_by(*ranking, *newest).limit(RANKED_HITS)))
            positions = {letter.id: rank for rank, letter in enumerate(ranked)}
            found = page_of_rows(ranked, page, lambda letter: (positions[letter.id],))
            scans = self._scan_texts(uow.session, [letter.id for letter in found.items])
        return found.map(lambda letter: Hit(letter, searching.highlight(
            words, self._searched_fields(letter, scans.get(letter.id, [])))))

    def _matching(self, session: Session, query: Select, text: str | None
                  ) -> tuple[Select, list[Any]]:
        """``query`` narrowed to ``text`` and the ranking order of the matches.

        An exact registration number goes by its own unique index and is never
        OR'd with the text search (that would scan the whole book).
        """
        if not text:
            return query, []
        number = text.strip()
        if self._number_shape.fullmatch(number):
            # Shaped like a registration number: one lookup by its unique index.
            return query.where(Letter.registration_number.in_({number, number.upper()})), []
        by_number = query.where(Letter.registration_number == number)
        if session.scalar(by_number.with_only_columns(Letter.id).limit(1)) is not None:
            return by_number, []
        words = searching.query_words(text)
        if not words:
            return query.where(false()), []
        return self._text_search.narrow(query, words)

    @staticmethod
    def _scan_texts(session: Session, letter_ids: list[str]) -> dict[str, list[str]]:
        texts: dict[str, list[str]] = {}
        for letter_id, text in session.execute(
                select(Attachment.letter_id, Attachment.extracted_text).where(
                    Attachment.letter_id.in_(letter_ids), Attachment.extracted_text.is_not(None))
                .order_by(Attachment.uploaded_at)):
            texts.setdefault(letter_id, []).append(text)
        return texts

    @staticmethod
    def _searched_fields(letter: Letter, scans: list[str]) -> list[tuple[str, str | None]]:
        return [("subject", letter.subject),
                ("correspondent", searching.correspondent_text(letter.correspondent)),
                ("summary", letter.summary), *(("scan", text) for text in scans)]

    def correspondents(self, text: str, limit: int, principal: Principal
                       ) -> list[dict[str, Any]]:
        """Earlier senders whose name contains ``text`` (newest first, one per name).

        Only letters the principal may read count; the lookup is audited as a read.
        """
        name = Letter.correspondent["name"].as_string()
        text = text.strip()
        # SQLite's lower() folds ASCII only, so the text as typed matches too ("Žemait").
        query = self._visibility(select(Letter.id, Letter.correspondent), principal).where(
            Letter.direction == "incoming",
            or_(func.lower(name).contains(text.lower(), autoescape=True),
                name.contains(text, autoescape=True)))
        found: dict[str, dict[str, Any]] = {}
        ids = []
        with self._uow() as uow:
            for letter_id, correspondent in uow.session.execute(
                    query.order_by(Letter.registered_at.desc()).limit(limit * 5)):
                key = (correspondent.get("name") or "").casefold()
                if key and key not in found and len(found) < limit:
                    found[key] = correspondent
                    ids.append(letter_id)
            if ids:
                record_access(uow.session, uow.tables.audit, principal, "read",
                              "correspondent", ids)
                uow.commit()
        return list(found.values())

    def _visible(self, session: Session, letter_id: str, principal: Principal) -> Letter:
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise NotFound(f"No letter {letter_id}.")
        if not domain.can_read(principal, letter):
            raise Forbidden("This letter belongs to another department or needs clearance.")
        return letter

    @staticmethod
    def _visibility(query: Select, principal: Principal) -> Select:
        query = query.where(Letter.confidentiality.in_(readable_levels(principal.roles)))
        return Intake._department_scope(query, principal)

    @staticmethod
    def _department_scope(query: Select, principal: Principal) -> Select:
        if principal.sees_every_department:
            return query
        if not principal.department:
            # As in domain.can_read; a NUL sentinel would cut SQLite's LIKE pattern short.
            return query.where(false())
        department = principal.department
        return query.where(or_(Letter.department_code == department,
                               Letter.addressee_department_code == department,
                               Letter.copy_departments.contains(f",{department},",
                                                                autoescape=True)))

    def _filtered(self, query: Select, filters: LetterFilters) -> Select:
        exact = {Letter.direction: filters.direction, Letter.kind: filters.kind,
                 Letter.status: filters.status, Letter.addressee_kind: filters.addressee,
                 Letter.department_code: filters.department,
                 Letter.register_code: filters.register}
        for field, value in exact.items():
            if value:
                query = query.where(field == value)
        if filters.registered_from:
            query = query.where(Letter.registered_at >= self._day_start(filters.registered_from))
        if filters.registered_to:
            query = query.where(Letter.registered_at
                                < self._day_start(filters.registered_to + timedelta(days=1)))
        return query

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(self.profile.time_zone))

    # Decisions of the registry --------------------------------------------------

    def void(self, letter_id: str, reason: str, principal: Principal, correlation_id: str,
             expected_version: int | None = None) -> Letter:
        """Void a registration made by mistake; its number stays recorded."""
        with self._uow() as uow:
            letter = self._for_update(uow.session, letter_id, principal, expected_version)
            if letter.status in ("voided", "archived"):
                raise Conflict(f"A {letter.status} letter cannot be voided.")
            self._close(letter, "voided", reason)
            uow.emit("letter.voided", 1, {
                "letter_id": letter.id, "registration_number": letter.registration_number,
                "reason": reason, "voided_at": letter.status_changed_at}, correlation_id)
            uow.commit()
            return letter

    def weed_out(self, letter_id: str, reason: str, forwarded_to: str | None,
                 principal: Principal, correlation_id: str,
                 expected_version: int | None = None) -> Letter:
        """Mark an incoming letter as not the municipality's business (optionally forwarded)."""
        with self._uow() as uow:
            letter = self._for_update(uow.session, letter_id, principal, expected_version)
            if letter.direction != "incoming" or letter.status not in ("registered", "routed"):
                raise Conflict(f"Only a new incoming letter can be weeded out; this one is "
                               f"{letter.direction} and {letter.status}.")
            self._close(letter, "not_ours", reason)
            letter.forwarded_to = forwarded_to
            uow.emit("letter.not_ours", 1, {
                "letter_id": letter.id, "registration_number": letter.registration_number,
                "reason": reason, "forwarded_to": forwarded_to,
                "decided_at": letter.status_changed_at}, correlation_id)
            uow.commit()
            return letter

    def archive(self, letter_id: str, file_reference: str | None, principal: Principal,
                correlation_id: str, expected_version: int | None = None) -> Letter:
        """Hand a finished letter to the archive, in its case file or the one given."""
        with self._uow() as uow:
            letter = self._for_update(uow.session, letter_id, principal, expected_version)
            finished = ("answered", "closed", "not_ours") if letter.direction == "incoming" \
                else ("registered", "answered", "closed")
            if letter.status not in finished:
                raise Conflict(f"A {letter.status} letter is still being worked on; archive it "
                               f"when it is {' or '.join(finished)}.")
            if file_reference is not None:
                letter.file_reference = records.open_file(uow.session, letter.year,
                                                          file_reference).code
            self._close(letter, "archived", None)
            uow.emit("letter.archived", 1, {
                "letter_id": letter.id, "registration_number": letter.registration_number,
                "archived_at": letter.status_changed_at,
                "file_reference": letter.file_reference},
                correlation_id)
            uow.commit()
            return letter

    def file(self, letter_id: str, file_reference: str, principal: Principal,
             expected_version: int | None = None) -> Letter:
        """Move a letter to another open case file of its year's plan.

        The registry files any letter it may read; department staff only the
        letters their department is responsible for.
        """
        with self._uow() as uow:
            letter = self._for_update(uow.session, letter_id, principal, expected_version)
            if not principal.has_any("registrar") and (
                    principal.department is None
                    or letter.department_code != principal.department):
                raise Forbidden("Only the registry or the responsible department files "
                                "this letter.")
            if letter.status == "archived":
                raise Conflict("An archived letter stays in the file it was archived in.")
            letter.file_reference = records.open_file(uow.session, letter.year,
                                                      file_reference).code
            uow.commit()
            return letter

    def _for_update(self, session: Session, letter_id: str, principal: Principal,
                    expected_version: int | None) -> Letter:
        letter = self._visible(session, letter_id, principal)
        if expected_version is not None and letter.version != expected_version:
            raise PreconditionFailed(f"The letter changed (version {letter.version}); reload it.")
        return letter

    def _close(self, letter: Letter, status: str, reason: str | None) -> None:
        letter.status = status
        letter.status_changed_at = self._clock()
        if reason is not None:
            letter.closing_reason = reason

    # The citizen --------------------------------------------------------------------

    def citizen_status(self, registration_number: str, code: str,
                       client: str) -> CitizenStatus:
        """Status and dates for the holder of the number and access code, nothing else.

        Wrong codes are counted for this number from this ``client`` and for the
        client across numbers (see :mod:`intake.lookups`); only a client that
        guessed wrong too often is refused, never the citizen elsewhere. An
        unknown number is answered and counted exactly like a wrong code.
        """
        now = self._clock()
        keys = lookups.CounterKeys.of(registration_number, client)
        with self._uow() as uow:
            wait = lookups.refused_for(uow.session, keys, self._lookup_limits, now)
            if wait is not None:
                raise TooManyRequests("Too many wrong codes; try again later.",
                                      int(wait.total_seconds()) + 1)
            letter = uow.session.execute(
                select(Letter).where(Letter.registration_number == registration_number)
            ).scalar_one_or_none()
            # Compared even when there is no letter, so the time taken tells nothing.
            if not domain.access_code_matches(code, letter.access_code_hash if letter else None):
                lookups.count_failure(uow.session, keys, self._lookup_limits, now)
                uow.commit()
                raise NotFound("No letter with this number and access code.")
            lookups.forget_number(uow.session, keys)
            uow.commit()
            return self._citizen_view(uow.session, letter)

    def reissue_access_code(self, letter_id: str, principal: Principal, correlation_id: str,
                            idempotent: IdempotentRequest | None,
                            respond: Callable[[IssuedCode], StoredResponse]) -> StoredResponse:
        """Give an incoming letter a new access code; the old one stops working at once.

        The new code is answered once (and again only to a retry with the same
        idempotency key, until that response is purged), announced as
        ``letter.access_code_issued`` for notifications to send to the sender,
        and audited; only its hash is stored.
        """
        return create_once(self._uow, idempotent,
                           lambda uow: self._reissue(uow, letter_id, principal, correlation_id),
                           respond)

    def _reissue(self, uow: UnitOfWork, letter_id: str, principal: Principal,
                 correlation_id: str) -> IssuedCode:
        letter = self._visible(uow.session, letter_id, principal)
        if letter.direction != "incoming" or letter.status == "voided":
            raise Conflict("Only an incoming letter that is not voided has an access code.")
        code = domain.new_access_code()
        letter.access_code_hash = domain.hash_access_code(code)
        uow.session.flush()
        uow.emit("letter.access_code_issued", 1, {
            "letter_id": letter.id, "registration_number": letter.registration_number,
            "language": letter.language, "status_lookup_code": code,
            "issued_at": self._clock()}, correlation_id)
        record_access(uow.session, uow.tables.audit, principal, "reissue_access_code",
                      "letter", [letter.id])
        return IssuedCode(letter_id=letter.id,
                          registration_number=letter.registration_number, access_code=code)

    def _citizen_view(self, session: Session, letter: Letter) -> CitizenStatus:
        local = self._calendar.local
        reply_number = session.scalar(
            select(Letter.registration_number).where(
                Letter.in_reply_to_id == letter.id, Letter.status != "voided")
            .order_by(Letter.registered_at).limit(1)) \
            if letter.status in ("answered", "closed") else None
        return CitizenStatus(
            registration_number=letter.registration_number, status=letter.status,
            received_on=local(letter.received_at).date() if letter.received_at else None,
            registered_on=local(letter.registered_at).date(), due_date=letter.due_date,
            answered_on=local(letter.answered_at).date() if letter.answered_at else None,
            status_changed_on=local(letter.status_changed_at).date(),
            department_code=letter.department_code, reply_registration_number=reply_number)

    # Attachments ----------------------------------------------------------------------

    def attach(self, letter_id: str, filename: str, stream: BinaryIO,
               principal: Principal) -> Attachment:
        """Store a scan for a letter; its type is judged by its content, not its name."""
        with self._uow() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            if letter.status in CLOSED_TO_ATTACHMENTS:
                raise Conflict(f"A letter that is {letter.status} takes no attachments.")
        stored = self._store.save(stream)
        try:
            media_type = domain.detect_media_type(stored.head)
            if media_type is None or stored.size == 0:
                raise InvalidInput("Attach a PDF, PNG, JPEG, TIFF or UTF-8 text file.",
                                   field="file", reason="content type not allowed")
            attachment = Attachment(
                id=new_id(), letter_id=letter_id,
                filename=domain.named_for_type(domain.safe_filename(filename), media_type),
                media_type=media_type, size=stored.size, sha256=stored.sha256,
                storage_key=stored.key, uploaded_at=self._clock(), uploaded_by=principal.subject)
            with self._uow() as uow:
                uow.session.add(attachment)
                uow.commit()
            return attachment
        except BaseException:
            self._store.delete(stored.key)
            raise

    def attachment(self, letter_id: str, attachment_id: str,
                   principal: Principal) -> tuple[Attachment, Any]:
        """An attachment's record and file path; the download is audited."""
        with self._uow() as uow:
            letter = self._visible(uow.session, letter_id, principal)
            attachment = uow.session.get(Attachment, attachment_id)
            if attachment is None or attachment.letter_id != letter_id:
                raise NotFound(f"No attachment {attachment_id} on this letter.")
            record_access(uow.session, uow.tables.audit, principal, "download", "attachment",
                          [attachment.id],
                          {attachment.id: data_subjects([letter])[letter.id]})
            uow.commit()
            return attachment, self._store.path(attachment.storage_key)

    def extract_pending_scans(self, batch: int = 10) -> int:
        """Read the text of up to ``batch`` attachments still pending; the number done.

        The worker's periodic job: the file is read outside any transaction, then
        the text (or why it failed) is stored and the letter's search text
        rebuilt with it, so the scan is found by search from then on.
        """
        with self._uow() as uow:
            pending = list(uow.session.execute(
                select(Attachment.id, Attachment.storage_key, Attachment.media_type)
                .where(Attachment.extraction_state == "pending")
                .order_by(Attachment.uploaded_at).limit(batch)))
        for attachment_id, storage_key, media_type in pending:
            try:
                text, error = extract_text(self._store.path(storage_key), media_type,
                                           self._ocr), None
            except (ExtractionFailed, OSError) as exc:
                text, error = None, str(exc)[:2000]
            self._store_extraction(attachment_id, text, error)
        return len(pending)

    def _store_extraction(self, attachment_id: str, text: str | None,
                          error: str | None) -> None:
        with self._uow() as uow:
            attachment = uow.session.get(Attachment, attachment_id)
            if attachment is None or attachment.extraction_state != "pending":
                return  # removed, or another worker was quicker
            attachment.extraction_state = "failed" if error else "done"
            attachment.extracted_text, attachment.extraction_error = text, error
            attachment.extracted_at = self._clock()
            letter = uow.session.get(Letter, attachment.letter_id)
            scans = uow.session.scalars(select(Attachment.extracted_text).where(
                Attachment.letter_id == letter.id, Attachment.extracted_text.is_not(None))
                .order_by(Attachment.uploaded_at))
            letter.search_text = searching.search_text(letter.subject, letter.summary,
                                                       letter.correspondent, scans)
            uow.commit()

    # Reports ------------------------------------------------------------------------

    def protocol_book_csv(self, start: date, end: date, principal: Principal,
                          criteria: LetterFilters | None = None) -> Iterator[str]:
        """The protocol book for a period as CSV lines (UTF-8, first line a header), streamed.

        ``criteria`` narrows it as a search does (its period and paging are ignored).
        Rows come from a server-side cursor in chunks; each chunk is audited in
        the export's transaction before its lines are handed out, and whatever
        was handed out is committed even when the client stops reading.
        """
        filters = replace(criteria or LetterFilters(), registered_from=start, registered_to=end)
        answered = aliased(Letter)
        query = self._filtered(self._visibility(
            select(*Letter.__table__.c, answered.registration_number.label("in_reply_to"))
            .outerjoin(answered, answered.id == Letter.in_reply_to_id), principal), filters)
        if filters.text:
            with self._uow() as uow:
                query, _ = self._matching(uow.session, query, filters.text)
        query = query.order_by(Letter.register_code, Letter.year, Letter.sequence)
        return _in_pieces(csv_lines(EXPORT_HEADER, self._export_rows(query, principal)))

    def _export_rows(self, query: Select, principal: Principal) -> Iterator[list[str]]:
        with self._uow() as uow:
            try:
                result = uow.session.execute(
                    query, execution_options={"yield_per": EXPORT_CHUNK})
                for chunk in result.partitions():
                    record_access(uow.session, uow.tables.audit, principal, "export",
                                  "letter", [row.id for row in chunk], data_subjects(chunk))
                    for row in chunk:
                        yield [*self._csv_row(row), row.confidentiality, row.in_reply_to or "",
                               row.forwarded_to or "", row.file_reference or ""]
            except GeneratorExit:
                # The client stopped reading: what it was given stays audited.
                uow.commit()
                raise
            uow.commit()

    def _csv_row(self, letter: Letter | Row) -> list[str]:
        def when(moment: datetime | None) -> str:
            return self._calendar.local(moment).isoformat(timespec="minutes") if moment else ""

        return [letter.registration_number, letter.register_code, letter.direction,
                when(letter.registered_at), when(letter.received_at), letter.kind,
                letter.channel or "", letter.language, letter.correspondent.get("name", ""),
                letter.correspondent.get("organisation") or "", letter.addressee_kind or "",
                letter.subject, letter.department_code or "", letter.status,
                letter.due_date.isoformat() if letter.due_date else "", when(letter.answered_at)]

    def statistics(self, start: date, end: date, group: str,
                   principal: Principal) -> list[dict[str, Any]]:
        """Counts of incoming letters by kind, addressee, status and channel per week or month.

        Counts only, so the same for every reader of the same scope: protected
        letters are counted (never described) whatever the reader's clearance;
        a voided registration is not a letter and is not counted.
        """
        buckets = domain.periods(start, end, group)
        if not buckets:
            return []
        # A UNION ALL of literal rows: SQLite has no VALUES with column names.
        period = union_all(*(
            select(literal(bucket.label, String()).label("label"),
                   literal(self._day_start(bucket.first), UTCDateTime()).label("starts"),
                   literal(self._day_start(bucket.after), UTCDateTime()).label("ends"))
            for bucket in buckets)).cte("period")
        counted = (Letter.kind, Letter.addressee_kind, Letter.status, Letter.channel)
        # Grouped in the database over the index on (registered_at, direction, status,
        # kind, addressee_kind, channel): one range scan per period, no letter loaded.
        query = self._department_scope(
            select(period.c.label, *counted, func.count()).select_from(Letter)
            .join(period, and_(Letter.registered_at >= period.c.starts,
                               Letter.registered_at < period.c.ends))
            .where(Letter.direction == "incoming", Letter.status != "voided"), principal)
        query = query.group_by(period.c.label, *counted)
        with self._uow() as uow:
            groups = [domain.TallyGroup(*row) for row in uow.session.execute(query)]
        return domain.tally(groups)

    # The workflow's events ----------------------------------------------------------

    def follow_routing(self, session: Session, letter_id: str, department: str,
                       copies: list[str], due_date: date, routed_at: datetime) -> None:
        """Mirror routing's decision: responsible department, copies and due date."""
        letter = self._known(session, letter_id)
        # Asked before anything changes: the query's autoflush would count as a second version.
        proposed = records.proposed_file(session, letter.year, department, letter.kind) \
            if letter.file_reference is None else None
        letter.department_code = department
        letter.copy_departments = "," + "".join(f"{code}," for code in copies)
        letter.due_date = due_date
        letter.triage_reason = None
        if proposed is not None:
            letter.file_reference = proposed
        if letter.status == "registered" and domain.takes_status(
                letter.status, letter.status_changed_at, routed_at):
            letter.status, letter.status_changed_at = "routed", routed_at

    def follow_triage(self, session: Session, letter_id: str, reason: str) -> None:
        """Show that routing left the letter to the registry's triage, and why.

        A letter already routed (the routing arrived first) keeps its department.
        """
        letter = self._known(session, letter_id)
        if letter.department_code is None:
            letter.triage_reason = reason

    def follow_deadline(self, session: Session, letter_id: str, due_date: date) -> None:
        """Mirror an extended deadline."""
        self._known(session, letter_id).due_date = due_date

    def follow_status(self, session: Session, letter_id: str, status: str,
                      changed_at: datetime, answered_at: datetime | None = None) -> None:
        """Mirror the workflow's status, ignoring changes older than the one shown."""
        letter = self._known(session, letter_id)
        if answered_at is not None:
            letter.answered_at = answered_at
        if domain.takes_status(letter.status, letter.status_changed_at, changed_at):
            letter.status, letter.status_changed_at = status, changed_at

    def follow_endorsement(self, session: Session, letter_id: str, waiting_for: str | None,
                           changed_at: datetime) -> None:
        """Mirror whom the reply's endorsement circuit waits for (``None``: nobody any
        more), ignoring announcements older than the one kept."""
        letter = self._known(session, letter_id)
        if letter.endorser_changed_at is None or letter.endorser_changed_at <= changed_at:
            letter.endorser_role, letter.endorser_changed_at = waiting_for, changed_at

    @staticmethod
    def _known(session: Session, letter_id: str) -> Letter:
        letter = session.get(Letter, letter_id)
        if letter is None:
            raise InvalidMessage(f"intake has no letter {letter_id}")
        return letter


def _in_pieces(lines: Iterator[str], size: int = EXPORT_PIECE) -> Iterator[str]:
    """Lines joined into pieces of about ``size`` characters: one socket write each."""
    piece: list[str] = []
    length = 0
    for line in lines:
        piece.append(line)
        length += len(line)
        if length >= size:
            yield "".join(piece)
            piece, length = [], 0
    if piece:
        yield "".join(piece)


def data_subjects(letters: Sequence[Letter | Row]) -> dict[str, str | None]:
    """Whose data each letter holds, for the audit: the correspondent's e-mail, else name."""
    return {letter.id: letter.correspondent.get("email") or letter.correspondent.get("name")
            for letter in letters}
