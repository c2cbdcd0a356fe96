"""Notifications' tables: templates, deliveries, the in-app feed, staff, contacts, preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, MetaData, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chancery.columns import RowId
from chancery.db import NAMING_CONVENTION, JSONDocument, UTCDateTime, platform_tables


class Base(DeclarativeBase):
    """Notifications' tables, named by the shared convention (a class mypy knows as one)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


PLATFORM = platform_tables(Base.metadata)


class Template(Base):
    """One version of a notification kind's texts in one language."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("kind", "language", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    language: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(20))
    legal: Mapped[bool] = mapped_column(Boolean)
    variables: Mapped[list[str]] = mapped_column(JSONDocument)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class Delivery(Base):
    """One notification to one recipient on one channel, and where its delivery stands.

    ``(cause, recipient, channel)`` is unique: however often the cause is
    redelivered, the recipient is told once.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("cause", "recipient", "channel"),)

    id: Mapped[RowId]
    cause: Mapped[str] = mapped_column(String(450), index=True)
    recipient: Mapped[str] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(2))
    template_version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    status: Mapped[str] = mapped_column(String(30), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # W3C trace context of whatever queued it, so the send joins that trace.
    trace_context: Mapped[dict[str, str] | None] = mapped_column(JSONDocument)
    # Values cut out of the texts once delivered (an access code); None afterwards.
    secrets: Mapped[list[str] | None] = mapped_column(JSONDocument)


class FeedItem(Base):
    """An in-app notice for a staff member."""

    __tablename__ = "feed"

    id: Mapped[RowId]
    staff_subject: Mapped[str] = mapped_column(String(200), index=True)
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the notice is about, for the staff web app's link: a letter's registration
    # number (never its text) or an own task's id.
    registration_number: Mapped[str | None] = mapped_column(String(60))
    assignment_id: Mapped[str | None] = mapped_column(String(36))


class StaffMember(Base):
    """Who works where, in which roles, and how to reach them."""

    __tablename__ = "staff"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    department: Mapped[str | None] = mapped_column(String(50), index=True)
    roles: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LetterContact(Base):
    """How to reach the sender of a registered letter, remembered from ``letter.registered``."""

    __tablename__ = "letter_contacts"

    letter_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(Text)
    department_code: Mapped[str | None] = mapped_column(String(50))
    # Remembered so that later notices about the letter (answered, not ours), whose
    # messages carry no level, stay as protected as the letter (decision 17).
    confidentiality: Mapped[str] = mapped_column(
        String(20), default="normal", server_default="normal"
    )


class Preference(Base):
    """A recipient's preferred channel and language, and what they opted out of."""

    __tablename__ = "preferences"

    recipient: Mapped[str] = mapped_column(String(500), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(2))
    channel: Mapped[str | None] = mapped_column(String(20))
    opted_out: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookSubscription(Base):
    """A department system that wants events as signed HTTP POSTs."""

    __tablename__ = "webhooks"

    id: Mapped[RowId]
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(200))
    kinds: Mapped[list[str]] = mapped_column(JSONDocument)
    department: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # After a rotation the previous secret signs too, until receivers have the new one.
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Entitlements an operator grants (decision 17): confidential letters (secret ones
    # never leave), and the sender's, visitor's or participants' personal data.
    receives_confidential: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    receives_personal_data: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class SubscriptionSetting(Base):
    """An operator's change to a built-in subscription (switched off, or a forced channel).

    Kept in the database so the web processes and the worker agree.
    """

    __tablename__ = "subscription_settings"

    event: Mapped[str] = mapped_column(String(100), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateBucket(Base):
    """A channel's send rate shared by every sender replica: tokens left and when counted."""

    __tablename__ = "rate_buckets"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    # Seconds since the epoch: the replicas' clocks agree (NTP), their monotonic ones do not.
    counted_at: Mapped[float] = mapped_column(Float)
