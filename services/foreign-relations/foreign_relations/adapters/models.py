"""Foreign relations' tables.

Lists that are only ever read and written with their owner (areas, languages,
documents, checklist) are JSON columns; people's personal data (partners'
contacts, travellers, delegates) sits in rows or columns of its own, so the
public export and the list views never touch it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, MetaData, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chancery.columns import RowId, Versioned
from chancery.db import NAMING_CONVENTION, JSONDocument, UTCDateTime, platform_tables
from chancery.declared_days import declared_days_table


class Base(DeclarativeBase):
    """Foreign relations' tables, on their own metadata with the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A partner's contact, dossier entry or visit record: gone with the partner.
PartOfPartner = Annotated[
    str, mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)
]


# A record that may name the partner city it concerns.
OfPartner = Annotated[str | None, mapped_column(ForeignKey("partners.id"), index=True)]


class Decided:
    """Who took a request's decision (approved, declined...), when, and their note."""

    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)


PLATFORM = platform_tables(Base.metadata)
# Routing's declared days off and working days, kept from calendar.day_declared.
CALENDAR_DAYS = declared_days_table(Base.metadata)


class Partner(Versioned, Base):
    """A partner (twin) city and what the public may know about the relationship."""

    __tablename__ = "partners"

    id: Mapped[RowId]
    city: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    relationship: Mapped[str] = mapped_column(String(20))
    since: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True, default="active")
    languages: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    areas: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    website: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PartnerContact(Base):
    """A person at a partner city: personal data, read only with an audit record."""

    __tablename__ = "partner_contacts"

    id: Mapped[RowId]
    partner_id: Mapped[PartOfPartner]
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(2))
    # Set when the person asked to restrict processing (GDPR Art. 18): only stored, left out
    # of the partner's contact list.
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DossierEntry(Base):
    """A note or document in a partner's information dossier."""

    __tablename__ = "dossier_entries"

    id: Mapped[RowId]
    partner_id: Mapped[PartOfPartner]
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VisitRecord(Base):
    """A visit entered by hand into a partner's history (before this system, or informal)."""

    __tablename__ = "visit_records"

    id: Mapped[RowId]
    partner_id: Mapped[PartOfPartner]
    direction: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class Agreement(Versioned, Base):
    """A cooperation agreement and its current term.

    ``warned_for`` is the term end already announced with ``agreement.expiring``:
    once per term, and a renewal's new end may be announced again.
    """

    __tablename__ = "agreements"

    id: Mapped[RowId]
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    parties: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    renewal: Mapped[str] = mapped_column(String(20))
    areas: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    terms: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    warned_for: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Plan(Base):
    """A perspective (multi-year) or annual cooperation plan."""

    __tablename__ = "plans"

    id: Mapped[RowId]
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    partner_id: Mapped[OfPartner]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanItem(Versioned, Base):
    """One measure of a plan, with the events and trips that fulfil it."""

    __tablename__ = "plan_items"

    id: Mapped[RowId]
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    department_code: Mapped[str] = mapped_column(String(50))
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    event_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    trip_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)


class InboundLetter(Base):
    """What intake and routing said about an invitation letter, until it becomes an invitation.

    Either message may come first; the invitation is made when the letter is
    known to be an invitation, its sender is known, and it is routed here.
    """

    __tablename__ = "inbound_letters"

    letter_id: Mapped[RowId]
    registration_number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str | None] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(2))
    subject: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department_code: Mapped[str | None] = mapped_column(String(50))
    invitation_id: Mapped[str | None] = mapped_column(String(36))
    # The stricter of what intake and routing said (decision 17).
    confidentiality: Mapped[str] = mapped_column(
        String(20), default="normal", server_default="normal"
    )


