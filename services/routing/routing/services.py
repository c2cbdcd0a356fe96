"""Routing's use cases for the letter's workflow.

Message handlers and views call these with plain values and a unit of work;
every status change is checked against the workflow, recorded in the
letter's history and published through the outbox in the same transaction.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.calendar import DeadlineComputation
from chancery.confidentiality import readable_levels, required_clearance
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.declared_days import CalendarSource
from chancery.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)
from chancery.explanations import EXPLANATION_LANGUAGES, render
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from chancery.profiles import Profile
from routing import deadlines, workflow
from routing.directory import name_of, require_member
from routing.models import (
    CALENDAR_DAYS,
    Assignment,
    Department,
    Endorsement,
    EndorsementDecision,
    HistoryEntry,
    RoutingRule,
    WorkflowLetter,
)
from routing.rules import LetterFacts, RoutingDecision, Rule, decide

SYSTEM = "routing"
ROUTERS = ("registrar", "mayor_office")


@dataclass(frozen=True)
class LetterFilters:
    """What a department's or executor's work list shows."""

    department: str | None = None
    status: str | None = None
    executor: str | None = None
    due_before: date | None = None
    overdue_on: date | None = None
    triage: bool = False


# Work lists' orders; undated letters sort last (a date no letter is due on), the id is unique.
UNDATED = date(9999, 12, 31)
_DUE = func.coalesce(WorkflowLetter.due_date, UNDATED)
LETTER_ORDERS = {
    "due": (Ordering(_DUE), Ordering(WorkflowLetter.registration_number),
            Ordering(WorkflowLetter.id)),
    "number": (Ordering(WorkflowLetter.registration_number), Ordering(WorkflowLetter.id)),
}
_LETTER_KEYS = {
    "due": lambda row: (row.due_date or UNDATED, row.registration_number, row.id),
    "number": lambda row: (row.registration_number, row.id),
}


class Workflow:
    """The letter's life: routing, assignment, deadlines, endorsement, answer."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self.profile = profile
        # The calendar of the moment (profile + declared days) is read per computation.
        self.calendars = CalendarSource(profile, CALENDAR_DAYS)
        self.calendar = self.calendars.base
        self._clock = clock

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """A unit of work committed when the block ends without error."""
        with self._uow() as uow:
            yield uow
            uow.commit()

    # Intake's events ------------------------------------------------------------

    def letter_registered(self, uow: UnitOfWork, letter: dict[str, Any],
                          correlation_id: str, causation_id: str) -> WorkflowLetter:
        """Start the workflow of a new letter and route it by the rules (or leave it for triage).

        A letter the workflow already has (the same registration announced
        again under another message id) is left as it is. Whatever about the
        letter keeps routing from deciding (no rule and no addressed
        department, an unknown department, no legal deadline for its date)
        leaves it in triage with the reason, announced as ``letter.triaged``:
        a registered letter is never dead-lettered for its content.
        """
        known = uow.session.get(WorkflowLetter, str(letter["letter_id"]))
        if known is not None:
            return known
        received_at = letter["received_at"]
        forward, late_reason = self._forwarding_deadline(uow.session, received_at)
        row = WorkflowLetter(
            id=str(letter["letter_id"]), registration_number=letter["registration_number"],
            kind=letter["kind"], language=letter["language"], subject=letter["subject"],
            addressee_kind=letter["addressee"]["kind"],
            addressee_department_code=letter["addressee"].get("department_code"),
            sender_organisation=letter["sender"].get("organisation"),
            confidentiality=letter["confidentiality"], received_at=received_at,
            status="registered", status_changed_at=self._clock(), copy_departments=",",
            forward_by=forward.due, forwarding=forward.as_dict())
        uow.session.add(row)
        uow.session.flush()
        self._history(uow.session, row, SYSTEM, "registered",
                      {"forward_by": forward.due.isoformat()})
        decision = decide(self.active_rules(uow.session), self.facts(row))
        undecidable = late_reason or self._why_undecidable(uow.session, row, decision)
        if undecidable is not None:
            self._triage(uow, row, undecidable, list(decision.reasons), correlation_id,
                         causation_id)
            return row
        self._route(uow, row, decision.department, list(decision.copies), decision.deadline,
                    decision.rule_name, SYSTEM, correlation_id, causation_id,
                    {"why": list(decision.reasons)})
        return row

    def _forwarding_deadline(self, session: Session, received_at: datetime
                             ) -> tuple[DeadlineComputation, str | None]:
        """The forwarding deadline, counted from today when the receipt date cannot be counted."""
        calendar = self.calendars.current(session)
        try:
            return deadlines.forwarding_deadline(self.profile, calendar, received_at), None
        except (InvalidInput, ValueError, OverflowError, NotImplementedError) as exc:
            reason = (f"the receipt date {received_at.date().isoformat()} cannot be counted "
                      f"from ({exc}); the forwarding deadline is counted from today")
            return deadlines.forwarding_deadline(self.profile, calendar, self._clock()), reason

    def _why_undecidable(self, session: Session, row: WorkflowLetter,
                         decision: RoutingDecision) -> str | None:
        """Why the rules' decision cannot be carried out automatically, or None."""
        if decision.needs_triage:
            return decision.reasons[0]
        unknown = [code for code in (decision.department, *decision.copies)
                   if not self._is_active_department(session, code)]
        if unknown:
            by_rule = f" (rule {decision.rule_name})" if decision.rule_name else ""
            return f"no active department {', '.join(unknown)}{by_rule}"
        if decision.deadline is None:
            return None
        try:
            deadlines.answer_deadline(self.profile, self.calendars.current(session), row.kind,
                                      row.received_at, decision.deadline)
        except DomainError as exc:
            return exc.detail
        except (ValueError, OverflowError) as exc:
            return f"the deadline cannot be computed: {exc}"
        return None

    def _triage(self, uow: UnitOfWork, row: WorkflowLetter, reason: str, why: list[str],
                correlation_id: str, causation_id: str) -> None:
        row.triage_reason = reason[:1000]
        self._history(uow.session, row, SYSTEM, "triage", {"reason": row.triage_reason,
                                                          "why": why})
        uow.emit("letter.triaged", 1, {
            "letter_id": row.id, "registration_number": row.registration_number,
            "reason": row.triage_reason, "triaged_at": self._clock()},
            correlation_id, causation_id)

    @staticmethod
    def _is_active_department(session: Session, code: str) -> bool:
        department = session.get(Department, code)
        return department is not None and department.active

    def reply_registered(self, uow: UnitOfWork, reply: dict[str, Any], correlation_id: str,
                         causation_id: str) -> None:
        """A reply went out through intake: the letter it answers is answered."""
        letter_id = reply.get("in_reply_to_letter_id")
        row = uow.session.get(WorkflowLetter, str(letter_id)) if letter_id else None
        if row is None:
            return
        details = {"reply_registration_number": reply["registration_number"]}
        row.reply_letter_id = str(reply["letter_id"])
        row.reply_registration_number = reply["registration_number"]
        if row.status == "answered":
            self._history(uow.session, row, SYSTEM, "reply_linked", details)
            return
        try:
            workflow.check_transition(row.status, "answered")
        except workflow.ImpossibleTransition as refused:
            # As for intake's other decisions: note what the workflow cannot follow (a
            # reply to a letter in triage, closed or voided) instead of failing the message.
            self._history(uow.session, row, SYSTEM, "not_followed",
                          {**details, "intake_status": "answered", "why": refused.detail})
            return
        if row.status == "awaiting_endorsement":
            self._cancel_endorsements(uow.session, row, "the reply was sent")
        self._answer(uow, row, reply["registered_at"], correlation_id, causation_id, details)

    def invitation_decided(self, uow: UnitOfWork, decision: dict[str, Any],
                           correlation_id: str, causation_id: str) -> None:
        """The invitation a letter was is decided: the decision answers the letter, and as
        nothing more will happen to it, it is closed (it never goes overdue)."""
        letter_id = decision.get("letter_id")
        row = uow.session.get(WorkflowLetter, str(letter_id)) if letter_id else None
        if row is None or row.status in ("closed", "archived", "voided", "not_ours"):
            return
        details = {"invitation_id": str(decision["invitation_id"]),
                   "invitation_status": decision["status"],
                   "decided_by": decision["decided_by"]}
        if row.status != "answered":
            try:
                workflow.check_transition(row.status, "answered")
            except workflow.ImpossibleTransition as refused:
                # A letter still in triage: noted, as for intake's decisions.
                self._history(uow.session, row, SYSTEM, "not_followed",
                              {**details, "why": refused.detail})
                return
            if row.status == "awaiting_endorsement":
                self._cancel_endorsements(uow.session, row, "the invitation was decided")
            self._answer(uow, row, decision["decided_at"], correlation_id, causation_id,
                         details, answered_by="invitation_decision")
        self._change_status(uow, row, "closed", SYSTEM, correlation_id, causation_id,
                            f"invitation {decision['status']}")

    def letter_closed_by_intake(self, uow: UnitOfWork, letter_id: str, status: str,
                                reason: str | None, correlation_id: str,
                                causation_id: str) -> None:
        """Intake weeded the letter out, archived or voided it: the workflow follows."""
        row = uow.session.get(WorkflowLetter, letter_id)
        if row is None or row.status == status:
            return
        try:
            workflow.check_transition(row.status, status)
        except workflow.ImpossibleTransition as refused:
            # Intake decides about the protocol book; the workflow notes what it could not follow.
            self._history(uow.session, row, SYSTEM, "not_followed",
                          {"intake_status": status, "why": refused.detail})
            return
        self._change_status(uow, row, status, SYSTEM, correlation_id, causation_id, reason)
        self._finish_assignments(uow.session, row)
        self._cancel_endorsements(uow.session, row, f"the letter is {status}")

    # The registry and departments ------------------------------------------------

    def route(self, letter_id: str, department: str, copies: list[str], reason: str,
              keep_deadline: bool, principal: Principal, correlation_id: str,
              expected_version: int | None = None) -> WorkflowLetter:
        """Route a letter from triage, or re-route it, by hand with a reason."""
        self._require(principal, *ROUTERS)
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, expected_version)
            self._check_departments(uow.session, [department, *copies])
            previous = row.department_code
            if keep_deadline and row.due_date is None:
                raise InvalidInput("A letter that was never routed has no deadline to keep.",
                                   field="keep_deadline", reason="no deadline yet")
            term = None if keep_deadline else "legal"
            self._route(uow, row, department, copies, term, None, principal.subject,
                        correlation_id, correlation_id,
                        {"reason": reason, "previous_department": previous,
                         "deadline": "kept" if keep_deadline else "recomputed"},
                        reason=reason, previous_department=previous)
            return row

    def assign(self, letter_id: str, executor: str, principal: Principal,
               correlation_id: str) -> WorkflowLetter:
        """Name the executor inside the responsible department; the letter is in progress."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            self._require_head_of(principal, row.department_code)
            if row.status not in ("routed", "in_progress"):
                workflow.check_transition(row.status, "in_progress")
            require_member(uow.session, executor, row.department_code)
            row.executor = executor
            assignment = self._letter_assignment(uow.session, row)
            if assignment is not None:
                assignment.executor = executor
                self._announce_assignment(uow, assignment, principal.subject, correlation_id)
            if row.status == "routed":
                self._change_status(uow, row, "in_progress", principal.subject, correlation_id,
                                    correlation_id, None)
            self._history(uow.session, row, principal.subject, "assigned", {"executor": executor})
            return row

    def extend(self, letter_id: str, reason: str, principal: Principal,
               correlation_id: str) -> WorkflowLetter:
        """Extend the deadline once, as far as the law allows, and tell the applicant why."""
        self._require(principal, "registrar", "department_head", "mayor_office")
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            if not workflow.is_open(row.status) or row.due_date is None:
                raise Conflict(f"Only a routed, open letter's deadline can be extended; this "
                               f"one is {row.status}.")
            computation = deadlines.extended(
                self.calendars.current(uow.session), row.received_at, row.due_date,
                row.extension, row.extended_at is not None)
            previous, row.due_date = row.due_date, computation.due
            row.extended_at = self._clock()
            row.deadline = {**(row.deadline or {}), "extension": {
                **computation.as_dict(), "reason": reason}}
            assignment = self._letter_assignment(uow.session, row)
            if assignment is not None:
                # The new date earns its own reminders.
                assignment.due_date = computation.due
                assignment.due_soon_notified_at = assignment.overdue_notified_at = None
            self._history(uow.session, row, principal.subject, "extended", {
                "from": previous.isoformat(), "to": computation.due.isoformat(),
                "reason": reason})
            uow.emit("letter.deadline_extended", 1, {
                "letter_id": row.id, "registration_number": row.registration_number,
                "previous_due_date": previous, "due_date": computation.due, "reason": reason,
                "extended_at": row.extended_at, "confidentiality": row.confidentiality,
                "explanation": self.explained(computation.as_dict(), row.language)},
                correlation_id)
            return row

    def close(self, letter_id: str, principal: Principal, correlation_id: str) -> WorkflowLetter:
        """Close an answered letter: nothing more will happen to it."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            self._require_head_of(principal, row.department_code)
            self._change_status(uow, row, "closed", principal.subject, correlation_id,
                                correlation_id, None)
            return row

    # Endorsement --------------------------------------------------------------------

    def circuit_for(self, row: WorkflowLetter) -> list[str]:
        """The ordered approver roles the profile asks for this letter's reply ([] if none)."""
        for rule in self.profile.endorsement:
            kinds, addressees = rule["kinds"], rule["addressees"]
            if (not kinds or row.kind in kinds) and (
                    not addressees or row.addressee_kind in addressees):
                return list(rule["circuit"])
        return []

    def submit_reply(self, letter_id: str, subject: str, summary: str | None, language: str,
                     principal: Principal, correlation_id: str) -> Endorsement:
        """Send the executor's reply draft into its endorsement circuit."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            if principal.department != row.department_code and not principal.has_any(
                    "registrar", "mayor_office"):
                raise Forbidden("Only the responsible department submits the reply.")
            circuit = self.circuit_for(row)
            if not circuit:
                raise Conflict("This reply needs no endorsement: register it at intake as an "
                               "outgoing letter in reply to this one.")
            if row.status == "routed":
                self._change_status(uow, row, "in_progress", principal.subject,
                                    correlation_id, correlation_id, None)
            workflow.check_transition(row.status, "awaiting_endorsement")
            endorsement = Endorsement(
                id=new_id(), letter_id=row.id, reply_subject=subject, reply_summary=summary,
                reply_language=language, circuit=circuit, step=0, status="pending",
                requested_by=principal.subject, requested_at=self._clock())
            uow.session.add(endorsement)
            self._change_status(uow, row, "awaiting_endorsement", principal.subject,
                                correlation_id, correlation_id, None)
            self._request_step(uow, row, endorsement, correlation_id)
            return endorsement

    def decide_endorsement(self, endorsement_id: str, approve: bool, comment: str | None,
                           principal: Principal, correlation_id: str,
                           expected_step: int | None = None) -> Endorsement:
        """The current step's approver approves (next step, or approved) or returns the reply.

        ``expected_step`` is the step the approver saw, counted from 1 as in
        every list and message; when another decision moved the circuit on
        meanwhile, the decision is refused instead of being applied to the
        next step. The last approval leaves the letter awaiting its reply: it
        is answered only when the registry registers that reply at intake
        (``letter.reply_registered``), so the citizen is never told of an
        answer that was not sent.
        """
        with self.transaction() as uow:
            endorsement = uow.session.get(Endorsement, endorsement_id, with_for_update=True)
            if endorsement is None:
                raise NotFound(f"No endorsement {endorsement_id}.")
            if endorsement.status != "pending":
                raise Conflict(f"This endorsement is already {endorsement.status}.")
            row = uow.session.get(WorkflowLetter, endorsement.letter_id)
            _require_clearance(principal, row)
            role = endorsement.circuit[endorsement.step]
            current = endorsement.step + 1
            if expected_step is not None and expected_step != current:
                raise Conflict(f"Step {expected_step} is not the one waiting; the reply now "
                               f"waits for the {role.replace('_', ' ')} (step "
                               f"{current} of {len(endorsement.circuit)}).",
                               field="step", reason="decided meanwhile")
            self._require_approver(principal, role, row.department_code)
            now = self._clock()
            uow.session.add(EndorsementDecision(
                endorsement_id=endorsement.id, step=endorsement.step, role=role,
                approver=principal.subject, decision="approved" if approve else "returned",
                comment=comment, at=now))
            facts = self._endorsement_facts(row, endorsement)
            if not approve:
                endorsement.status, endorsement.decided_at = "returned", now
                self._change_status(uow, row, "in_progress", principal.subject, correlation_id,
                                    correlation_id, comment)
                uow.emit("endorsement.returned", 1, {**facts, "returned_by": principal.subject,
                                                     "comment": comment, "returned_at": now},
                         correlation_id)
                return endorsement
            self._history(uow.session, row, principal.subject, "endorsed",
                          {"step": current, "role": role})
            if current < len(endorsement.circuit):
                endorsement.step += 1
                self._request_step(uow, row, endorsement, correlation_id)
                return endorsement
            endorsement.status, endorsement.decided_at = "approved", now
            self._history(uow.session, row, principal.subject, "reply_approved",
                          {"endorsement_id": endorsement.id})
            uow.emit("endorsement.approved", 1, {**facts, "approved_by": principal.subject,
                                                 "approved_at": now}, correlation_id)
            return endorsement

    def pending_endorsements(self, principal: Principal) -> list[dict[str, Any]]:
        """The endorsements waiting for a step this principal may decide, each with the
        letter's number and subject, the reply draft and every earlier decision."""
        with self._uow() as uow:
            rows = uow.session.execute(
                select(Endorsement, WorkflowLetter)
                .join(WorkflowLetter, WorkflowLetter.id == Endorsement.letter_id)
                .where(Endorsement.status == "pending")
                .order_by(Endorsement.requested_at)).all()
            return [self._endorsement_view(uow.session, e, letter) for e, letter in rows
                    if principal.cleared_for(letter.confidentiality)
                    and self._may_approve(principal, e.circuit[e.step],
                                          letter.department_code)]

    def approved_replies(self, principal: Principal) -> list[dict[str, Any]]:
        """Replies approved by their whole circuit that the registry has still to register
        and send (the letter is answered once it does)."""
        self._require(principal, *ROUTERS)
        with self._uow() as uow:
            rows = uow.session.execute(
                select(Endorsement, WorkflowLetter)
                .join(WorkflowLetter, WorkflowLetter.id == Endorsement.letter_id)
                .where(Endorsement.status == "approved",
                       WorkflowLetter.status == "awaiting_endorsement")
                .order_by(Endorsement.decided_at)).all()
            return [self._endorsement_view(uow.session, e, letter) for e, letter in rows
                    if principal.cleared_for(letter.confidentiality)]

    def letter_endorsements(self, letter_id: str, principal: Principal) -> list[dict[str, Any]]:
        """Every endorsement round of a letter's reply, oldest first, with the decisions
        and comments (what the executor reads after a return)."""
        with self._uow() as uow:
            row = self._visible(uow.session, letter_id, principal)
            rounds = uow.session.scalars(select(Endorsement).where(
                Endorsement.letter_id == row.id).order_by(Endorsement.requested_at))
            return [self._endorsement_view(uow.session, e, row) for e in rounds]

    @staticmethod
    def _endorsement_view(session: Session, endorsement: Endorsement,
                          letter: WorkflowLetter) -> dict[str, Any]:
        """An endorsement as its readers see it; ``step`` counts from 1, as everywhere."""
        decisions = session.scalars(select(EndorsementDecision).where(
            EndorsementDecision.endorsement_id == endorsement.id)
            .order_by(EndorsementDecision.id))
        return {
            "id": endorsement.id, "letter_id": letter.id,
            "registration_number": letter.registration_number,
            "letter_subject": letter.subject, "department_code": letter.department_code,
            "executor": letter.executor, "due_date": letter.due_date,
            "reply_subject": endorsement.reply_subject,
            "reply_summary": endorsement.reply_summary,
            "reply_language": endorsement.reply_language, "circuit": endorsement.circuit,
            "step": endorsement.step + 1, "steps": len(endorsement.circuit),
            "status": endorsement.status, "requested_by": endorsement.requested_by,
            "requested_at": endorsement.requested_at, "decided_at": endorsement.decided_at,
            "decisions": [{"step": d.step + 1, "role": d.role, "approver": d.approver,
                           "decision": d.decision, "comment": d.comment, "at": d.at}
                          for d in decisions]}

    def _is_endorser(self, session: Session, row: WorkflowLetter, principal: Principal) -> bool:
        """Whether a running circuit of this letter waits for ``principal``'s step."""
        pending = session.scalars(select(Endorsement).where(
            Endorsement.letter_id == row.id, Endorsement.status == "pending"))
        return any(self._may_approve(principal, e.circuit[e.step], row.department_code)
                   for e in pending)

    def _request_step(self, uow: UnitOfWork, row: WorkflowLetter, endorsement: Endorsement,
                      correlation_id: str) -> None:
        uow.session.flush()
        uow.emit("endorsement.requested", 1, {
            **self._endorsement_facts(row, endorsement), "requested_at": self._clock()},
            correlation_id)

    @staticmethod
    def _endorsement_facts(row: WorkflowLetter, endorsement: Endorsement) -> dict[str, Any]:
        return {"endorsement_id": endorsement.id, "letter_id": row.id,
                "registration_number": row.registration_number,
                "reply_subject": endorsement.reply_subject, "step": endorsement.step + 1,
                "steps": len(endorsement.circuit),
                "approver_role": endorsement.circuit[endorsement.step],
                "department_code": row.department_code, "executor": row.executor,
                "confidentiality": row.confidentiality}

    def _may_approve(self, principal: Principal, role: str, department: str | None) -> bool:
        if not principal.has_any(role):
            return False
        return role != "department_head" or principal.department == department

    def _require_approver(self, principal: Principal, role: str, department: str | None) -> None:
        if not self._may_approve(principal, role, department):
            raise Forbidden(f"This step waits for the {role.replace('_', ' ')}"
                            + (f" of {department}" if role == "department_head" else "") + ".")

    def _cancel_endorsements(self, session: Session, row: WorkflowLetter, why: str) -> None:
        for endorsement in session.scalars(select(Endorsement).where(
                Endorsement.letter_id == row.id, Endorsement.status == "pending")):
            endorsement.status, endorsement.decided_at = "cancelled", self._clock()
            self._history(session, row, SYSTEM, "endorsement_cancelled", {"why": why})

    # Reading ---------------------------------------------------------------------

    def letter(self, letter_id: str, principal: Principal) -> tuple[WorkflowLetter,
                                                                     list[HistoryEntry]]:
        """A letter's workflow state with its history; the read is audited."""
        with self._uow() as uow:
            row = self._visible(uow.session, letter_id, principal)
            history = list(uow.session.scalars(select(HistoryEntry).where(
                HistoryEntry.letter_id == row.id).order_by(HistoryEntry.id)))
            record_access(uow.session, uow.tables.audit, principal, "read", "letter", [row.id])
            uow.commit()
            return row, history

    def letter_id_of(self, registration_number: str) -> str:
        """The id of the letter with this registration number (:class:`NotFound` if none).

        Only the id: whether the caller may read the letter is :meth:`letter`'s to decide.
        """
        with self._uow() as uow:
            letter_id = uow.session.scalar(select(WorkflowLetter.id).where(
                WorkflowLetter.registration_number == registration_number))
        if letter_id is None:
            raise NotFound(f"No letter {registration_number}.")
        return letter_id

    def letters(self, filters: LetterFilters, principal: Principal, page: PageRequest
                ) -> Page[WorkflowLetter]:
        """A page of a work list: a department's queue, an executor's letters, what is due
        or overdue, by due date (``due``) or registration number (``number``).

        The letters on the page are audited as read.
        """
        query = select(WorkflowLetter).where(
            WorkflowLetter.confidentiality.in_(readable_levels(principal.roles)))
        if not principal.sees_every_department:
            own = principal.department or ""
            query = query.where(or_(WorkflowLetter.department_code == own,
                                    WorkflowLetter.copy_departments.contains(
                                        f",{own},", autoescape=True)))
        if filters.triage:
            query = query.where(WorkflowLetter.status == "registered",
                                WorkflowLetter.department_code.is_(None))
        for column, value in ((WorkflowLetter.department_code, filters.department),
                              (WorkflowLetter.status, filters.status),
                              (WorkflowLetter.executor, filters.executor)):
            if value:
                query = query.where(column == value)
        if filters.due_before:
            query = query.where(WorkflowLetter.due_date <= filters.due_before)
        if filters.overdue_on:
            query = query.where(WorkflowLetter.due_date < filters.overdue_on,
                                WorkflowLetter.status.in_(workflow.OPEN_STATUSES))
        order = page.sort or "due"
        with self._uow() as uow:
            found = fetch_page(uow.session, query, LETTER_ORDERS[order], page,
                               key_of=_LETTER_KEYS[order])
            record_access(uow.session, uow.tables.audit, principal, "list", "letter",
                          [row.id for row in found.items])
            uow.commit()
            return found

    def dry_run(self, facts: LetterFacts) -> RoutingDecision:
        """Which rule would route such a letter, and why."""
        with self._uow() as uow:
            return decide(self.active_rules(uow.session), facts)

    def active_rules(self, session: Session) -> list[Rule]:
        """The active rules in their order."""
        rows = session.execute(select(
            RoutingRule.id, RoutingRule.position, RoutingRule.name, RoutingRule.match,
            RoutingRule.responsible, RoutingRule.copies, RoutingRule.deadline)
            .where(RoutingRule.active).order_by(RoutingRule.position))
        return [_compiled_rule(r.id, r.position, r.name, json.dumps(r.match, sort_keys=True),
                               r.responsible, tuple(r.copies), json.dumps(r.deadline))
                for r in rows]

    def explained(self, computation: dict[str, Any] | None,
                  *languages: str) -> dict[str, list[str]] | None:
        """A stored computation's steps as sentences, keyed by language: each of
        ``languages`` (those we write) and the municipality's own."""
        if not computation:
            return None
        wanted = dict.fromkeys([*languages, self.profile.default_language])
        return {language: render(computation.get("steps", ()), language,
                                 computation.get("country") or self.profile.country)
                for language in wanted if language in EXPLANATION_LANGUAGES}

    @staticmethod
    def facts(row: WorkflowLetter) -> LetterFacts:
        """The facts of a letter the rules look at."""
        return LetterFacts(kind=row.kind, addressee_kind=row.addressee_kind,
                           addressee_department=row.addressee_department_code,
                           language=row.language, sender_organisation=row.sender_organisation,
                           confidentiality=row.confidentiality, subject=row.subject)

    # Internals ------------------------------------------------------------------

    def _route(self, uow: UnitOfWork, row: WorkflowLetter, department: str, copies: list[str],
               term: Any, rule_name: str | None, actor: str, correlation_id: str,
               causation_id: str | None, details: dict[str, Any], reason: str | None = None,
               previous_department: str | None = None) -> None:
        workflow.check_transition(row.status, "routed")
        first_routing = row.routed_at is None
        now = self._clock()
        if term is not None:
            deadline = deadlines.answer_deadline(
                self.profile, self.calendars.current(uow.session), row.kind, row.received_at,
                term)
            row.due_date, row.deadline = deadline.due, deadline.computation
            row.deadline_source, row.extension = deadline.source, deadline.extension
        row.department_code, row.routed_at, row.rule_name = department, now, rule_name
        row.triage_reason = None
        row.copy_departments = "," + "".join(f"{code}," for code in copies)
        row.executor = None
        becomes_routed = row.status != "routed"
        self._history(uow.session, row, actor, "routed", {
            "department": department, "copies": copies, "rule": rule_name,
            "due_date": row.due_date.isoformat(), **details})
        # A letter routed for the first time has no assignment yet: no need to look.
        assignment = None if first_routing else self._letter_assignment(uow.session, row)
        if assignment is None:
            assignment = Assignment(id=new_id(), letter_id=row.id, title=row.subject,
                                    department_code=department, assigned_by=actor,
                                    due_date=row.due_date, status="open", created_at=now)
            uow.session.add(assignment)
        else:
            assignment.department_code, assignment.executor = department, None
            assignment.due_date = row.due_date
        uow.session.flush()
        uow.emit("letter.routed", 1, {
            "letter_id": row.id, "registration_number": row.registration_number,
            "department_code": department, "copy_department_codes": copies,
            "due_date": row.due_date, "rule": rule_name, "routed_at": now, "kind": row.kind,
            "subject": row.subject, "language": row.language,
            "previous_department_code": previous_department, "reason": reason,
            "confidentiality": row.confidentiality,
            "deadline_explanation": self.explained(row.deadline, row.language)},
            correlation_id, causation_id)
        # letter.routed goes first, so followers never see "routed" without a department.
        if becomes_routed:
            self._change_status(uow, row, "routed", actor, correlation_id, causation_id, reason)
        self._announce_assignment(uow, assignment, actor, correlation_id)

    def _announce_assignment(self, uow: UnitOfWork, assignment: Assignment, actor: str,
                             correlation_id: str) -> None:
        uow.emit("assignment.created", 1, {
            **assignment_facts(assignment, letter_of(uow.session, assignment)),
            "assigned_by": actor, "assigned_by_name": name_of(uow.session, actor),
            "created_at": self._clock()}, correlation_id)

    def _answer(self, uow: UnitOfWork, row: WorkflowLetter, at: datetime, correlation_id: str,
                causation_id: str | None, details: dict[str, Any],
                answered_by: str = "reply") -> None:
        workflow.check_transition(row.status, "answered")
        row.answered_at = at
        self._finish_assignments(uow.session, row)
        self._history(uow.session, row, SYSTEM, "answered", details)
        # letter.answered goes first, so followers never see "answered" without its date.
        uow.emit("letter.answered", 1, {
            "letter_id": row.id, "registration_number": row.registration_number,
            "answered_at": at, "reply_letter_id": row.reply_letter_id,
            "reply_registration_number": row.reply_registration_number,
            "answered_by": answered_by}, correlation_id, causation_id)
        self._change_status(uow, row, "answered", SYSTEM, correlation_id, causation_id, None)

    def _change_status(self, uow: UnitOfWork, row: WorkflowLetter, status: str, actor: str,
                       correlation_id: str, causation_id: str | None,
                       reason: str | None) -> None:
        workflow.check_transition(row.status, status)
        previous, row.status = row.status, status
        row.status_changed_at = self._clock()
        self._history(uow.session, row, actor, "status",
                      {"from": previous, "to": status, "reason": reason})
        uow.emit("letter.status_changed", 1, {
            "letter_id": row.id, "registration_number": row.registration_number,
            "previous_status": previous, "status": status,
            "changed_at": row.status_changed_at, "department_code": row.department_code,
            "reason": reason}, correlation_id, causation_id)

    def _finish_assignments(self, session: Session, row: WorkflowLetter) -> None:
        for assignment in session.scalars(select(Assignment).where(
                Assignment.letter_id == row.id, Assignment.status == "open")):
            assignment.status, assignment.completed_at = "done", self._clock()

    @staticmethod
    def _letter_assignment(session: Session, row: WorkflowLetter) -> Assignment | None:
        return session.scalars(select(Assignment).where(
            Assignment.letter_id == row.id, Assignment.status == "open")).first()

    def _history(self, session: Session, row: WorkflowLetter, actor: str, action: str,
                 details: dict[str, Any]) -> None:
        session.add(HistoryEntry(letter_id=row.id, at=self._clock(), actor=actor,
                                 action=action, details=details))

    def _visible(self, session: Session, letter_id: str, principal: Principal) -> WorkflowLetter:
        row = session.get(WorkflowLetter, letter_id)
        if row is None:
            raise NotFound(f"No letter {letter_id} in the workflow.")
        if principal.may_see(row.confidentiality,
                             [row.department_code, *row.copy_department_codes]):
            return row
        # The approver a running circuit waits for reads the letter it endorses.
        if principal.cleared_for(row.confidentiality) and self._is_endorser(
                session, row, principal):
            return row
        raise Forbidden("This letter belongs to another department or needs clearance.")

    def _letter_for_update(self, session: Session, letter_id: str, principal: Principal,
                           expected_version: int | None) -> WorkflowLetter:
        row = session.get(WorkflowLetter, letter_id, with_for_update=True)
        if row is None:
            raise NotFound(f"No letter {letter_id} in the workflow.")
        # The registry acts across departments, but a protected letter's clearance is
        # nobody's to skip (decision 17): the answer would show its subject.
        _require_clearance(principal, row)
        if not principal.may_see(row.confidentiality,
                                 [row.department_code, *row.copy_department_codes]) and \
                not principal.has_any(*ROUTERS):
            raise Forbidden("This letter belongs to another department or needs clearance.")
        if expected_version is not None and row.version != expected_version:
            raise PreconditionFailed(f"The letter changed (version {row.version}); reload it.")
        return row

    def _check_departments(self, session: Session, codes: list[str]) -> None:
        for code in codes:
            if not self._is_active_department(session, code):
                raise InvalidInput(f"No active department {code}.", field="department_code",
                                   reason=f"unknown department {code}")

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
        raise Forbidden("Only the head of the responsible department (or the registry) may "
                        "do this.")


