"""Routing's triage: a registered letter routed by the ordered rules (or left waiting in
triage with the reason), routed by hand from triage, and the rules' dry run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from chancery.calendar import DeadlineComputation
from chancery.db import UnitOfWork
from chancery.errors import DomainError, InvalidInput
from chancery.messages.contracts.intake import LetterRegisteredV1
from chancery.principal import Principal
from chancery.shapes import same_named
from routing.adapters.models import WorkflowLetter
from routing.adapters.repositories import active_rules, is_active_department
from routing.domain import deadlines
from routing.domain.rules import LetterFacts, RoutingDecision, decide
from routing.permissions import ROUTERS
from routing.usecases import SYSTEM
from routing.usecases.letters import LetterSteps

# The facts the rules look at, stored under the same names in the workflow's letter.
_FACTS_AS_STORED = (
    "kind",
    "addressee_kind",
    "language",
    "sender_organisation",
    "confidentiality",
    "subject",
)


class Triage(LetterSteps):
    """Where a new letter goes: by the rules, or to the registry's triage."""

    def letter_registered(
        self, uow: UnitOfWork, letter: LetterRegisteredV1, correlation_id: str, causation_id: str
    ) -> WorkflowLetter:
        """Start the workflow of a new letter and route it by the rules (or leave it for triage).

        A letter the workflow already has (the same registration announced
        again under another message id) is left as it is. Whatever about the
        letter keeps routing from deciding (no rule and no addressed
        department, an unknown department, no legal deadline for its date)
        leaves it in triage with the reason, announced as ``letter.triaged``:
        a registered letter is never dead-lettered for its content.
        """
        known = uow.session.get(WorkflowLetter, str(letter.letter_id))
        if known is not None:
            return known
        received_at = letter.received_at
        forward, late_reason = self._forwarding_deadline(uow.session, received_at)
        row = WorkflowLetter(
            id=str(letter.letter_id),
            registration_number=letter.registration_number,
            kind=letter.kind,
            language=letter.language,
            subject=letter.subject,
            addressee_kind=letter.addressee.kind,
            addressee_department_code=letter.addressee.department_code,
            sender_organisation=letter.sender.organisation,
            confidentiality=letter.confidentiality,
            received_at=received_at,
            status="registered",
            status_changed_at=self._clock(),
            copy_departments=",",
            forward_by=forward.due,
            forwarding=forward.as_dict(),
        )
        uow.session.add(row)
        uow.session.flush()
        self._history(
            uow.session, row, SYSTEM, "registered", {"forward_by": forward.due.isoformat()}
        )
        decision = decide(active_rules(uow.session), self.facts(row))
        undecidable = late_reason or self._why_undecidable(uow.session, row, decision)
        if undecidable is not None or decision.department is None:
            self._triage(
                uow,
                row,
                undecidable or decision.reasons[0],
                list(decision.reasons),
                correlation_id,
                causation_id,
            )
            return row
        self._route(
            uow,
            row,
            decision.department,
            list(decision.copies),
            decision.deadline,
            decision.rule_name,
            SYSTEM,
            correlation_id,
            causation_id,
            {"why": list(decision.reasons)},
        )
        return row

    def _forwarding_deadline(
        self, session: Session, received_at: datetime
    ) -> tuple[DeadlineComputation, str | None]:
        """The forwarding deadline, counted from today when the receipt date cannot be counted."""
        calendar = self.calendars.current(session)
        try:
            return deadlines.forwarding_deadline(self.profile, calendar, received_at), None
        except (InvalidInput, ValueError, OverflowError, NotImplementedError) as exc:
            reason = (
                f"the receipt date {received_at.date().isoformat()} cannot be counted "
                f"from ({exc}); the forwarding deadline is counted from today"
            )
            return deadlines.forwarding_deadline(self.profile, calendar, self._clock()), reason

    def _why_undecidable(
        self, session: Session, row: WorkflowLetter, decision: RoutingDecision
    ) -> str | None:
        """Why the rules' decision cannot be carried out automatically, or None."""
        if decision.department is None:  # no rule and no addressed department
            return decision.reasons[0]
        unknown = [
            code
            for code in (decision.department, *decision.copies)
            if not is_active_department(session, code)
        ]
        if unknown:
            by_rule = f" (rule {decision.rule_name})" if decision.rule_name else ""
            return f"no active department {', '.join(unknown)}{by_rule}"
        if decision.deadline is None:
            return None
        try:
            deadlines.answer_deadline(
                self.profile,
                self.calendars.current(session),
                row.kind,
                row.received_at,
                decision.deadline,
            )
        except DomainError as exc:
            return exc.detail
        except (ValueError, OverflowError) as exc:
            return f"the deadline cannot be computed: {exc}"
        return None

    def _triage(
        self,
        uow: UnitOfWork,
        row: WorkflowLetter,
        reason: str,
        why: list[str],
        correlation_id: str,
        causation_id: str,
    ) -> None:
        row.triage_reason = reason[:1000]
        self._history(uow.session, row, SYSTEM, "triage", {"reason": row.triage_reason, "why": why})
        uow.emit(
            "letter.triaged",
            1,
            {
                "letter_id": row.id,
                "registration_number": row.registration_number,
                "reason": row.triage_reason,
                "triaged_at": self._clock(),
            },
            correlation_id,
            causation_id,
        )

    def route(
        self,
        letter_id: str,
        department: str,
        copies: list[str],
        reason: str,
        keep_deadline: bool,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None = None,
    ) -> WorkflowLetter:
        """Route a letter from triage, or re-route it, by hand with a reason."""
        self._require(principal, *ROUTERS)
        with self.transaction() as uow:
            row = self._letter_for_update(uow.session, letter_id, principal, expected_version)
            self._check_departments(uow.session, [department, *copies])
            previous = row.department_code
            if keep_deadline and row.due_date is None:
                raise InvalidInput(
                    "A letter that was never routed has no deadline to keep.",
                    field="keep_deadline",
                    reason="no deadline yet",
                )
            term = None if keep_deadline else "legal"
            self._route(
                uow,
                row,
                department,
                copies,
                term,
                None,
                principal.subject,
                correlation_id,
                correlation_id,
                {
                    "reason": reason,
                    "previous_department": previous,
                    "deadline": "kept" if keep_deadline else "recomputed",
                },
                reason=reason,
                previous_department=previous,
            )
            return row

    def dry_run(self, facts: LetterFacts) -> RoutingDecision:
        """Which rule would route such a letter, and why."""
        with self.reading() as uow:
            return decide(active_rules(uow.session), facts)

    @staticmethod
    def facts(row: WorkflowLetter) -> LetterFacts:
        """The facts of a letter the rules look at."""
        return LetterFacts(
            **same_named(row, _FACTS_AS_STORED),
            addressee_department=row.addressee_department_code,
        )
