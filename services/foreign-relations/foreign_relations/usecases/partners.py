"""Partner cities: their facts, contacts, dossier, history of visits and open data."""

from __future__ import annotations

from typing import Any

from chancery.db import UnitOfWork, new_id
from chancery.errors import NotFound
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.principal import Principal
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import (
    DossierEntry,
    Partner,
    PartnerContact,
    VisitRecord,
)
from foreign_relations.domain.partners import PUBLIC_FIELDS, TRIPS_THAT_HAPPENED, HistoryVisit
from foreign_relations.usecases import UseCases, check_dates


class Partners(UseCases):
    """Partner cities with their contacts, dossier and visits both ways."""

    def create_partner(
        self, data: dict[str, Any], idempotent: IdempotentRequest | None, respond: Any
    ) -> StoredResponse:
        """Add a partner city (with its contacts, if given)."""
        contacts = data.pop("contacts", [])

        def make(uow: UnitOfWork) -> Partner:
            partner = Partner(id=new_id(), created_at=self.now(), **data)
            uow.session.add(partner)
            uow.session.flush()
            for contact in contacts:
                uow.session.add(PartnerContact(id=new_id(), partner_id=partner.id, **contact))
            return partner

        return self.create(idempotent, make, respond)

    def partners(self, status: str | None = None, country: str | None = None) -> list[Partner]:
        """Partner cities by city name, optionally of one status or country."""
        return self.query(repositories.partners, status, country)

    def partner(self, partner_id: str) -> Partner:
        """One partner city."""
        return self.read_one(Partner, partner_id, "partner city")

    def update_partner(
        self, partner_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> Partner:
        """Change a partner city's public facts."""
        return self.change_facts(Partner, partner_id, "partner city", changes, expected_version)

    def contacts(self, partner_id: str, principal: Principal) -> list[PartnerContact]:
        """A partner's contact people but those who restricted processing; the read is
        audited."""
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            rows = repositories.contacts(uow.session, partner_id)
            self.audit(
                uow,
                principal,
                "partner_contact",
                [row.id for row in rows],
                people={row.id: row.email or row.name for row in rows},
            )
            return rows

    def add_contact(self, partner_id: str, data: dict[str, Any]) -> PartnerContact:
        """Add a contact person to a partner city."""
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            contact = PartnerContact(id=new_id(), partner_id=partner_id, **data)
            uow.session.add(contact)
            return contact

    def remove_contact(self, partner_id: str, contact_id: str) -> None:
        """Remove a contact person (the person left, or asked to be forgotten)."""
        with self.transaction() as uow:
            contact = uow.session.get(PartnerContact, contact_id)
            if contact is None or contact.partner_id != partner_id:
                raise NotFound(f"No contact {contact_id} of partner city {partner_id}.")
            uow.session.delete(contact)

    def add_dossier_entry(
        self, partner_id: str, data: dict[str, Any], principal: Principal
    ) -> DossierEntry:
        """Add a note or a document to a partner's dossier."""
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            entry = DossierEntry(
                id=new_id(),
                partner_id=partner_id,
                created_by=principal.subject,
                created_at=self.now(),
                **data,
            )
            uow.session.add(entry)
            return entry

    def dossier(self, partner_id: str) -> list[DossierEntry]:
        """A partner's dossier, newest first."""
        with self.reading() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            return repositories.dossier(uow.session, partner_id)

    def add_visit_record(self, partner_id: str, data: dict[str, Any]) -> VisitRecord:
        """Enter a past visit by hand into a partner's history."""
        check_dates(data["starts_on"], data.get("ends_on"), "ends_on")
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            record = VisitRecord(id=new_id(), partner_id=partner_id, **data)
            uow.session.add(record)
            return record

    def history(self, partner_id: str) -> list[HistoryVisit]:
        """Visits both ways, newest first: trips made, visits approved, records entered."""
        with self.reading() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            session = uow.session
            visits = [
                HistoryVisit(
                    "outgoing", "trip", trip.id, trip.title, trip.departs_on, trip.returns_on
                )
                for trip in repositories.trips_of_partner(session, partner_id, TRIPS_THAT_HAPPENED)
            ]
            visits += [
                HistoryVisit(
                    "incoming",
                    "visit",
                    visit.id,
                    visit.title,
                    self._calendar.local(visit.arrives_at).date(),
                    self._calendar.local(visit.departs_at).date(),
                )
                for visit in repositories.approved_visits_of_partner(session, partner_id)
            ]
            visits += [
                HistoryVisit(
                    record.direction,
                    "record",
                    record.id,
                    record.title,
                    record.starts_on,
                    record.ends_on,
                )
                for record in repositories.visit_records(session, partner_id)
            ]
        return sorted(visits, key=lambda visit: visit.starts_on, reverse=True)

    def open_data(self) -> list[dict[str, Any]]:
        """The public part of every partner city (no people), for the open-data export."""
        return [
            {name: getattr(partner, name) for name in PUBLIC_FIELDS} for partner in self.partners()
        ]
