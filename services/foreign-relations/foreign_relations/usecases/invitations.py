"""Invitations from abroad: from routed letters or by hand, evaluated, then decided.

An invitation letter becomes an invitation when three facts are known: intake
said it is an invitation and who sent it (``letter.registered``), and routing
sent it to the foreign-relations department (``letter.routed``, also on a
re-route). The two messages may arrive in either order and more than once;
``inbound_letters`` keeps what each said until both are in.
"""

from __future__ import annotations

from typing import Any

from chancery.confidentiality import readable_levels, required_clearance, stricter
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, Forbidden, NotFound
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.messages.contracts.intake import LetterRegisteredV1
from chancery.messages.contracts.routing import LetterRoutedV1
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from chancery.shapes import same_named
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import InboundLetter, Invitation
from foreign_relations.domain import workflow
from foreign_relations.usecases import UseCases, apply, check_dates

EVALUATION = ("worth_going", "recommendation", "proposed_head", "proposed_delegation")
# What an invitation made from a letter takes over from it as it stands.
LETTER_FACTS = (
    "language",
    "summary",
    "letter_id",
    "registration_number",
    "received_at",
    "confidentiality",
)


class Invitations(UseCases):
    """Invitations: their evaluation and the decision workflow."""

    def letter_registered(
        self, uow: UnitOfWork, letter: LetterRegisteredV1, correlation_id: str, causation_id: str
    ) -> None:
        """Remember an invitation letter's sender and subject (other kinds are not ours)."""
        if letter.kind != "invitation":
            return
        row = self._inbound(uow, str(letter.letter_id), letter.registration_number)
        sender = letter.sender
        row.kind = "invitation"
        row.language = letter.language
        row.subject = letter.subject
        row.summary = letter.summary
        row.sender = sender.organisation or sender.name
        row.received_at = letter.received_at
        row.confidentiality = stricter(row.confidentiality, letter.confidentiality)
        self._propose_from(uow, row, correlation_id, causation_id)

    def letter_routed(
        self, uow: UnitOfWork, routed: LetterRoutedV1, correlation_id: str, causation_id: str
    ) -> None:
        """An invitation routed (or re-routed) here becomes an invitation awaiting decision."""
        kind = routed.kind
        if kind is not None and kind != "invitation":
            return
        letter_id = str(routed.letter_id)
        to_us = routed.department_code == self.department
        row = uow.session.get(InboundLetter, letter_id)
        if row is None and not to_us:
            return
        row = row or self._inbound(uow, letter_id, routed.registration_number)
        row.department_code = routed.department_code
        row.kind = kind or row.kind
        row.subject = row.subject or routed.subject
        row.language = row.language or routed.language
        row.confidentiality = stricter(row.confidentiality, routed.confidentiality)
        self._propose_from(uow, row, correlation_id, causation_id)

    def _inbound(self, uow: UnitOfWork, letter_id: str, number: str) -> InboundLetter:
        row = uow.session.get(InboundLetter, letter_id)
        if row is None:
            row = InboundLetter(
                letter_id=letter_id, registration_number=number, confidentiality="normal"
            )
            uow.session.add(row)
        return row

    def _propose_from(
        self, uow: UnitOfWork, row: InboundLetter, correlation_id: str, causation_id: str
    ) -> None:
        ready = (
            row.kind == "invitation"
            and row.sender is not None
            and row.department_code == self.department
        )
        if not ready or row.invitation_id is not None:
            return
        invitation = Invitation(
            id=new_id(),
            title=row.subject or row.registration_number,
            inviter=row.sender,
            inviter_kind="other",
            status="proposed",
            proposed_delegation=[],
            created_at=self.now(),
            **same_named(row, LETTER_FACTS),
        )
        uow.session.add(invitation)
        uow.session.flush()
        row.invitation_id = invitation.id
        self._announce(uow, invitation, correlation_id, causation_id)

    def propose(
        self,
        data: dict[str, Any],
        correlation_id: str,
        idempotent: IdempotentRequest | None,
        respond: Any,
    ) -> StoredResponse:
        """Enter an invitation by hand; it awaits a decision at once."""
        check_dates(data.get("starts_on"), data.get("ends_on"), "ends_on")

        def make(uow: UnitOfWork) -> Invitation:
            self.check_partner(uow, data.get("partner_id"))
            if data.get("letter_id") and repositories.letter_is_invitation(
                uow.session, str(data["letter_id"])
            ):
                raise Conflict(
                    "That letter is already an invitation.",
                    field="letter_id",
                    reason="already an invitation",
                )
            invitation = Invitation(id=new_id(), status="proposed", created_at=self.now(), **data)
            uow.session.add(invitation)
            uow.session.flush()
            self._announce(uow, invitation, correlation_id, correlation_id)
            return invitation

        return self.create(idempotent, make, respond)

    def invitations(
        self,
        principal: Principal,
        page: PageRequest,
        status: str | None = None,
        letter_number: str | None = None,
    ) -> Page[Invitation]:
        """A page of the invitations ``principal`` is cleared for, those to answer first
        (by respond-by date, undated last, then newest); ``letter_number`` finds the one
        a letter became."""
        return self.query(
            repositories.invitations, readable_levels(principal.roles), page, status, letter_number
        )

    def invitation_of_letter(self, registration_number: str, principal: Principal) -> Invitation:
        """The invitation the letter with this registration number became (404 if none,
        403 without the letter's clearance)."""
        with self.reading() as uow:
            found = repositories.invitation_of_letter(uow.session, registration_number)
            if found is None:
                raise NotFound(f"No invitation from letter {registration_number}.")
            return _cleared(principal, found)

    def invitation(self, invitation_id: str, principal: Principal) -> Invitation:
        """One invitation (403 without its letter's clearance)."""
        with self.reading() as uow:
            return _cleared(principal, self.get(uow, Invitation, invitation_id, "invitation"))

    def update(
        self,
        invitation_id: str,
        changes: dict[str, Any],
        principal: Principal,
        expected_version: int | None,
    ) -> Invitation:
        """Complete or correct an undecided invitation's facts (dates, place, inviter...)."""
        with self.transaction() as uow:
            invitation = self._undecided(uow, invitation_id, principal, expected_version)
            self.check_partner(uow, changes.get("partner_id"))
            apply(invitation, changes)
            check_dates(invitation.starts_on, invitation.ends_on, "ends_on")
            uow.session.flush()
            return invitation

    def evaluate(
        self,
        invitation_id: str,
        evaluation: dict[str, Any],
        principal: Principal,
        correlation_id: str,
        expected_version: int | None,
    ) -> Invitation:
        """Record whether it is worth going, the recommendation and the proposed delegation.

        A changed evaluation is announced again for the decision makers.
        """
        with self.transaction() as uow:
            invitation = self._undecided(uow, invitation_id, principal, expected_version)
            before = {name: getattr(invitation, name) for name in EVALUATION}
            apply(invitation, evaluation)
            if {name: getattr(invitation, name) for name in EVALUATION} != before:
                uow.session.flush()
                self._announce(uow, invitation, correlation_id, correlation_id)
            return invitation

    def decide(
        self,
        invitation_id: str,
        status: str,
        note: str | None,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None,
    ) -> Invitation:
        """Approve, decline or withdraw an invitation.

        The decision answers the invitation letter: ``invitation.decided`` lets routing
        answer and close it, and notifications tell the department and the mayor's office.
        """
        with self.transaction() as uow:
            invitation = _cleared(
                principal,
                self.for_update(uow, Invitation, invitation_id, "invitation", expected_version),
            )
            workflow.check_transition("invitation", invitation.status, status)
            self.record_decision(invitation, status, note, principal)
            uow.session.flush()
            uow.emit(
                "invitation.decided",
                1,
                {
                    "invitation_id": invitation.id,
                    "title": invitation.title,
                    "inviter": invitation.inviter,
                    "status": status,
                    "note": note,
                    "decided_by": principal.subject,
                    "decided_at": invitation.decided_at,
                    "city": invitation.city,
                    "country": invitation.country,
                    "starts_on": invitation.starts_on,
                    "ends_on": invitation.ends_on,
                    "department_code": self.department,
                    "letter_id": invitation.letter_id,
                    "registration_number": invitation.registration_number,
                    "confidentiality": invitation.confidentiality,
                },
                correlation_id,
            )
            return invitation

    def _undecided(
        self,
        uow: UnitOfWork,
        invitation_id: str,
        principal: Principal,
        expected_version: int | None,
    ) -> Invitation:
        invitation = _cleared(
            principal,
            self.for_update(uow, Invitation, invitation_id, "invitation", expected_version),
        )
        if invitation.status != "proposed":
            raise workflow.MACHINES["invitation"].refusal(invitation.status, "re-evaluated")
        return invitation

    def _announce(
        self, uow: UnitOfWork, invitation: Invitation, correlation_id: str, causation_id: str
    ) -> None:
        uow.emit(
            "invitation.awaiting_decision",
            1,
            {
                "invitation_id": invitation.id,
                "title": invitation.title,
                "inviter": invitation.inviter,
                "city": invitation.city,
                "country": invitation.country,
                "starts_on": invitation.starts_on,
                "ends_on": invitation.ends_on,
                "respond_by": invitation.respond_by,
                "department_code": self.department,
                "letter_id": invitation.letter_id,
                "registration_number": invitation.registration_number,
                "recommendation": invitation.recommendation,
                "proposed_head": invitation.proposed_head,
                "confidentiality": invitation.confidentiality,
            },
            correlation_id,
            causation_id,
        )


def _cleared(principal: Principal, invitation: Invitation) -> Invitation:
    """``invitation`` when ``principal`` holds its letter's clearance; 403 otherwise."""
    if not principal.cleared_for(invitation.confidentiality):
        raise Forbidden(
            f"This invitation comes from a {invitation.confidentiality} letter: "
            f"it needs the role {required_clearance(invitation.confidentiality)}."
        )
    return invitation
