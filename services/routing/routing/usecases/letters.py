"""Routing's use cases on a letter: what intake's and foreign relations' events do to its
workflow, naming its executor, extending its deadline, closing it, and reading it.

:class:`LetterSteps` holds the steps every use case on a letter takes along the way
(triage's routing and the endorsement circuit's too): every status change is checked
against the workflow, recorded in the letter's history and published through the outbox
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.audited import record_access_in
from chancery.clock import utcnow
from chancery.confidentiality import required_clearance
from chancery.db import UnitOfWork, existing, new_id
from chancery.declared_days import CalendarSource
from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound, check_version
from chancery.explanations import EXPLANATION_LANGUAGES, render
from chancery.messages.contracts.foreign_relations import InvitationDecidedV1
from chancery.messages.contracts.intake import ReplyRegisteredV1
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from chancery.profiles import Profile
from chancery.usecase import MunicipalUseCase
from routing.adapters.models import (
    CALENDAR_DAYS,
    Assignment,
    Endorsement,
    HistoryEntry,
    WorkflowLetter,
)
from routing.adapters.repositories import (
    LetterFilters,
    is_active_department,
    letter_of,
    letters_page,
    name_of,
    open_assignment,
    require_member,
)
from routing.domain import deadlines, workflow
from routing.domain.assignments import executor_due_date
from routing.domain.endorsements import may_approve
from routing.permissions import EXTENDERS, ROUTERS
from routing.usecases import SYSTEM
from routing.usecases.assignments import assignment_facts


class LetterSteps(MunicipalUseCase):
    """The steps every use case on a letter takes: load it as the caller may, route it,
    change its status, answer it, keep its history, announce its assignment."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        clock: Callable[[], datetime] = utcnow,
        calendars: CalendarSource | None = None,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        # The calendar of the moment (profile + declared days) is read per computation.
        self.calendars = calendars or CalendarSource(profile, CALENDAR_DAYS)
        self.calendar = self.calendars.base

    def explained(
        self, computation: dict[str, Any] | None, *languages: str
    ) -> dict[str, list[str]] | None:
        """A stored computation's steps as sentences, keyed by language: each of
        ``languages`` (those we write) and the municipality's own."""
        if not computation:
            return None
        wanted = dict.fromkeys([*languages, self.profile.default_language])
        return {
            language: render(
                computation.get("steps", ()),
                language,
                computation.get("country") or self.profile.country,
            )
            for language in wanted
            if language in EXPLANATION_LANGUAGES
        }

    def _route(
        self,
        uow: UnitOfWork,
        row: WorkflowLetter,
        department: str,
        copies: list[str],
        term: Any,
        rule_name: str | None,
        actor: str,
        correlation_id: str,
        causation_id: str | None,
        details: dict[str, Any],
        reason: str | None = None,
        previous_department: str | None = None,
    ) -> None:
        workflow.LETTER.check(row.status, "routed")
        first_routing = row.routed_at is None
        now = self._clock()
        if term is not None:
            deadline = deadlines.answer_deadline(
                self.profile, self.calendars.current(uow.session), row.kind, row.received_at, term
            )
            row.due_date, row.deadline = deadline.due, deadline.computation
            row.deadline_source, row.extension = deadline.source, deadline.extension
        # A kept deadline is one the letter has: route() refuses to keep none.
        assert row.due_date is not None, "a routed letter has a due date"
        row.department_code, row.routed_at, row.rule_name = department, now, rule_name
        row.triage_reason = None
        row.copy_departments = "," + "".join(f"{code}," for code in copies)
        row.executor = None
        becomes_routed = row.status != "routed"
        self._history(
            uow.session,
            row,
            actor,
            "routed",
            {
                "department": department,
                "copies": copies,
                "rule": rule_name,
                "due_date": row.due_date.isoformat(),
                **details,
            },
        )
        # A letter routed for the first time has no assignment yet: no need to look.
        assignment = None if first_routing else open_assignment(uow.session, row)
        if assignment is None:
            assignment = Assignment(
                id=new_id(),
                letter_id=row.id,
                title=row.subject,
                department_code=department,
                assigned_by=actor,
                due_date=row.due_date,
                status="open",
                created_at=now,
            )
            uow.session.add(assignment)
        else:
            # Another department: its head names their executor, date and instructions anew.
            assignment.department_code, assignment.executor = department, None
            assignment.due_date, assignment.description = row.due_date, None
        uow.session.flush()
        uow.emit(
            "letter.routed",
            1,
            {
                "letter_id": row.id,
                "registration_number": row.registration_number,
                "department_code": department,
                "copy_department_codes": copies,
                "due_date": row.due_date,
                "rule": rule_name,
                "routed_at": now,
                "kind": row.kind,
                "subject": row.subject,
                "language": row.language,
                "previous_department_code": previous_department,
                "reason": reason,
                "confidentiality": row.confidentiality,
                "deadline_explanation": self.explained(row.deadline, row.language),
            },
            correlation_id,
            causation_id,
        )
        # letter.routed goes first, so followers never see "routed" without a department.
        if becomes_routed:
            self._change_status(uow, row, "routed", actor, correlation_id, causation_id, reason)
        self._announce_assignment(uow, assignment, actor, correlation_id)

    def _announce_assignment(
        self, uow: UnitOfWork, assignment: Assignment, actor: str, correlation_id: str
    ) -> None:
        uow.emit(
            "assignment.created",
            1,
            {
                **assignment_facts(assignment, letter_of(uow.session, assignment)),
                "assigned_by": actor,
                "assigned_by_name": name_of(uow.session, actor),
                "created_at": self._clock(),
            },
            correlation_id,
        )

    def _answer(
        self,
        uow: UnitOfWork,
        row: WorkflowLetter,
        at: datetime,
        correlation_id: str,
        causation_id: str | None,
        details: dict[str, Any],
        answered_by: str = "reply",
    ) -> None:
        workflow.LETTER.check(row.status, "answered")
        row.answered_at = at
        self._finish_assignments(uow.session, row)
        self._history(uow.session, row, SYSTEM, "answered", details)
        # letter.answered goes first, so followers never see "answered" without its date.
        uow.emit(
            "letter.answered",
            1,
            {
                "letter_id": row.id,
                "registration_number": row.registration_number,
                "answered_at": at,
                "reply_letter_id": row.reply_letter_id,
                "reply_registration_number": row.reply_registration_number,
                "answered_by": answered_by,
            },
            correlation_id,
            causation_id,
        )
        self._change_status(uow, row, "answered", SYSTEM, correlation_id, causation_id, None)

    def _change_status(
        self,
        uow: UnitOfWork,
        row: WorkflowLetter,
        status: str,
        actor: str,
        correlation_id: str,
        causation_id: str | None,
        reason: str | None,
    ) -> None:
        workflow.LETTER.check(row.status, status)
        previous, row.status = row.status, status
        row.status_changed_at = self._clock()
        self._history(
            uow.session, row, actor, "status", {"from": previous, "to": status, "reason": reason}
        )
        uow.emit(
            "letter.status_changed",
            1,
            {
                "letter_id": row.id,
                "registration_number": row.registration_number,
                "previous_status": previous,
                "status": status,
                "changed_at": row.status_changed_at,
                "department_code": row.department_code,
                "reason": reason,
            },
            correlation_id,
            causation_id,
        )

    def _finish_assignments(self, session: Session, row: WorkflowLetter) -> None:
        for assignment in session.scalars(
            select(Assignment).where(Assignment.letter_id == row.id, Assignment.status == "open")
        ):
            assignment.status, assignment.completed_at = "done", self._clock()

    def _may_follow(
        self, session: Session, row: WorkflowLetter, status: str, details: dict[str, Any]
    ) -> bool:
        """Whether the workflow can follow another service's decision to ``status``; where
        it cannot, the history notes why (``not_followed``) instead of failing the message."""
        try:
            workflow.LETTER.check(row.status, status)
        except workflow.ImpossibleTransition as refused:
            self._history(session, row, SYSTEM, "not_followed", {**details, "why": refused.detail})
            return False
        return True

    def _history(
        self,
        session: Session,
        row: WorkflowLetter,
        actor: str,
        action: str,
        details: dict[str, Any],
    ) -> None:
        session.add(
            HistoryEntry(
                letter_id=row.id, at=self._clock(), actor=actor, action=action, details=details
            )
        )

    def _visible(self, session: Session, letter_id: str, principal: Principal) -> WorkflowLetter:
        row = existing(
            session, WorkflowLetter, letter_id, f"No letter {letter_id} in the workflow."
        )
        if principal.may_see(
            row.confidentiality, [row.department_code, *row.copy_department_codes]
        ):
            return row
        # The approver a running circuit waits for reads the letter it endorses.
        if principal.cleared_for(row.confidentiality) and self._is_endorser(
            session, row, principal
        ):
            return row
        raise Forbidden("This letter belongs to another department or needs clearance.")

    def _letter_for_update(
        self, session: Session, letter_id: str, principal: Principal, expected_version: int | None
    ) -> WorkflowLetter:
        row = existing(
            session, WorkflowLetter, letter_id, f"No letter {letter_id} in the workflow.", lock=True
        )
        # The registry acts across departments, but a protected letter's clearance is
        # nobody's to skip (decision 17): the answer would show its subject.
        require_clearance(principal, row)
        if not principal.may_see(
            row.confidentiality, [row.department_code, *row.copy_department_codes]
        ) and not principal.has_any(*ROUTERS):
            raise Forbidden("This letter belongs to another department or needs clearance.")
        check_version("letter", row.version, expected_version)
        return row

    def _check_departments(self, session: Session, codes: list[str]) -> None:
        for code in codes:
            if not is_active_department(session, code):
                raise InvalidInput(
                    f"No active department {code}.",
                    field="department_code",
                    reason=f"unknown department {code}",
                )

    @staticmethod
    def _require(principal: Principal, *roles: str) -> None:
        if not principal.has_any(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")

    @staticmethod
    def _require_head_of(principal: Principal, department: str | None) -> None:
        if principal.has_any(*ROUTERS):
            return
        if principal.has_any("department_head") and principal.department == department:
            return
        raise Forbidden(
            "Only the head of the responsible department (or the registry) may do this."
        )

    def _is_endorser(self, session: Session, row: WorkflowLetter, principal: Principal) -> bool:
        """Whether a running circuit of this letter waits for ``principal``'s step."""
        pending = session.scalars(
            select(Endorsement).where(
                Endorsement.letter_id == row.id, Endorsement.status == "pending"
            )
        )
        return any(may_approve(principal, e.circuit[e.step], row.department_code) for e in pending)

    def _cancel_endorsements(self, session: Session, row: WorkflowLetter, why: str) -> None:
        for endorsement in session.scalars(
            select(Endorsement).where(
                Endorsement.letter_id == row.id, Endorsement.status == "pending"
            )
        ):
            endorsement.status, endorsement.decided_at = "cancelled", self._clock()
            self._history(session, row, SYSTEM, "endorsement_cancelled", {"why": why})


class Letters(LetterSteps):
    """A letter's workflow: intake's decisions followed, its executor, its deadline, its
    close, and reading it."""

    def reply_registered(
        self, uow: UnitOfWork, reply: ReplyRegisteredV1, correlation_id: str, causation_id: str
    ) -> None:
        """A reply went out through intake: the letter it answers is answered."""
        letter_id = reply.in_reply_to_letter_id
        row = uow.session.get(WorkflowLetter, str(letter_id)) if letter_id else None
        if row is None:
            return
        details = {"reply_registration_number": reply.registration_number}
        row.reply_letter_id = str(reply.letter_id)
        row.reply_registration_number = reply.registration_number
        if row.status == "answered":
            self._history(uow.session, row, SYSTEM, "reply_linked", details)
            return
        # As for intake's other decisions: a reply to a letter in triage, closed or voided.
        if not self._may_follow(
            uow.session, row, "answered", {**details, "intake_status": "answered"}
        ):
            return
        if row.status == "awaiting_endorsement":
            self._cancel_endorsements(uow.session, row, "the reply was sent")
        self._answer(uow, row, reply.registered_at, correlation_id, causation_id, details)

    def invitation_decided(
        self, uow: UnitOfWork, decision: InvitationDecidedV1, correlation_id: str, causation_id: str
    ) -> None:
        """The invitation a letter was is decided: the decision answers the letter, and as
        nothing more will happen to it, it is closed (it never goes overdue)."""
        letter_id = decision.letter_id
        row = uow.session.get(WorkflowLetter, str(letter_id)) if letter_id else None
        if row is None or row.status in ("closed", "archived", "voided", "not_ours"):
            return
        details = {
            "invitation_id": str(decision.invitation_id),
            "invitation_status": decision.status,
            "decided_by": decision.decided_by,
        }
        if row.status != "answered":
            # A letter still in triage: noted, as for intake's decisions.
            if not self._may_follow(uow.session, row, "answered", details):
                return
            if row.status == "awaiting_endorsement":
                self._cancel_endorsements(uow.session, row, "the invitation was decided")
            self._answer(
                uow,
                row,
                decision.decided_at,
                correlation_id,
                causation_id,
                details,
                answered_by="invitation_decision",
            )
        self._change_status(
            uow,
            row,
            "closed",
            SYSTEM,
            correlation_id,
            causation_id,
            f"invitation {decision.status}",
        )

    def letter_closed_by_intake(
        self,
        uow: UnitOfWork,
        letter_id: str,
        status: str,
        reason: str | None,
        correlation_id: str,
        causation_id: str,
    ) -> None:
        """Intake weeded the letter out, archived or voided it: the workflow follows."""
        row = uow.session.get(WorkflowLetter, letter_id)
        if row is None or row.status == status:
            return
        # Intake decides about the protocol book; the workflow notes what it could not follow.
        if not self._may_follow(uow.session, row, status, {"intake_status": status}):
            return
        self._change_status(uow, row, status, SYSTEM, correlation_id, causation_id, reason)
        self._finish_assignments(uow.session, row)
        self._cancel_endorsements(uow.session, row, f"the letter is {status}")

    def assign(
        self,
        letter_id: str,
        executor: str,
        principal: Principal,
        correlation_id: str,
        due_date: date | None = None,
        instructions: str | None = None,
    ) -> tuple[WorkflowLetter, Assignment]:
        """Name (or change) the executor inside the responsible department, with their own
        due date (the letter's when none is given; never later) and the head's instructions;
        the letter is in progress. Every naming is kept in the letter's history, the
        previous executor with it: who did what, and until when."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            self._require_head_of(principal, row.department_code)
            if row.status not in ("routed", "in_progress"):
                workflow.LETTER.check(row.status, "in_progress")
            require_member(uow.session, executor, row.department_code)
            assignment = open_assignment(uow.session, row)
            own_due = executor_due_date(
                due_date,
                row.due_date,
                self.calendar.local(self._clock()).date(),
                assignment.due_date if assignment else None,
            )
            if assignment is None:
                # Routing makes it with the letter; a letter routed before that gets it now.
                assignment = Assignment(
                    id=new_id(),
                    letter_id=row.id,
                    title=row.subject,
                    department_code=row.department_code,
                    assigned_by=principal.subject,
                    due_date=own_due,
                    status="open",
                    created_at=self._clock(),
                )
                uow.session.add(assignment)
            previous, row.executor = row.executor, executor
            if assignment.due_date != own_due:
                # The new date earns its own reminders.
                assignment.due_soon_notified_at = assignment.overdue_notified_at = None
            assignment.executor, assignment.due_date = executor, own_due
            # The head gave this executor the work (routing's rule gave the department it).
            assignment.description, assignment.assigned_by = instructions, principal.subject
            uow.session.flush()
            self._announce_assignment(uow, assignment, principal.subject, correlation_id)
            if row.status == "routed":
                self._change_status(
                    uow, row, "in_progress", principal.subject, correlation_id, correlation_id, None
                )
            self._history(
                uow.session,
                row,
                principal.subject,
                "assigned",
                {
                    "executor": executor,
                    "previous_executor": previous,
                    "due_date": own_due.isoformat(),
                    "instructions": instructions,
                },
            )
            return row, assignment

    def extend(
        self, letter_id: str, reason: str, principal: Principal, correlation_id: str
    ) -> WorkflowLetter:
        """Extend the deadline once, as far as the law allows, and tell the applicant why."""
        self._require(principal, *EXTENDERS)
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            if not workflow.is_open(row.status) or row.due_date is None:
                raise Conflict(
                    f"Only a routed, open letter's deadline can be extended; this "
                    f"one is {row.status}."
                )
            computation = deadlines.extended(
                self.calendars.current(uow.session),
                row.received_at,
                row.due_date,
                row.extension,
                row.extended_at is not None,
            )
            previous, row.due_date = row.due_date, computation.due
            row.extended_at = self._clock()
            row.deadline = {
                **(row.deadline or {}),
                "extension": {**computation.as_dict(), "reason": reason},
            }
            assignment = open_assignment(uow.session, row)
            # The executor's own earlier date stands; one that was the letter's moves with it.
            if assignment is not None and assignment.due_date == previous:
                # The new date earns its own reminders.
                assignment.due_date = computation.due
                assignment.due_soon_notified_at = assignment.overdue_notified_at = None
            self._history(
                uow.session,
                row,
                principal.subject,
                "extended",
                {"from": previous.isoformat(), "to": computation.due.isoformat(), "reason": reason},
            )
            uow.emit(
                "letter.deadline_extended",
                1,
                {
                    "letter_id": row.id,
                    "registration_number": row.registration_number,
                    "previous_due_date": previous,
                    "due_date": computation.due,
                    "reason": reason,
                    "extended_at": row.extended_at,
                    "confidentiality": row.confidentiality,
                    "explanation": self.explained(computation.as_dict(), row.language),
                },
                correlation_id,
            )
            return row

    def close(self, letter_id: str, principal: Principal, correlation_id: str) -> WorkflowLetter:
        """Close an answered letter: nothing more will happen to it."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            self._require_head_of(principal, row.department_code)
            self._change_status(
                uow, row, "closed", principal.subject, correlation_id, correlation_id, None
            )
            return row

    def letter(
        self, letter_id: str, principal: Principal
    ) -> tuple[WorkflowLetter, list[HistoryEntry], Assignment | None]:
        """A letter's workflow state with its history and its open assignment (the
        executor's own due date and instructions); the read is audited."""
        with self.transaction() as uow:
            row = self._visible(uow.session, letter_id, principal)
            history = list(
                uow.session.scalars(
                    select(HistoryEntry)
                    .where(HistoryEntry.letter_id == row.id)
                    .order_by(HistoryEntry.id)
                )
            )
            assignment = open_assignment(uow.session, row)
            record_access_in(uow, principal, "read", "letter", [row.id])
            return row, history, assignment

    def letter_id_of(self, registration_number: str) -> str:
        """The id of the letter with this registration number (:class:`NotFound` if none).

        Only the id: whether the caller may read the letter is :meth:`letter`'s to decide.
        """
        with self.reading() as uow:
            letter_id = uow.session.scalar(
                select(WorkflowLetter.id).where(
                    WorkflowLetter.registration_number == registration_number
                )
            )
        if letter_id is None:
            raise NotFound(f"No letter {registration_number}.")
        return letter_id

    def letters(
        self, filters: LetterFilters, principal: Principal, page: PageRequest
    ) -> Page[WorkflowLetter]:
        """A page of a work list: a department's queue, an executor's letters, what is due
        or overdue, by due date (``due``) or registration number (``number``).

        The letters on the page are audited as read.
        """
        with self.transaction() as uow:
            found = letters_page(uow.session, filters, principal, page)
            record_access_in(uow, principal, "list", "letter", [row.id for row in found.items])
            return found


def require_clearance(principal: Principal, row: WorkflowLetter) -> None:
    """Refuse (403) whoever lacks the clearance a protected letter needs (decision 17)."""
    if not principal.cleared_for(row.confidentiality):
        raise Forbidden(
            f"This letter is {row.confidentiality}: it needs the role "
            f"{required_clearance(row.confidentiality)}."
        )
