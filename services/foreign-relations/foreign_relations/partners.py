"""Partner cities, their dossier and history, cooperation agreements and plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, InvalidInput, NotFound
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations.models import (
    Agreement,
    DossierEntry,
    Partner,
    PartnerContact,
    Plan,
    PlanItem,
    Trip,
    Visit,
    VisitRecord,
)
from foreign_relations.services import UseCases, apply, check_dates

# What the open-data export publishes of a partner: nothing about people.
PUBLIC_FIELDS = ("id", "city", "country", "relationship", "since", "status", "languages",
                 "areas", "website")
# Trips and visits that actually took place count in a partner's history.
TRIPS_THAT_HAPPENED = ("under_way", "returned", "reported")


@dataclass(frozen=True)
class HistoryVisit:
    """One visit in a partner's history, from a trip, a visit or a manual record."""

    direction: str
    source: str
    source_id: str
    title: str
    starts_on: date
    ends_on: date | None


class Partners(UseCases):
    """Partner cities with their contacts, dossier, visits, agreements and plans."""

    # Partners ------------------------------------------------------------------------

    def create_partner(self, data: dict[str, Any], idempotent: IdempotentRequest | None,
                       respond: Any) -> StoredResponse:
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
        query = select(Partner).order_by(Partner.city)
        if status:
            query = query.where(Partner.status == status)
        if country:
            query = query.where(Partner.country == country)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def partner(self, partner_id: str) -> Partner:
        """One partner city."""
        with self.reading() as uow:
            return self.get(uow, Partner, partner_id, "partner city")

    def update_partner(self, partner_id: str, changes: dict[str, Any],
                       expected_version: int | None) -> Partner:
        """Change a partner city's public facts."""
        with self.transaction() as uow:
            partner = self.for_update(uow, Partner, partner_id, "partner city", expected_version)
            apply(partner, changes)
            uow.session.flush()
            return partner

    def contacts(self, partner_id: str, principal: Principal) -> list[PartnerContact]:
        """A partner's contact people; the read is audited."""
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            rows = list(uow.session.scalars(select(PartnerContact).where(
                PartnerContact.partner_id == partner_id).order_by(PartnerContact.name)))
            self.audit(uow, principal, "partner_contact", [row.id for row in rows],
                       people={row.id: row.email or row.name for row in rows})
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

    def add_dossier_entry(self, partner_id: str, data: dict[str, Any],
                          principal: Principal) -> DossierEntry:
        """Add a note or a document to a partner's dossier."""
        with self.transaction() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            entry = DossierEntry(id=new_id(), partner_id=partner_id, created_by=principal.subject,
                                 created_at=self.now(), **data)
            uow.session.add(entry)
            return entry

    def dossier(self, partner_id: str) -> list[DossierEntry]:
        """A partner's dossier, newest first."""
        with self.reading() as uow:
            self.get(uow, Partner, partner_id, "partner city")
            return list(uow.session.scalars(select(DossierEntry).where(
                DossierEntry.partner_id == partner_id).order_by(DossierEntry.created_at.desc())))

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
            visits = [HistoryVisit("outgoing", "trip", trip.id, trip.title, trip.departs_on,
                                   trip.returns_on)
                      for trip in session.scalars(select(Trip).where(
                          Trip.partner_id == partner_id, Trip.status.in_(TRIPS_THAT_HAPPENED)))]
            visits += [HistoryVisit("incoming", "visit", visit.id, visit.title,
                                    self.calendar.local(visit.arrives_at).date(),
                                    self.calendar.local(visit.departs_at).date())
                       for visit in session.scalars(select(Visit).where(
                           Visit.partner_id == partner_id, Visit.status == "approved"))]
            visits += [HistoryVisit(record.direction, "record", record.id, record.title,
                                    record.starts_on, record.ends_on)
                       for record in session.scalars(select(VisitRecord).where(
                           VisitRecord.partner_id == partner_id))]
        return sorted(visits, key=lambda visit: visit.starts_on, reverse=True)

    def open_data(self) -> list[dict[str, Any]]:
        """The public part of every partner city (no people), for the open-data export."""
        return [{name: getattr(partner, name) for name in PUBLIC_FIELDS}
                for partner in self.partners()]

    # Agreements ------------------------------------------------------------------------

    def create_agreement(self, data: dict[str, Any], idempotent: IdempotentRequest | None,
                         respond: Any) -> StoredResponse:
        """Record a cooperation agreement and its first term."""
        check_dates(data["starts_on"], data.get("ends_on"), "ends_on")

        def make(uow: UnitOfWork) -> Agreement:
            self.check_partner(uow, data["partner_id"])
            agreement = Agreement(id=new_id(), created_at=self.now(), warned_for=None,
                                  terms=[_term(data["starts_on"], data.get("ends_on"))], **data)
            uow.session.add(agreement)
            uow.session.flush()
            return agreement

        return self.create(idempotent, make, respond)

    def agreements(self, partner_id: str | None = None,
                   ending_before: date | None = None) -> list[Agreement]:
        """Agreements by end date (open-ended last)."""
        query = select(Agreement).order_by(Agreement.ends_on.is_(None), Agreement.ends_on,
                                           Agreement.title)
        if partner_id:
            query = query.where(Agreement.partner_id == partner_id)
        if ending_before:
            query = query.where(Agreement.ends_on <= ending_before)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def agreement(self, agreement_id: str) -> Agreement:
        """One agreement with its terms."""
        with self.reading() as uow:
            return self.get(uow, Agreement, agreement_id, "agreement")

    def update_agreement(self, agreement_id: str, changes: dict[str, Any],
                         expected_version: int | None) -> Agreement:
        """Change an agreement's title, parties, areas, documents or renewal."""
        with self.transaction() as uow:
            agreement = self.for_update(uow, Agreement, agreement_id, "agreement",
                                        expected_version)
            apply(agreement, changes)
            uow.session.flush()
            return agreement

    def renew(self, agreement_id: str, starts_on: date | None, ends_on: date | None,
              expected_version: int | None) -> Agreement:
        """Start a new term; its end will be announced again when it comes near."""
        with self.transaction() as uow:
            agreement = self.for_update(uow, Agreement, agreement_id, "agreement",
                                        expected_version)
            if agreement.ends_on is None:
                raise Conflict("An open-ended agreement has no term to renew.",
                               field="ends_on", reason="the agreement has no end")
            starts_on = starts_on or agreement.ends_on
            check_dates(starts_on, ends_on, "ends_on")
            if ends_on is not None and ends_on <= agreement.ends_on:
                raise InvalidInput("The new term must end after the current one.",
                                   field="ends_on", reason="not after the current term's end")
            agreement.starts_on, agreement.ends_on = starts_on, ends_on
            agreement.terms = [*agreement.terms, _term(starts_on, ends_on)]
            uow.session.flush()
            return agreement

    # Plans -----------------------------------------------------------------------------

    def create_plan(self, data: dict[str, Any]) -> Plan:
        """Start a perspective or annual cooperation plan (with its items, if given)."""
        items = data.pop("items", [])
        if data["last_year"] < data["first_year"]:
            raise InvalidInput("The plan ends before it starts.", field="last_year",
                               reason="before first_year")
        if data["kind"] == "annual" and data["last_year"] != data["first_year"]:
            raise InvalidInput("An annual plan covers one year.", field="last_year",
                               reason="must equal first_year for an annual plan")
        with self.transaction() as uow:
            self.check_partner(uow, data.get("partner_id"))
            plan = Plan(id=new_id(), created_at=self.now(), **data)
            uow.session.add(plan)
            uow.session.flush()
            for index, item in enumerate(items):
                self._add_item(uow, plan, item, f"items[{index}]")
            return plan

    def plans(self, year: int | None = None) -> list[Plan]:
        """Plans, newest first, optionally those covering ``year``."""
        query = select(Plan).order_by(Plan.first_year.desc(), Plan.title)
        if year:
            query = query.where(Plan.first_year <= year, Plan.last_year >= year)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def plan(self, plan_id: str) -> tuple[Plan, list[PlanItem]]:
        """A plan and its items by target date."""
        with self.reading() as uow:
            plan = self.get(uow, Plan, plan_id, "plan")
            return plan, self._items(uow, plan_id)

    def add_item(self, plan_id: str, data: dict[str, Any]) -> PlanItem:
        """Add a measure to a plan."""
        with self.transaction() as uow:
            return self._add_item(uow, self.get(uow, Plan, plan_id, "plan"), data, "")

    def update_item(self, plan_id: str, item_id: str, changes: dict[str, Any],
                    expected_version: int | None) -> PlanItem:
        """Change a plan item: status, target date, responsible, linked events and trips."""
        with self.transaction() as uow:
            item = self.for_update(uow, PlanItem, item_id, "plan item", expected_version)
            if item.plan_id != plan_id:
                raise NotFound(f"No item {item_id} in plan {plan_id}.")
            if "department_code" in changes:
                self.check_department(changes["department_code"])
            if "trip_ids" in changes:
                self._check_trips(uow, changes["trip_ids"], "trip_ids")
            apply(item, changes)
            uow.session.flush()
            return item

    def _add_item(self, uow: UnitOfWork, plan: Plan, data: dict[str, Any],
                  prefix: str) -> PlanItem:
        dotted = f"{prefix}." if prefix else ""
        self.check_department(data["department_code"], f"{dotted}department_code")
        self._check_trips(uow, data.get("trip_ids", []), f"{dotted}trip_ids")
        item = PlanItem(id=new_id(), plan_id=plan.id, title=data["title"],
                        department_code=data["department_code"],
                        target_date=data.get("target_date"),
                        status=data.get("status", "planned"),
                        event_ids=data.get("event_ids", []),
                        trip_ids=data.get("trip_ids", []))
        uow.session.add(item)
        uow.session.flush()
        return item

    @staticmethod
    def _check_trips(uow: UnitOfWork, trip_ids: list[Any], field: str) -> None:
        for trip_id in trip_ids:
            if uow.session.get(Trip, str(trip_id)) is None:
                raise InvalidInput(f"No trip {trip_id}.", field=field, reason="unknown trip")

    @staticmethod
    def _items(uow: UnitOfWork, plan_id: str) -> list[PlanItem]:
        return list(uow.session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id)
                                        .order_by(PlanItem.target_date, PlanItem.title)))


def _term(starts_on: date, ends_on: date | None) -> dict[str, Any]:
    return {"starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None}
