"""Routing's endorsement circuit: a reply draft sent for approval (visa), each step's
decision, and the lists of replies waiting for a step or for the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from chancery.db import UnitOfWork, existing, new_id
from chancery.errors import Conflict, Forbidden
from chancery.principal import Principal
from routing.adapters.models import Endorsement, EndorsementDecision, WorkflowLetter
from routing.domain import workflow
from routing.domain.endorsements import circuit_for, may_approve, require_approver
from routing.permissions import ROUTERS
from routing.usecases.letters import LetterSteps, require_clearance


class Endorsements(LetterSteps):
    """A reply's way through the profile's endorsement circuit (decision 8)."""

    def circuit_for(self, row: WorkflowLetter) -> list[str]:
        """The ordered approver roles the profile asks for this letter's reply ([] if none)."""
        return circuit_for(self.profile.endorsement, row.kind, row.addressee_kind)

    def submit_reply(
        self,
        letter_id: str,
        subject: str,
        summary: str | None,
        language: str,
        principal: Principal,
        correlation_id: str,
    ) -> Endorsement:
        """Send the executor's reply draft into its endorsement circuit."""
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, None)
            if principal.department != row.department_code and not principal.has_any(*ROUTERS):
                raise Forbidden("Only the responsible department submits the reply.")
            circuit = self.circuit_for(row)
            if not circuit:
                raise Conflict(
                    "This reply needs no endorsement: register it at intake as an "
                    "outgoing letter in reply to this one."
                )
            if row.status == "routed":
                self._change_status(
                    uow, row, "in_progress", principal.subject, correlation_id, correlation_id, None
                )
            workflow.LETTER.check(row.status, "awaiting_endorsement")
            endorsement = Endorsement(
                id=new_id(),
                letter_id=row.id,
                reply_subject=subject,
                reply_summary=summary,
                reply_language=language,
                circuit=circuit,
                step=0,
                status="pending",
                requested_by=principal.subject,
                requested_at=self._clock(),
            )
            uow.session.add(endorsement)
            self._change_status(
                uow,
                row,
                "awaiting_endorsement",
                principal.subject,
                correlation_id,
                correlation_id,
                None,
            )
            self._request_step(uow, row, endorsement, correlation_id)
            return endorsement

    def decide_endorsement(
        self,
        endorsement_id: str,
        approve: bool,
        comment: str | None,
        principal: Principal,
        correlation_id: str,
        expected_step: int | None = None,
    ) -> Endorsement:
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
            endorsement = existing(
                uow.session,
                Endorsement,
                endorsement_id,
                f"No endorsement {endorsement_id}.",
                lock=True,
            )
            if endorsement.status != "pending":
                raise Conflict(f"This endorsement is already {endorsement.status}.")
            row = uow.session.get(WorkflowLetter, endorsement.letter_id)
            require_clearance(principal, row)
            role = endorsement.circuit[endorsement.step]
            current = endorsement.step + 1
            if expected_step is not None and expected_step != current:
                raise Conflict(
                    f"Step {expected_step} is not the one waiting; the reply now "
                    f"waits for the {role.replace('_', ' ')} (step "
                    f"{current} of {len(endorsement.circuit)}).",
                    field="step",
                    reason="decided meanwhile",
                )
            require_approver(principal, role, row.department_code)
            now = self._clock()
            uow.session.add(
                EndorsementDecision(
                    endorsement_id=endorsement.id,
                    step=endorsement.step,
                    role=role,
                    approver=principal.subject,
                    decision="approved" if approve else "returned",
                    comment=comment,
                    at=now,
                )
            )
            facts = self._endorsement_facts(row, endorsement)
            if not approve:
                endorsement.status, endorsement.decided_at = "returned", now
                self._change_status(
                    uow,
                    row,
                    "in_progress",
                    principal.subject,
                    correlation_id,
                    correlation_id,
                    comment,
                )
                uow.emit(
                    "endorsement.returned",
                    1,
                    {
                        **facts,
                        "returned_by": principal.subject,
                        "comment": comment,
                        "returned_at": now,
                    },
                    correlation_id,
                )
                return endorsement
            self._history(
                uow.session, row, principal.subject, "endorsed", {"step": current, "role": role}
            )
            if current < len(endorsement.circuit):
                endorsement.step += 1
                self._request_step(uow, row, endorsement, correlation_id)
                return endorsement
            endorsement.status, endorsement.decided_at = "approved", now
            self._history(
                uow.session,
                row,
                principal.subject,
                "reply_approved",
                {"endorsement_id": endorsement.id},
            )
            uow.emit(
                "endorsement.approved",
                1,
                {**facts, "approved_by": principal.subject, "approved_at": now},
                correlation_id,
            )
            return endorsement

    def pending_endorsements(self, principal: Principal) -> list[dict[str, Any]]:
        """The endorsements waiting for a step this principal may decide, each with the
        letter's number and subject, the reply draft and every earlier decision."""
        return self._endorsement_views(
            principal,
            Endorsement.requested_at,
            Endorsement.status == "pending",
            concerns=lambda e, letter: may_approve(
                principal, e.circuit[e.step], letter.department_code
            ),
        )

    def approved_replies(self, principal: Principal) -> list[dict[str, Any]]:
        """Replies approved by their whole circuit that the registry has still to register
        and send (the letter is answered once it does)."""
        self._require(principal, *ROUTERS)
        return self._endorsement_views(
            principal,
            Endorsement.decided_at,
            Endorsement.status == "approved",
            WorkflowLetter.status == "awaiting_endorsement",
        )

    def letter_endorsements(self, letter_id: str, principal: Principal) -> list[dict[str, Any]]:
        """Every endorsement round of a letter's reply, oldest first, with the decisions
        and comments (what the executor reads after a return)."""
        with self.reading() as uow:
            row = self._visible(uow.session, letter_id, principal)
            rounds = uow.session.scalars(
                select(Endorsement)
                .where(Endorsement.letter_id == row.id)
                .order_by(Endorsement.requested_at)
            )
            return [self._endorsement_view(uow.session, e, row) for e in rounds]

    def _endorsement_views(
        self,
        principal: Principal,
        order: InstrumentedAttribute[Any],
        *conditions: ColumnElement[bool],
        concerns: Callable[[Endorsement, WorkflowLetter], bool] = lambda _e, _letter: True,
    ) -> list[dict[str, Any]]:
        """The views of the endorsements meeting ``conditions`` (on them and their letters),
        in ``order``: of the letters the principal is cleared for, those ``concerns`` keeps."""
        with self.reading() as uow:
            rows = (
                uow.session.execute(
                    select(Endorsement, WorkflowLetter)
                    .join(WorkflowLetter, WorkflowLetter.id == Endorsement.letter_id)
                    .where(*conditions)
                    .order_by(order)
                )
                .tuples()
                .all()
            )
            return [
                self._endorsement_view(uow.session, e, letter)
                for e, letter in rows
                if principal.cleared_for(letter.confidentiality) and concerns(e, letter)
            ]

    @staticmethod
    def _endorsement_view(
        session: Session, endorsement: Endorsement, letter: WorkflowLetter
    ) -> dict[str, Any]:
        """An endorsement as its readers see it; ``step`` counts from 1, as everywhere."""
        decisions = session.scalars(
            select(EndorsementDecision)
            .where(EndorsementDecision.endorsement_id == endorsement.id)
            .order_by(EndorsementDecision.id)
        )
        return {
            "id": endorsement.id,
            "letter_id": letter.id,
            "registration_number": letter.registration_number,
            "letter_subject": letter.subject,
            "department_code": letter.department_code,
            "executor": letter.executor,
            "due_date": letter.due_date,
            "reply_subject": endorsement.reply_subject,
            "reply_summary": endorsement.reply_summary,
            "reply_language": endorsement.reply_language,
            "circuit": endorsement.circuit,
            "step": endorsement.step + 1,
            "steps": len(endorsement.circuit),
            "status": endorsement.status,
            "requested_by": endorsement.requested_by,
            "requested_at": endorsement.requested_at,
            "decided_at": endorsement.decided_at,
            "decisions": [
                {
                    "step": d.step + 1,
                    "role": d.role,
                    "approver": d.approver,
                    "decision": d.decision,
                    "comment": d.comment,
                    "at": d.at,
                }
                for d in decisions
            ],
        }

    def _request_step(
        self, uow: UnitOfWork, row: WorkflowLetter, endorsement: Endorsement, correlation_id: str
    ) -> None:
        uow.session.flush()
        uow.emit(
            "endorsement.requested",
            1,
            {**self._endorsement_facts(row, endorsement), "requested_at": self._clock()},
            correlation_id,
        )

    @staticmethod
    def _endorsement_facts(row: WorkflowLetter, endorsement: Endorsement) -> dict[str, Any]:
        return {
            "endorsement_id": endorsement.id,
            "letter_id": row.id,
            "registration_number": row.registration_number,
            "reply_subject": endorsement.reply_subject,
            "step": endorsement.step + 1,
            "steps": len(endorsement.circuit),
            "approver_role": endorsement.circuit[endorsement.step],
            "department_code": row.department_code,
            "executor": row.executor,
            "confidentiality": row.confidentiality,
        }
