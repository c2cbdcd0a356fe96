"""Incoming delegations' visits: the request, the decision, protocol told."""

from __future__ import annotations

from typing import Any

from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.principal import Principal
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Invitation, Visit
from foreign_relations.domain import travel
from foreign_relations.usecases import UseCases, check_dates


class Visits(UseCases):
    """Visits from abroad: requested, then approved or declined."""

    def request_visit(
        self, data: dict[str, Any], idempotent: IdempotentRequest | None, respond: Any
    ) -> StoredResponse:
        """Record a foreign delegation's request to visit."""
        check_dates(data["arrives_at"], data["departs_at"], "departs_at")
        heads = sum(bool(member.get("head")) for member in data["members"])
        if heads != 1:
            raise InvalidInput(
                "Flag exactly one member as the head of the delegation.",
                field="members",
                reason=f"{heads} heads flagged, 1 expected",
            )

        def make(uow: UnitOfWork) -> Visit:
            self.check_partner(uow, data.get("partner_id"))
            invitation_id = str(data["invitation_id"]) if data.get("invitation_id") else None
            if invitation_id:
                self._check_invitation_free(uow, invitation_id)
            visit = Visit(
                id=new_id(),
                status="requested",
                created_at=self.now(),
                **{
                    **data,
                    "partner_id": str(data["partner_id"]) if data.get("partner_id") else None,
                    "invitation_id": invitation_id,
                },
            )
            uow.session.add(visit)
            uow.session.flush()
            return visit

        return self.create(idempotent, make, respond)

    def _check_invitation_free(self, uow: UnitOfWork, invitation_id: str) -> None:
        """A visit follows an approved invitation, and only one visit follows it."""
        invitation = uow.session.get(Invitation, invitation_id, with_for_update=True)
        if invitation is None:
            raise InvalidInput(
                "No such invitation.", field="invitation_id", reason="unknown invitation"
            )
        travel.check_visit_follows(invitation.status)
        if repositories.invitation_has_visit(uow.session, invitation_id):
            raise Conflict(
                "A visit was already started from this invitation.",
                field="invitation_id",
                reason="one visit per invitation",
            )

    def visits(self, status: str | None = None) -> list[Visit]:
        """Visits by arrival, the latest first (without the delegates)."""
        return self.query(repositories.visits, status)

    def visit(self, visit_id: str, principal: Principal) -> Visit:
        """A visit with its delegates; reading the delegates is audited."""
        with self.transaction() as uow:
            visit = self.get(uow, Visit, visit_id, "visit")
            self.audit(uow, principal, "visit_delegation", [visit.id])
            return visit

    def decide_visit(
        self,
        visit_id: str,
        status: str,
        note: str | None,
        principal: Principal,
        correlation_id: str,
        expected_version: int | None,
    ) -> Visit:
        """Approve (protocol is told, to build the programme) or decline a visit."""
        with self.transaction() as uow:
            visit = self.for_transition(uow, Visit, visit_id, "visit", expected_version, status)
            self.record_decision(visit, status, note, principal)
            uow.session.flush()
            if status == "approved":
                uow.emit(
                    "delegation.visit_approved",
                    1,
                    {
                        "visit_id": visit.id,
                        "title": visit.title,
                        "partner_id": visit.partner_id,
                        "city": visit.city,
                        "country": visit.country,
                        "arrives_at": visit.arrives_at,
                        "departs_at": visit.departs_at,
                        "purpose": visit.purpose,
                        "language": visit.language,
                        "host_department_code": self.department,
                        "members": visit.members,
                        "approved_by": principal.subject,
                        "approved_at": visit.decided_at,
                    },
                    correlation_id,
                    correlation_id,
                )
            return visit
