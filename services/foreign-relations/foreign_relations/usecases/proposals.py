"""Foreign partners' proposals, referred to committees and departments and answered."""

from __future__ import annotations

from typing import Any

from chancery.db import UnitOfWork, new_id
from chancery.errors import InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Proposal
from foreign_relations.usecases import UseCases, apply


class Proposals(UseCases):
    """Proposals with their referral and answer."""

    def receive_proposal(
        self, data: dict[str, Any], idempotent: IdempotentRequest | None, respond: Any
    ) -> StoredResponse:
        """Record a foreign partner's proposal."""

        def make(uow: UnitOfWork) -> Proposal:
            self.check_partner(uow, data.get("partner_id"))
            proposal = Proposal(id=new_id(), status="received", **data)
            uow.session.add(proposal)
            uow.session.flush()
            return proposal

        return self.create(idempotent, make, respond)

    def proposals(self, status: str | None = None) -> list[Proposal]:
        """Proposals, newest first."""
        return self.query(repositories.proposals, status)

    def proposal(self, proposal_id: str) -> Proposal:
        """One proposal."""
        return self.read_one(Proposal, proposal_id, "proposal")

    def refer(
        self,
        proposal_id: str,
        referred_to: str,
        department_code: str | None,
        correlation_id: str,
        expected_version: int | None,
    ) -> Proposal:
        """Pass a proposal to a council committee or a department, which is told
        (``proposal.referred``)."""
        if department_code is not None and self.profile.department(department_code) is None:
            raise InvalidInput(
                f"There is no department {department_code}.",
                field="department_code",
                reason="unknown department",
            )
        with self.transaction() as uow:
            proposal = self._moved(
                uow,
                proposal_id,
                expected_version,
                "referred",
                referred_to=referred_to,
                referred_at=self.now(),
            )
            uow.emit(
                "proposal.referred",
                1,
                {
                    "proposal_id": proposal.id,
                    "title": proposal.title,
                    "summary": proposal.summary,
                    "received_on": proposal.received_on,
                    "referred_to": referred_to,
                    "department_code": department_code,
                    "referred_at": proposal.referred_at,
                },
                correlation_id,
            )
            return proposal

    def answer(self, proposal_id: str, answer: str, expected_version: int | None) -> Proposal:
        """Record the committee's or department's answer."""
        with self.transaction() as uow:
            return self._moved(
                uow,
                proposal_id,
                expected_version,
                "answered",
                answer=answer,
                answered_at=self.now(),
            )

    def _moved(
        self,
        uow: UnitOfWork,
        proposal_id: str,
        expected_version: int | None,
        status: str,
        **changes: Any,
    ) -> Proposal:
        """The proposal, checked against ``If-Match`` and its workflow, moved on to
        ``status`` with ``changes`` (the referral or answer, and when)."""
        proposal = self.for_transition(
            uow, Proposal, proposal_id, "proposal", expected_version, status
        )
        apply(proposal, {"status": status, **changes})
        uow.session.flush()
        return proposal