@functools.lru_cache(maxsize=4096)
def _compiled_rule(rule_id: str, position: int, name: str, match: str, responsible: str,
                   copies: tuple[str, ...], deadline: str) -> Rule:
    """A rule with its word patterns compiled, reused while its row stays the same."""
    return Rule(id=rule_id, position=position, name=name, match=json.loads(match),
                responsible=responsible, copies=copies, deadline=json.loads(deadline))


def _require_clearance(principal: Principal, row: WorkflowLetter) -> None:
    if not principal.cleared_for(row.confidentiality):
        raise Forbidden(f"This letter is {row.confidentiality}: it needs the role "
                        f"{required_clearance(row.confidentiality)}.")


def letter_of(session: Session, assignment: Assignment) -> WorkflowLetter | None:
    """The letter an assignment was born from (``None`` for an own task)."""
    if assignment.letter_id is None:
        return None
    return session.get(WorkflowLetter, assignment.letter_id)


def assignment_facts(assignment: Assignment, letter: WorkflowLetter | None) -> dict[str, Any]:
    """The fields every assignment message carries (``letter`` for its number and level)."""
    return {"assignment_id": assignment.id, "letter_id": assignment.letter_id,
            "registration_number": letter.registration_number if letter else None,
            "title": assignment.title, "department_code": assignment.department_code,
            "executor": assignment.executor, "due_date": assignment.due_date,
            "confidentiality": letter.confidentiality if letter else "normal"}
