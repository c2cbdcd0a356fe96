"""The workflow as intake shows it: routing's decisions, statuses, deadlines, triage and
endorsements mirrored on the letter.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from chancery.messages.envelope import InvalidMessage
from intake.adapters.models import Letter
from intake.adapters.repositories import proposed_file
from intake.domain import workflow


class Workflow:
    """Intake's mirror of the workflow routing owns, kept up to date by its messages.

    Each step runs in the message handler's transaction (its session).
    """

    def follow_routing(
        self,
        session: Session,
        letter_id: str,
        department: str,
        copies: list[str],
        due_date: date,
        routed_at: datetime,
    ) -> None:
        """Mirror routing's decision: responsible department, copies and due date."""
        letter = self._known(session, letter_id)
        # Asked before anything changes: the query's autoflush would count as a second version.
        proposed = (
            proposed_file(session, letter.year, department, letter.kind)
            if letter.file_reference is None
            else None
        )
        letter.department_code = department
        letter.copy_departments = "," + "".join(f"{code}," for code in copies)
        letter.due_date = due_date
        letter.triage_reason = None
        if proposed is not None:
            letter.file_reference = proposed
        if letter.status == "registered" and workflow.takes_status(
            letter.status, letter.status_changed_at, routed_at
        ):
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

    def follow_status(
        self,
        session: Session,
        letter_id: str,
        status: str,
        changed_at: datetime,
        answered_at: datetime | None = None,
    ) -> None:
        """Mirror the workflow's status, ignoring changes older than the one shown."""
        letter = self._known(session, letter_id)
        if answered_at is not None:
            letter.answered_at = answered_at
        if workflow.takes_status(letter.status, letter.status_changed_at, changed_at):
            letter.status, letter.status_changed_at = status, changed_at

    def follow_endorsement(
        self, session: Session, letter_id: str, waiting_for: str | None, changed_at: datetime
    ) -> None:
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
