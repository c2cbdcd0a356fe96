"""Who is told what when another service's event arrives.

Each built-in subscription maps an event to a notification kind and an
audience: the citizen who wrote the letter, the department, the executor,
the department's head, the approvers of an endorsement step, an official
event's participants (with a calendar file), the resident who booked
reception hours and the official, the mayor's office, and the department
systems subscribed by webhook. Subscriptions can be switched off
or given another channel (``Audiences.configure``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.calendar import WorkingCalendar
from chancery.clock import utcnow
from chancery.confidentiality import is_protected, neutral_title, stricter
from chancery.db import Transactions, UnitOfWork
from chancery.errors import NotFound
from chancery.ical import Attendee
from chancery.messages.catalogue import secret_values
from chancery.profiles import Profile
from notifications.adapters.models import (
    LetterContact,
    StaffMember,
    SubscriptionSetting,
    WebhookSubscription,
)
from notifications.domain.calendar_files import (
    CANCEL,
    REQUEST,
    appointment_entry,
    event_entry,
    ics_attachment,
    localised,
)
from notifications.domain.labels import (
    CHANGE_LABELS,
    DEADLINE_KIND_LABELS,
    DECISION_LABELS,
    GIVER_LABELS,
    RENEWAL_LABELS,
    TRANSLATION_DIRECTION_LABELS,
    code_label,
    local_date,
    local_when,
    role_label,
)
from notifications.domain.subscriptions import (
    BUILT_IN,
    CITIZEN_ONLY,
    OFFICIAL_KINDS,
    STAMPS,
    SUBJECT_LIKE,
    WITHHELD,
    Subscription,
)
from notifications.domain.webhook_payloads import may_receive, webhook_payload
from notifications.usecases.deliveries import Deliveries, Recipient


def _kind_for(subscription: Subscription, event: str, recipient: Recipient, payload: Any) -> str:
    """The notice kind ``recipient`` is sent for ``event``."""
    official = getattr(payload, "official_subject", None)
    if event in OFFICIAL_KINDS and official and recipient.staff_subject == official:
        return OFFICIAL_KINDS[event]
    return subscription.kind


# Whom to tell, each with the template data that is theirs alone (an answer link).
Reach = list[tuple[Recipient, dict[str, str]]]


def _outside_reach(email: str | None, phone: str | None, language: str | None) -> Reach:
    """Someone outside the staff directory: told by e-mail if they gave one, else by SMS."""
    if email:
        return [(Recipient("email", email, language), {})]
    if phone:
        return [(Recipient("sms", phone, language), {})]
    return []


class Audiences(Transactions):
    """Turns events into queued deliveries for the audiences of the built-in subscriptions."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        deliveries: Deliveries,
        profile: Profile,
        status_url: str,
    ) -> None:
        super().__init__(unit_of_work)
        self._deliveries = deliveries
        self._profile = profile
        self._calendar: WorkingCalendar = profile.calendar()
        self._status_url = status_url.rstrip("/")
        self._built_in = {s.event: s for s in BUILT_IN}

    def all(self) -> list[Subscription]:
        """The subscriptions as configured now."""
        with self.reading() as uow:
            return [self._configured(uow.session, event) for event in self._built_in]

    def configure(self, event: str, active: bool, channel: str | None) -> Subscription:
        """Switch a subscription on or off, or force a channel for it (for every process)."""
        if event not in self._built_in:
            raise NotFound(f"No subscription for {event}.")
        with self.transaction() as uow:
            uow.session.merge(
                SubscriptionSetting(
                    event=event, active=active, channel=channel, updated_at=utcnow()
                )
            )
        return replace(self._built_in[event], active=active, channel=channel)

    def _configured(self, session: Session, event: str) -> Subscription:
        setting = session.get(SubscriptionSetting, event)
        built_in = self._built_in[event]
        if setting is None:
            return built_in
        return replace(built_in, active=setting.active, channel=setting.channel)

    def on_event(self, session: Session, event: str, message_id: str, payload: Any) -> int:
        """Queue the notices ``event`` causes; return how many were queued.

        ``payload`` is the event's contract dataclass; the fields every notice's
        template may name are its fields.
        """
        if event == "letter.registered":
            self._remember_sender(session, payload)
        level = self._level(session, payload)
        queued = self._to_webhooks(session, event, message_id, payload, level)
        subscription = self._configured(session, event) if event in self._built_in else None
        if event == "event.updated" and payload.invited:
            subscription, payload = self._newcomers(session, payload)
        if subscription is None or not subscription.active:
            return queued
        resolve = getattr(self, f"_audience_{subscription.audience}")
        secrets = secret_values(event, payload)
        for recipient, data in resolve(session, payload):
            # A participant's answer link is theirs alone: their notice keeps no other's.
            own = [data["answer_url"]] if data.get("answer_url") else []
            if subscription.channel:
                recipient = self._switch(session, payload, recipient, subscription.channel)
            kind = _kind_for(subscription, event, recipient, payload)
            language = self._deliveries.language(session, recipient, kind)
            data = {
                "municipality_name": self._profile.name(language),
                **self._data(event, session, payload, language, level),
                **data,
            }
            attachments = (
                self._calendar_file(session, event, payload, recipient, language, data)
                if recipient.channel == "email"
                else None
            )
            personal_links = getattr(payload, "answer_urls", None)
            if self._deliveries.enqueue(
                session,
                message_id,
                recipient,
                kind,
                data,
                attachments,
                about=payload,
                secrets=own if personal_links else secrets,
            ):
                queued += 1
        return queued

    def _newcomers(self, session: Session, payload: Any) -> tuple[Subscription, Any]:
        """A participant added to a confirmed event is invited (the invitation's setting
        applies); the others' invitation stands, so they are not told."""
        invited = {str(participant_id) for participant_id in payload.invited}
        return self._configured(session, "event.scheduled"), replace(
            payload,
            participants=[p for p in payload.participants if str(p.participant_id) in invited],
        )

    # Audiences ---------------------------------------------------------------------

    def _audience_sender(self, session: Session, payload: Any):
        if getattr(payload, "answered_by", "reply") != "reply":
            # Answered by the decision on the invitation it was: no reply went out to tell of.
            return []
        contact = session.get(LetterContact, str(payload.letter_id))
        if contact is None:
            return []
        return _outside_reach(contact.email, contact.phone, contact.language)

    def _audience_department(self, session: Session, payload: Any):
        return self._department(session, payload.department_code)

    def _department(self, session: Session, code: str):
        recipients = self._staff_in_app(session, department=code)
        department = self._profile.department(code)
        if department is not None and department.email:
            recipients.append(
                (Recipient("email", department.email, self._profile.default_language), {})
            )
        return recipients

    def _audience_protocol_office(self, session: Session, _payload: Any):
        return self._department(session, self._profile.offices["protocol"])

    def _audience_referral(self, session: Session, payload: Any):
        """The department a proposal went to; for a council committee, the mayor's office
        (which serves the council)."""
        if payload.department_code:
            return self._audience_department(session, payload)
        recipients = []
        for member in self._staff(session, None, "mayor_office"):
            recipients += self._reach(member)
        return recipients

    @staticmethod
    def _audience_journalist(_session: Session, payload: Any):
        return _outside_reach(payload.email, payload.phone, payload.language)

    @staticmethod
    def _audience_awardee(_session: Session, payload: Any):
        if payload.email:
            return [(Recipient("email", payload.email, payload.language), {})]
        return []

    def _audience_executor(self, session: Session, payload: Any):
        member = session.get(StaffMember, payload.executor or "")
        return self._reach(member) if member is not None and member.active else []

    def _audience_executor_or_department(self, session: Session, payload: Any):
        if payload.executor:
            return self._audience_executor(session, payload)
        return self._audience_department(session, payload)

    def _audience_executor_and_head(self, session: Session, payload: Any):
        recipients = self._audience_executor(session, payload)
        for head in self._staff(session, payload.department_code, "department_head"):
            recipients += self._reach(head)
        return recipients

    def _audience_approvers(self, session: Session, payload: Any):
        role = payload.approver_role
        department = payload.department_code if role == "department_head" else None
        recipients = []
        for member in self._staff(session, department, role):
            recipients += self._reach(member)
        return recipients

    def _audience_department_and_mayor_office(self, session: Session, payload: Any):
        recipients = self._audience_department(session, payload)
        for member in self._staff(session, None, "mayor_office"):
            recipients += self._reach(member)
        return recipients

    def _audience_participants(self, session: Session, payload: Any):
        """Each participant in their language: staff like staff, others at their e-mail."""
        recipients = []
        for participant in payload.participants or []:
            member = (
                session.get(StaffMember, participant.staff_subject)
                if participant.staff_subject
                else None
            )
            if member is not None and member.active:
                reach = self._reach(member)
                if not member.email and participant.email:
                    reach.append(
                        (Recipient("email", participant.email, member.language, member.subject), {})
                    )
            elif participant.email:
                reach = [(Recipient("email", participant.email, participant.language), {})]
            else:
                # No address and not in the staff directory: protocol invites them otherwise.
                reach = []
            link = getattr(payload, "answer_urls", {}).get(str(participant.participant_id))
            recipients += [
                (recipient, {"participant_name": participant.name, "answer_url": link or ""})
                for recipient, _ in reach
            ]
        return recipients

    @staticmethod
    def _audience_visitor(_session: Session, payload: Any):
        visitor = payload.visitor
        return _outside_reach(visitor.email, visitor.phone, visitor.language)

    def _audience_visitor_and_official(self, session: Session, payload: Any):
        recipients = self._audience_visitor(session, payload)
        official = session.get(StaffMember, payload.official_subject or "")
        if official is not None and official.active:
            recipients.append(
                (Recipient("in_app", official.subject, official.language, official.subject), {})
            )
        return recipients

    def _staff(
        self, session: Session, department: str | None, role: str | None = None
    ) -> list[StaffMember]:
        query = select(StaffMember).where(StaffMember.active)
        if department:
            query = query.where(StaffMember.department == department)
        members = list(session.scalars(query.order_by(StaffMember.subject)))
        return [m for m in members if role is None or role in m.roles]

    def _staff_in_app(self, session: Session, department: str) -> Reach:
        return [
            (Recipient("in_app", member.subject, member.language, member.subject), {})
            for member in self._staff(session, department)
        ]

    @staticmethod
    def _reach(member: StaffMember) -> Reach:
        reach: Reach = [(Recipient("in_app", member.subject, member.language, member.subject), {})]
        if member.email:
            reach.append((Recipient("email", member.email, member.language, member.subject), {}))
        return reach

    @staticmethod
    def _switch(session: Session, payload: Any, recipient: Recipient, channel: str) -> Recipient:
        """``recipient`` on a forced ``channel``, at their address there.

        In-app notices stay; someone with no address on ``channel`` (a citizen
        in-app, a department mailbox, a member without a phone) keeps theirs.
        """
        if recipient.channel in ("in_app", channel):
            return recipient
        addresses: dict[str, str | None] = {}
        if recipient.staff_subject:
            member = session.get(StaffMember, recipient.staff_subject)
            if member is not None:
                addresses = {"email": member.email, "sms": member.phone, "in_app": member.subject}
        elif getattr(payload, "letter_id", None):
            contact = session.get(LetterContact, str(payload.letter_id))
            if contact is not None and recipient.address in (contact.email, contact.phone):
                addresses = {"email": contact.email, "sms": contact.phone}
        elif getattr(payload, "visitor", None):
            visitor = payload.visitor
            if recipient.address in (visitor.email, visitor.phone):
                addresses = {"email": visitor.email, "sms": visitor.phone}
        address = addresses.get(channel)
        return replace(recipient, channel=channel, address=address) if address else recipient

    @staticmethod
    def _level(session: Session, payload: Any) -> str:
        """The letter's level: what the message says or what ``letter.registered`` said,
        the stricter (messages such as ``letter.answered`` carry none)."""
        contact = (
            session.get(LetterContact, str(payload.letter_id))
            if getattr(payload, "letter_id", None)
            else None
        )
        return stricter(
            getattr(payload, "confidentiality", None),
            contact.confidentiality if contact is not None else None,
        )

    def _to_webhooks(
        self, session: Session, event: str, message_id: str, payload: Any, level: str
    ) -> int:
        queued = 0
        if event in CITIZEN_ONLY:
            return queued
        for hook in session.scalars(select(WebhookSubscription).where(WebhookSubscription.active)):
            if event not in hook.kinds or not may_receive(level, hook.receives_confidential):
                continue
            addressee = getattr(payload, "addressee", None)
            department = getattr(payload, "department_code", None) or (
                addressee.department_code if addressee else None
            )
            if hook.department and hook.department != department:
                continue
            data = {
                "title": event,
                "message": event,
                "municipality_name": self._profile.name("en"),
                "event": event,
                "payload": _jsonable(
                    webhook_payload(asdict(payload), level, hook.receives_personal_data)
                ),
            }
            if self._deliveries.enqueue(
                session, message_id, Recipient("webhook", f"webhook:{hook.id}"), "generic", data
            ):
                queued += 1
        return queued

    # Template data ---------------------------------------------------------------------

    def _remember_sender(self, session: Session, payload: Any) -> None:
        sender = payload.sender
        if session.get(LetterContact, str(payload.letter_id)) is not None:
            return
        session.add(
            LetterContact(
                letter_id=str(payload.letter_id),
                registration_number=payload.registration_number,
                name=sender.name,
                email=sender.email,
                phone=sender.phone,
                language=sender.preferred_language or payload.language,
                subject=payload.subject,
                department_code=payload.addressee.department_code,
                confidentiality=payload.confidentiality,
            )
        )
        session.flush()

    def _data(
        self, event: str, session: Session, payload: Any, language: str | None, level: str
    ) -> dict[str, Any]:
        values = self._plain_data(event, session, payload, language)
        if not is_protected(level):
            return values
        # Notices go by e-mail and to shared mailboxes and feeds: nobody's clearance is
        # checked there, so a protected letter is named by its level and number only.
        neutral = neutral_title(level, getattr(payload, "registration_number", None), language)
        return {**values, **dict.fromkeys(SUBJECT_LIKE, neutral), **dict.fromkeys(WITHHELD, "")}

    def _plain_data(
        self, event: str, session: Session, payload: Any, language: str | None
    ) -> dict[str, Any]:
        contact = (
            session.get(LetterContact, str(payload.letter_id))
            if getattr(payload, "letter_id", None)
            else None
        )
        values = {key: self._text(value) for key, value in _jsonable(asdict(payload)).items()}
        values.setdefault("registration_number", "")
        if contact is not None:
            values.setdefault("subject", contact.subject)
        if hasattr(payload, "approver_role"):
            values["approver_role"] = role_label(payload.approver_role, language)
        if hasattr(payload, "department_code"):
            department = self._profile.department(payload.department_code)
            values["department_name"] = (
                department.names.get(language or "")
                or department.names.get(self._profile.default_language)
                if department
                else payload.department_code
            )
        extra: Callable[[], dict[str, Any]] = {
            "letter.registered": lambda: {
                "status_url": f"{self._status_url}/{payload.registration_number}"
                f"?code={payload.status_lookup_code}",
                "received_on": self._day(payload.received_at),
            },
            "letter.access_code_issued": lambda: {
                "status_url": f"{self._status_url}/{payload.registration_number}"
                f"?code={payload.status_lookup_code}"
            },
            "letter.answered": lambda: {
                "answered_on": self._day(payload.answered_at),
                "reply_registration_number": payload.reply_registration_number or "",
            },
            "letter.not_ours": lambda: {"forwarded_to": payload.forwarded_to or ""},
            "letter.routed": lambda: {"rule": payload.rule or ""},
            "assignment.created": lambda: {"assigned_by": self._giver(session, payload, language)},
            "assignment.reminded": lambda: {
                "reminded_by": payload.reminded_by_name or self._name(session, payload.reminded_by)
            },
            "event.scheduled": lambda: self._event_data(payload, language),
            "event.updated": lambda: {
                **self._event_data(payload, language),
                "changes": ", ".join(
                    code_label(CHANGE_LABELS, change, language) for change in payload.changes
                ),
            },
            "event.cancelled": lambda: self._event_data(payload, language),
            "appointment.confirmation_requested": lambda: {
                **self._appointment_data(payload, language),
                "expires": _clock_time(payload.expires_at, payload.time_zone),
            },
            "appointment.booked": lambda: self._appointment_data(payload, language),
            "appointment.cancelled": lambda: self._appointment_data(payload, language),
            "appointment.reminder_due": lambda: self._appointment_data(payload, language),
            "invitation.awaiting_decision": lambda: self._invitation_data(payload, language),
            "invitation.decided": lambda: {
                **self._invitation_data(payload, language),
                "decision": code_label(DECISION_LABELS, payload.status, language),
                "decided_by_name": self._name(session, payload.decided_by),
            },
            "proposal.referred": lambda: {"received_on": local_date(payload.received_on, language)},
            "accreditation.decided": lambda: {
                "event_title": localised(
                    payload.event_title, language, self._profile.default_language
                ),
                "when": local_when(payload.starts_at, payload.ends_at, payload.time_zone, language),
                "decision": code_label(DECISION_LABELS, payload.status, language),
            },
            "award.granted": lambda: {
                "event_title": localised(
                    payload.event_title, language, self._profile.default_language
                ),
                "when": local_when(payload.starts_at, payload.ends_at, payload.time_zone, language),
                "decided_on": local_date(payload.decided_on, language),
            },
            "delegation.visit_approved": lambda: {
                "arrives_on": local_date(self._calendar.local(payload.arrives_at).date(), language),
                "departs_on": local_date(self._calendar.local(payload.departs_at).date(), language),
                "members": len(payload.members or []),
            },
            "agreement.expiring": lambda: {
                "ends_on": local_date(payload.ends_on, language),
                "renewal": code_label(RENEWAL_LABELS, payload.renewal, language),
            },
            "project.deadline_approaching": lambda: {
                "deadline_on": local_date(payload.deadline_on, language),
                "deadline_kind": code_label(DEADLINE_KIND_LABELS, payload.deadline_kind, language),
            },
            "translation.due_soon": lambda: {
                "due_on": local_date(payload.due_on, language),
                "direction": code_label(TRANSLATION_DIRECTION_LABELS, payload.direction, language),
                "languages": f"{payload.source_language.upper()} → "
                f"{payload.target_language.upper()}",
            },
        }.get(event, dict)
        return {**values, **extra()}

    @staticmethod
    def _giver(session: Session, payload: Any, language: str | None) -> str:
        """Who gave an assignment, as a person's name from the staff directory."""
        if payload.assigned_by_name:
            return payload.assigned_by_name
        known = session.get(StaffMember, payload.assigned_by)
        if known is not None:
            return known.name
        return code_label(GIVER_LABELS, payload.assigned_by, language)

    @staticmethod
    def _name(session: Session, subject: str) -> str:
        """A staff member's name from the directory (their subject when it is unknown)."""
        known = session.get(StaffMember, subject)
        return known.name if known is not None else subject

    def _event_data(self, payload: Any, language: str | None) -> dict[str, Any]:
        default = self._profile.default_language
        return {
            "title": localised(payload.title, language, default),
            "description": localised(payload.description or {}, language, default),
            "when": local_when(payload.starts_at, payload.ends_at, payload.time_zone, language),
            "venue": payload.venue or "",
        }

    def _appointment_data(self, payload: Any, language: str | None) -> dict[str, Any]:
        return {
            "visitor_name": payload.visitor.name,
            "official_position": localised(
                payload.official_position or {}, language, self._profile.default_language
            ),
            "when": local_when(payload.starts_at, payload.ends_at, payload.time_zone, language),
            "place": payload.place or "",
        }

    @staticmethod
    def _invitation_data(payload: Any, language: str | None) -> dict[str, Any]:
        starts_on, ends_on = payload.starts_on, payload.ends_on
        dates = " – ".join(
            local_date(day, language) for day in dict.fromkeys(d for d in (starts_on, ends_on) if d)
        )
        return {
            "where": ", ".join(p for p in (payload.city, payload.country) if p),
            "dates": dates,
            "respond_by": local_date(payload.respond_by, language)
            if getattr(payload, "respond_by", None)
            else "",
        }

    # Calendar files ----------------------------------------------------------------------

    def _calendar_file(
        self,
        session: Session,
        event: str,
        payload: Any,
        recipient: Recipient,
        language: str,
        data: dict[str, Any],
    ) -> list[dict[str, Any]] | None:
        """The .ics an e-mail about ``event`` carries (None for events without one)."""
        if event not in STAMPS:
            return None
        stamp = getattr(payload, STAMPS[event])
        cancelled = event.endswith(".cancelled")
        method = CANCEL if cancelled else REQUEST
        default = self._profile.default_language
        if event.startswith("event."):
            department = self._profile.department(payload.department_code)
            organizer = (
                Attendee(localised(department.names, language, default), department.email)
                if department is not None and department.email
                else None
            )
            entry = event_entry(
                payload,
                summary=localised(payload.title, language, default),
                description=localised(payload.description or {}, language, default),
                organizer=organizer,
                attendee=Attendee(data["participant_name"], recipient.address),
                cancelled=cancelled,
                stamp=stamp,
            )
            return [ics_attachment(entry, method, "invitation.ics")]
        # The official organises their reception hours when the directory knows their e-mail.
        official = session.get(StaffMember, payload.official_subject or "")
        entry = appointment_entry(
            payload,
            uid=f"appointment-{payload.appointment_id}@{self._profile.code}.chancery",
            summary=f"{payload.official_name}: {payload.topic}",
            organizer=(
                Attendee(payload.official_name, official.email)
                if official is not None and official.email
                else None
            ),
            cancelled=cancelled,
            stamp=stamp,
        )
        return [ics_attachment(entry, method, "appointment.ics")]

    def _day(self, moment: datetime) -> str:
        return self._calendar.local(moment).date().isoformat()

    @staticmethod
    def _text(value: Any) -> Any:
        return "" if value is None else value


def _clock_time(moment: datetime, time_zone: str) -> str:
    """``moment`` as the hour and minute on the clocks of ``time_zone`` (e.g. ``09:30``)."""
    return f"{moment.astimezone(ZoneInfo(time_zone)):%H:%M}"


def _jsonable(payload: dict[str, Any]) -> dict[str, Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value if isinstance(value, str | int | float | bool | type(None)) else str(value)

    return {key: convert(value) for key, value in payload.items()}
