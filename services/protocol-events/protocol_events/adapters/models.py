"""Protocol-events' tables: events, programme, resources, participants, press, expenses,
officials' reception hours, appointments and the visitor log."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from chancery.columns import RowId, Versioned
from chancery.db import NAMING_CONVENTION, JSONDocument, UTCDateTime, platform_tables
from chancery.declared_days import declared_days_table


class Base(DeclarativeBase):
    """Protocol-events' tables: their own metadata with the shared naming convention (a
    class, not ``make_base()``'s value, so the checker knows the models' base)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


PLATFORM = platform_tables(Base.metadata)
# Routing's declared days off and working days, kept from calendar.day_declared.
CALENDAR_DAYS = declared_days_table(Base.metadata)
Money = Numeric(14, 2)
# Appointments that no longer hold their slot: cancelled, or a resident's hold that expired.
FREE_AGAIN_SQL = "status NOT IN ('cancelled', 'expired')"
# A row that belongs to one event (its programme, participants, press, costs...).
PartOfEvent = Annotated[str, mapped_column(ForeignKey("events.id"), index=True)]


class Event(Versioned, Base):
    """An official event: reception, delegation visit, press conference, ceremony, meeting."""

    __tablename__ = "events"

    id: Mapped[RowId]
    kind: Mapped[str] = mapped_column(String(30))
    protocol_level: Mapped[str] = mapped_column(String(20))
    title: Mapped[dict[str, str]] = mapped_column(JSONDocument)
    description: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    venue: Mapped[str | None] = mapped_column(Text)
    department_code: Mapped[str] = mapped_column(String(50), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    ical_uid: Mapped[str] = mapped_column(String(200), unique=True)
    # The approved visit this event was created for (delegation.visit_approved), once.
    visit_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    status_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EventHistory(Base):
    """What happened to an event: status moves and announced changes."""

    __tablename__ = "event_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[PartOfEvent]
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class Participant(Base):
    """Someone taking part: an internal official or a guest."""

    __tablename__ = "participants"

    id: Mapped[RowId]
    event_id: Mapped[PartOfEvent]
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(2))
    rank: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(254))
    official_id: Mapped[str | None] = mapped_column(ForeignKey("officials.id"), index=True)
    host: Mapped[bool] = mapped_column(Boolean, default=False)
    guest_of_honour: Mapped[bool] = mapped_column(Boolean, default=False)
    speaks: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The invitation's answer (accepted, declined, tentative): by the guest from their
    # link, or recorded by staff who heard it by phone or e-mail ("guest" or their subject).
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(200))
    # The SHA-256 of the answer link's token (the token travels only in the invitation).
    answer_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class ProgrammeItem(Base):
    """One line of the programme: a meal, hotel, transport, meeting, cultural visit..."""

    __tablename__ = "programme_items"

    id: Mapped[RowId]
    event_id: Mapped[PartOfEvent]
    category: Mapped[str] = mapped_column(String(30))
    title: Mapped[dict[str, str]] = mapped_column(JSONDocument)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    counterpart: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)


class Resource(Base):
    """A room, vehicle, interpreter or other resource events book."""

    __tablename__ = "resources"

    id: Mapped[RowId]
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int | None] = mapped_column(Integer)
    languages: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ResourceBooking(Base):
    """A resource held for a span by an event, optionally for one programme item."""

    __tablename__ = "resource_bookings"

    id: Mapped[RowId]
    resource_id: Mapped[str] = mapped_column(ForeignKey("resources.id"))
    event_id: Mapped[PartOfEvent]
    item_id: Mapped[str | None] = mapped_column(ForeignKey("programme_items.id"), index=True)
    # Read back with its booking: people read the room's name, not its id.
    resource: Mapped[Resource] = relationship(lazy="selectin", viewonly=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_resource_bookings_span", "resource_id", "starts_at", "ends_at"),)


class PrecedenceList(Versioned, Base):
    """The protocol list in force (one row), replacing the shipped default once saved."""

    __tablename__ = "precedence_lists"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    ranks: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Accreditation(Base):
    """A journalist's accreditation for a press conference or event."""

    __tablename__ = "accreditations"

    id: Mapped[RowId]
    event_id: Mapped[PartOfEvent]
    outlet: Mapped[str] = mapped_column(String(300))
    journalist: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20))
    badge_number: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("event_id", "badge_number", name="uq_accreditations_badge"),)


