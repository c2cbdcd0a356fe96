"""Routing's tables: departments, rules, the letters' workflow, assignments, endorsements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chancery.columns import RowId, Versioned
from chancery.db import NAMING_CONVENTION, JSONDocument, UTCDateTime, platform_tables
from chancery.declared_days import declared_days_table


class Base(DeclarativeBase):
    """Routing's tables, with the shared naming convention of constraints and indexes."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


PLATFORM = platform_tables(Base.metadata)
# Days off and extra working days operators declared (routing owns them).
CALENDAR_DAYS = declared_days_table(Base.metadata)


class Department(Base):
    """A department or administrative (territorial) unit."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    names: Mapped[dict[str, str]] = mapped_column(JSONDocument)
    parent: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffMember(Base):
    """A person of the municipality in the one staff directory (decision 31)."""

    __tablename__ = "staff_members"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str | None] = mapped_column(String(50), index=True)
    roles: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    # The position's title keyed by language ("lt": "Teisės skyriaus vedėja").
    positions: Mapped[dict[str, str]] = mapped_column(JSONDocument, default=dict)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RoutingRule(Base):
    """An ordered routing rule (``position`` decides the order)."""

    __tablename__ = "routing_rules"

    id: Mapped[RowId]
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(200))
    match: Mapped[dict[str, list[str]]] = mapped_column(JSONDocument)
    responsible: Mapped[str] = mapped_column(String(50))
    copies: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    deadline: Mapped[Any] = mapped_column(JSONDocument)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WorkflowLetter(Versioned, Base):
    """A registered letter as the workflow sees it: who acts, by when, in which status."""

    __tablename__ = "letters"

    id: Mapped[RowId]
    registration_number: Mapped[str] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    addressee_kind: Mapped[str | None] = mapped_column(String(20))
    addressee_department_code: Mapped[str | None] = mapped_column(String(50))
    sender_organisation: Mapped[str | None] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(30), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    department_code: Mapped[str | None] = mapped_column(String(50), index=True)
    copy_departments: Mapped[str] = mapped_column(Text, default=",")
    rule_name: Mapped[str | None] = mapped_column(String(200))
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    deadline_source: Mapped[str | None] = mapped_column(Text)
    extension: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_by: Mapped[date] = mapped_column(Date)
    # How forward_by was computed (structured steps, like ``deadline``).
    forwarding: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    executor: Mapped[str | None] = mapped_column(String(200), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply_letter_id: Mapped[str | None] = mapped_column(String(36))
    reply_registration_number: Mapped[str | None] = mapped_column(String(60))
    # Why routing left the letter to the registry's triage (cleared once it is routed).
    triage_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def copy_department_codes(self) -> list[str]:
        """Departments that got the letter for information."""
        return [code for code in self.copy_departments.split(",") if code]


class HistoryEntry(Base):
    """Something that happened to a letter: routed, re-routed, extended, assigned, endorsed..."""

    __tablename__ = "letter_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    letter_id: Mapped[str] = mapped_column(ForeignKey("letters.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class Assignment(Versioned, Base):
    """Work with an executor and a due date: a routed letter, or a mayor's or head's own task.

    A letter's assignment carries the executor's own due date (never later than the
    letter's) and the head's instructions in ``description``.
    """

    __tablename__ = "assignments"

    id: Mapped[RowId]
    letter_id: Mapped[str | None] = mapped_column(ForeignKey("letters.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    department_code: Mapped[str] = mapped_column(String(50), index=True)
    executor: Mapped[str | None] = mapped_column(String(200), index=True)
    assigned_by: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the executor reports on completion (required for "done").
    report: Mapped[str | None] = mapped_column(Text)
    due_soon_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The reminders the mayor's office sent by hand ("remind now"), apart from the timer's.
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Endorsement(Versioned, Base):
    """A reply's ordered circuit of approvers and where it stands."""

    __tablename__ = "endorsements"

    id: Mapped[RowId]
    letter_id: Mapped[str] = mapped_column(ForeignKey("letters.id"), index=True)
    reply_subject: Mapped[str] = mapped_column(Text)
    reply_summary: Mapped[str | None] = mapped_column(Text)
    reply_language: Mapped[str] = mapped_column(String(2))
    circuit: Mapped[list[str]] = mapped_column(JSONDocument)
    step: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    requested_by: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EndorsementDecision(Base):
    """One approver's decision on one step of a circuit."""

    __tablename__ = "endorsement_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endorsement_id: Mapped[str] = mapped_column(ForeignKey("endorsements.id"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30))
    approver: Mapped[str] = mapped_column(String(200))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
