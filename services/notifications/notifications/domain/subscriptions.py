"""Who is told what: the built-in subscriptions, an event to a kind of notice and an audience.

Each built-in subscription maps an event to a notification kind and an
audience (resolved by :mod:`notifications.usecases.audiences`); an operator may
switch one off or give it another channel.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subscription:
    """An event, the kind of notice it causes, and to whom."""

    event: str
    kind: str
    audience: str
    active: bool = True
    channel: str | None = None


BUILT_IN = (
    Subscription("letter.registered", "letter_registered", "sender"),
    Subscription("letter.answered", "letter_answered", "sender"),
    Subscription("letter.deadline_extended", "deadline_extended", "sender"),
    Subscription("letter.not_ours", "letter_not_ours", "sender"),
    Subscription("letter.access_code_issued", "access_code_issued", "sender"),
    Subscription("letter.routed", "letter_routed", "department"),
    Subscription("assignment.created", "assignment_created", "executor_or_department"),
    Subscription("assignment.due_soon", "assignment_due_soon", "executor_and_head"),
    Subscription("assignment.overdue", "assignment_overdue", "executor_and_head"),
    # The mayor's office reminds by hand: the executor only (the head was not asked to chase).
    Subscription("assignment.reminded", "assignment_reminded", "executor"),
    Subscription("endorsement.requested", "endorsement_requested", "approvers"),
    Subscription("endorsement.returned", "endorsement_returned", "executor"),
    Subscription("endorsement.approved", "endorsement_approved", "executor"),
    Subscription("event.scheduled", "event_invitation", "participants"),
    Subscription("event.updated", "event_updated", "participants"),
    Subscription("event.cancelled", "event_cancelled", "participants"),
    Subscription("appointment.confirmation_requested", "appointment_confirmation", "visitor"),
    Subscription("appointment.booked", "appointment_booked", "visitor_and_official"),
    Subscription("appointment.cancelled", "appointment_cancelled", "visitor_and_official"),
    Subscription("appointment.reminder_due", "appointment_reminder", "visitor"),
    Subscription(
        "invitation.awaiting_decision",
        "invitation_awaiting_decision",
        "department_and_mayor_office",
    ),
    # Issue 17: the protocol office hears of a visit it now has to prepare; a decided
    # invitation, a referred proposal and a press accreditation are told to whom they concern.
    Subscription("delegation.visit_approved", "visit_approved", "protocol_office"),
    Subscription("invitation.decided", "invitation_decided", "department_and_mayor_office"),
    Subscription("proposal.referred", "proposal_referred", "referral"),
    Subscription("accreditation.decided", "accreditation_decided", "journalist"),
    Subscription("award.granted", "award_granted", "awardee"),
    Subscription("agreement.expiring", "agreement_expiring", "department"),
    Subscription("project.deadline_approaching", "project_deadline_approaching", "department"),
    Subscription("translation.due_soon", "translation_due_soon", "department"),
)
# Only for the citizen: a new access code, or a booking's confirmation link, never goes to a
# department system.
CITIZEN_ONLY = frozenset({"letter.access_code_issued", "appointment.confirmation_requested"})
WEBHOOK_EVENTS = tuple(s.event for s in BUILT_IN if s.event not in CITIZEN_ONLY)
# Template variables that carry a protected letter's content (decision 17): the
# subject-like ones become the neutral title, the others are left empty.
SUBJECT_LIKE = ("subject", "title", "reply_subject")
WITHHELD = (
    "summary",
    "comment",
    "inviter",
    "recommendation",
    "proposed_head",
    "note",
    "instructions",
)
# The moment each calendar-carrying event happened: the .ics DTSTAMP, so a
# file built again for the same message is the same file.
STAMPS = {
    "event.scheduled": "scheduled_at",
    "event.updated": "updated_at",
    "event.cancelled": "cancelled_at",
    "appointment.booked": "booked_at",
    "appointment.cancelled": "cancelled_at",
}
# The official of an appointment reads their own text, not the resident's confirmation.
OFFICIAL_KINDS = {
    "appointment.booked": "appointment_booked_official",
    "appointment.cancelled": "appointment_cancelled_official",
}