class AwardDecision(Base):
    """The decision that grants an award ceremony's awards: its reference, date and body."""

    __tablename__ = "award_decisions"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AwardNominee(Base):
    """Someone nominated for an award ceremony's award; an awardee once the decision names
    them (then with a certificate number)."""

    __tablename__ = "award_nominees"

    id: Mapped[RowId]
    event_id: Mapped[PartOfEvent]
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(2))
    citation: Mapped[str | None] = mapped_column(Text)
    nominated_by: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    certificate_number: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("event_id", "certificate_number", name="uq_award_nominees_certificate"),
    )


class BudgetLine(Base):
    """The representation budget of an event for one category."""

    __tablename__ = "budget_lines"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))


class CostLine(Base):
    """A planned and (later) actual representation expense, approved or not."""

    __tablename__ = "cost_lines"

    id: Mapped[RowId]
    event_id: Mapped[PartOfEvent]
    item_id: Mapped[str | None] = mapped_column(ForeignKey("programme_items.id"))
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    planned: Mapped[Decimal] = mapped_column(Money)
    actual: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    incurred_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    # Approved although the category's approved lines then exceed its budget: said so.
    approved_over_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    # An actual recorded after the line's approval waits for its own decision.
    actual_status: Mapped[str | None] = mapped_column(String(20))
    actual_decided_by: Mapped[str | None] = mapped_column(String(200))
    actual_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Official(Base):
    """An official holding reception hours (mayor, deputies, director, council members)."""

    __tablename__ = "officials"

    id: Mapped[RowId]
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[dict[str, str]] = mapped_column(JSONDocument)
    staff_subject: Mapped[str | None] = mapped_column(String(200), index=True)
    addressee_kind: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    # The SHA-256 of the calendar feed's token: the token itself is shown once.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReceptionHours(Base):
    """One weekly reception window of an official."""

    __tablename__ = "reception_hours"

    id: Mapped[RowId]
    official_id: Mapped[str] = mapped_column(ForeignKey("officials.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)


class Appointment(Versioned, Base):
    """A resident's booking of one slot; a live slot can be held by one booking only."""

    __tablename__ = "appointments"

    id: Mapped[RowId]
    official_id: Mapped[str] = mapped_column(ForeignKey("officials.id"))
    # Read back with the appointment: people read the official's name, not an id.
    official: Mapped[Official] = relationship(lazy="selectin", viewonly=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    topic: Mapped[str] = mapped_column(Text)
    visitor_name: Mapped[str] = mapped_column(String(300))
    visitor_email: Mapped[str | None] = mapped_column(String(254))
    visitor_phone: Mapped[str | None] = mapped_column(String(50))
    visitor_language: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), index=True)
    booked_by: Mapped[str] = mapped_column(String(200))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_to_intake_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intake_key: Mapped[str | None] = mapped_column(String(200), index=True)
    handed_over_by: Mapped[str | None] = mapped_column(String(200))
    # Filled in when intake's letter.registered names the hand-over's key.
    letter_id: Mapped[str | None] = mapped_column(String(36))
    registration_number: Mapped[str | None] = mapped_column(String(100))
    # The visitor's e-mail or phone, normalised and digested: one live booking per
    # contact and official is looked up by it.
    contact_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # A resident's own booking (the public pages): held ``pending`` until the link they
    # were sent confirms it, or ``expired`` after ``hold_expires_at``.
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SHA-256 of the resident's link token (confirm, calendar file, cancel): the token
    # itself is only in the message that carries the link.
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when the visitor asked to restrict processing (GDPR Art. 18): the appointment is
    # kept but left out of lists (but the data protection officer's) and not handed over.
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The database refuses a second live booking of a slot, however the requests race.
    __table_args__ = (
        Index(
            "uq_appointments_live_slot",
            "official_id",
            "starts_at",
            unique=True,
            postgresql_where=text(FREE_AGAIN_SQL),
            sqlite_where=text(FREE_AGAIN_SQL),
        ),
        Index("ix_appointments_due", "starts_at", "status"),
    )


class BookingCounter(Base):
    """Residents' booking requests counted per client and per contact within a window.

    Keyed by a digest: no address, e-mail or phone is stored here.
    """

    __tablename__ = "booking_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    requests: Mapped[int] = mapped_column(Integer)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class VisitEntry(Base):
    """The visitor log: who came when (arrived, seen, left) or did not come."""

    __tablename__ = "visitor_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appointment_id: Mapped[str] = mapped_column(ForeignKey("appointments.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
