"""Cooperation agreements with partner cities and their terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, update

from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Agreement, Partner
from foreign_relations.domain import terms
from foreign_relations.usecases import AnnouncingUseCases, check_dates


class Agreements(AnnouncingUseCases):
    """Cooperation agreements: recorded, changed and renewed term by term, their end
    announced ``lead_days`` ahead."""

    def create_agreement(
        self, data: dict[str, Any], idempotent: IdempotentRequest | None, respond: Any
    ) -> StoredResponse:
        """Record a cooperation agreement and its first term."""
        check_dates(data["starts_on"], data.get("ends_on"), "ends_on")

        def make(uow: UnitOfWork) -> Agreement:
            self.check_partner(uow, data["partner_id"])
            agreement = Agreement(
                id=new_id(),
                created_at=self.now(),
                warned_for=None,
                terms=[_term(data["starts_on"], data.get("ends_on"))],
                **data,
            )
            uow.session.add(agreement)
            uow.session.flush()
            return agreement

        return self.create(idempotent, make, respond)

    def agreements(
        self, partner_id: str | None = None, ending_before: date | None = None
    ) -> list[Agreement]:
        """Agreements by end date (open-ended last)."""
        return self.query(repositories.agreements, partner_id, ending_before)

    def agreement(self, agreement_id: str) -> Agreement:
        """One agreement with its terms."""
        return self.read_one(Agreement, agreement_id, "agreement")

    def update_agreement(
        self, agreement_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> Agreement:
        """Change an agreement's title, parties, areas, documents or renewal."""
        return self.change_facts(Agreement, agreement_id, "agreement", changes, expected_version)

    def renew(
        self,
        agreement_id: str,
        starts_on: date | None,
        ends_on: date | None,
        expected_version: int | None,
    ) -> Agreement:
        """Start a new term; its end will be announced again when it comes near."""
        with self.transaction() as uow:
            agreement = self.for_update(uow, Agreement, agreement_id, "agreement", expected_version)
            if agreement.ends_on is None:
                raise Conflict(
                    "An open-ended agreement has no term to renew.",
                    field="ends_on",
                    reason="the agreement has no end",
                )
            starts_on = starts_on or agreement.ends_on
            check_dates(starts_on, ends_on, "ends_on")
            if ends_on is not None and ends_on <= agreement.ends_on:
                raise InvalidInput(
                    "The new term must end after the current one.",
                    field="ends_on",
                    reason="not after the current term's end",
                )
            agreement.starts_on, agreement.ends_on = starts_on, ends_on
            agreement.terms = [*agreement.terms, _term(starts_on, ends_on)]
            uow.session.flush()
            return agreement

    def announce_expiring(self, correlation_id: str) -> int:
        """Publish ``agreement.expiring`` once per term for terms ending within the lead time."""
        return self.announce_due(
            Agreement,
            Partner,
            Agreement.ends_on,
            or_(Agreement.warned_for.is_(None), Agreement.warned_for != Agreement.ends_on),
            self._announce_expiry,
            correlation_id,
        )

    def _announce_expiry(
        self,
        uow: UnitOfWork,
        today: date,
        agreement: Agreement,
        partner: Partner,
        correlation_id: str,
    ) -> bool:
        # The query picked ends within the lead time: a None here is only the type's.
        ends_on = agreement.ends_on
        if ends_on is None or not terms.needs_expiry_warning(
            ends_on, agreement.warned_for, today, self.lead_days
        ):
            return False
        claimed = uow.session.execute(
            update(Agreement)
            .where(
                Agreement.id == agreement.id,
                Agreement.ends_on == ends_on,
                or_(Agreement.warned_for.is_(None), Agreement.warned_for != ends_on),
            )
            .values(warned_for=ends_on)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            return False
        uow.emit(
            "agreement.expiring",
            1,
            {
                "agreement_id": agreement.id,
                "title": agreement.title,
                "partner_city": partner.city,
                "partner_country": partner.country,
                "ends_on": ends_on,
                "days_left": terms.days_left(ends_on, today),
                "renewal": agreement.renewal,
                "department_code": self.department,
            },
            correlation_id,
        )
        return True


def _term(starts_on: date, ends_on: date | None) -> dict[str, Any]:
    return {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None}