class Invitation(Versioned, Decided, Base):
    """An invitation from abroad, its evaluation and the decision."""

    __tablename__ = "invitations"

    id: Mapped[RowId]
    title: Mapped[str] = mapped_column(Text)
    inviter: Mapped[str] = mapped_column(Text)
    inviter_kind: Mapped[str] = mapped_column(String(30))
    partner_id: Mapped[OfPartner]
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(2))
    summary: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    respond_by: Mapped[date | None] = mapped_column(Date)
    letter_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    registration_number: Mapped[str | None] = mapped_column(String(60))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    worth_going: Mapped[bool | None] = mapped_column(Boolean)
    recommendation: Mapped[str | None] = mapped_column(Text)
    proposed_head: Mapped[str | None] = mapped_column(String(200))
    proposed_delegation: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The invitation letter's level: only its clearance opens the invitation (decision 17).
    confidentiality: Mapped[str] = mapped_column(
        String(20), default="normal", server_default="normal"
    )


class Trip(Versioned, Base):
    """An outgoing delegation's trip, from an approved invitation to the report."""

    __tablename__ = "trips"

    id: Mapped[RowId]
    invitation_id: Mapped[str | None] = mapped_column(ForeignKey("invitations.id"), index=True)
    partner_id: Mapped[OfPartner]
    title: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    departs_on: Mapped[date] = mapped_column(Date)
    returns_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    checklist: Mapped[dict[str, bool]] = mapped_column(JSONDocument, default=dict)
    budget: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    programme: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Traveller(Base):
    """A member of an outgoing delegation: personal data (passport validity)."""

    __tablename__ = "travellers"

    id: Mapped[RowId]
    trip_id: Mapped[str] = mapped_column(ForeignKey("trips.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    head: Mapped[bool] = mapped_column(Boolean, default=False)
    passport_expires_on: Mapped[date | None] = mapped_column(Date)
    # Set when the traveller asked to restrict processing (GDPR Art. 18) after the trip: the
    # trip's accounting keeps them, stored only.
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Visit(Versioned, Decided, Base):
    """An incoming delegation's visit request and the decision on it."""

    __tablename__ = "visits"

    id: Mapped[RowId]
    partner_id: Mapped[OfPartner]
    # The (approved) invitation the visit was started from, when a letter asked for it.
    invitation_id: Mapped[str | None] = mapped_column(ForeignKey("invitations.id"), unique=True)
    title: Mapped[str] = mapped_column(Text)
    city: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    arrives_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    purpose: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(2))
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Translation(Versioned, Base):
    """A translation task for correspondence with a foreign city, in or out."""

    __tablename__ = "translations"

    id: Mapped[RowId]
    direction: Mapped[str] = mapped_column(String(10))
    source_language: Mapped[str] = mapped_column(String(2))
    target_language: Mapped[str] = mapped_column(String(2))
    letter_id: Mapped[str | None] = mapped_column(String(36), index=True)
    registration_number: Mapped[str | None] = mapped_column(String(60))
    original_task_id: Mapped[str | None] = mapped_column(ForeignKey("translations.id"), index=True)
    partner_id: Mapped[OfPartner]
    title: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    translated_text: Mapped[str | None] = mapped_column(Text)
    translator: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When ``translation.due_soon`` was published: the timer reminds once per task.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Project(Versioned, Base):
    """An international project or fund application."""

    __tablename__ = "projects"

    id: Mapped[RowId]
    title: Mapped[str] = mapped_column(Text)
    programme: Mapped[str] = mapped_column(String(300))
    partners: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    department_code: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProjectDeadline(Base):
    """A project's deadline (application, reporting...); ``notified_at`` once announced."""

    __tablename__ = "project_deadlines"

    id: Mapped[RowId]
    project_id: Mapped[str] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(50))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Proposal(Versioned, Base):
    """A foreign partner's proposal, referred to a council committee or department."""

    __tablename__ = "proposals"

    id: Mapped[RowId]
    partner_id: Mapped[OfPartner]
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    letter_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), index=True)
    referred_to: Mapped[str | None] = mapped_column(String(200))
    referred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
