"""Chancery's vocabulary (kinds, channels, statuses, …) in the person's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _

LABELS = {
    "kind": {
        "letter": _("Letter"),
        "application": _("Application"),
        "complaint": _("Complaint"),
        "proposal": _("Proposal"),
        "information_request": _("Information request"),
        "invitation": _("Invitation"),
        "other": _("Other"),
        "reply": _("Reply"),
    },
    "channel": {
        "post": _("Post"),
        "email": _("E-mail"),
        "e_services": _("E-services"),
        "in_person": _("In person"),
    },
    "status": {
        "registered": _("Registered"),
        "routed": _("Passed to a department"),
        "in_progress": _("Being handled"),
        "awaiting_endorsement": _("Reply awaiting approval"),
        "answered": _("Answered"),
        "closed": _("Closed"),
        "not_ours": _("Not ours"),
        "archived": _("Archived"),
        "voided": _("Voided"),
    },
    "addressee": {
        "mayor": _("Mayor"),
        "council_chair": _("Chair of the council"),
        "deputy_mayor": _("Deputy mayor"),
        "director": _("Director of administration"),
        "department": _("Department"),
    },
    "confidentiality": {
        "normal": _("Normal"),
        "confidential": _("Confidential"),
        "secret": _("Secret"),
    },
    "task_status": {"open": _("Open"), "done": _("Done"), "cancelled": _("Cancelled")},
    "decision": {"approved": _("approved"), "returned": _("returned")},
    "direction": {"incoming": _("Incoming"), "outgoing": _("Outgoing")},
    "sender_type": {"person": _("Person"), "organisation": _("Organisation")},
    "role": {
        "registrar": _("Registry clerk"),
        "department_staff": _("Department staff"),
        "department_head": _("Head of department"),
        "mayor_office": _("Mayor's office"),
        "clearance_confidential": _("Clearance for confidential letters"),
        "clearance_secret": _("Clearance for secret letters"),
        "operator": _("Operator"),
        "data_protection_officer": _("Data protection officer"),
        "protocol_officer": _("Protocol officer"),
        "foreign_relations_officer": _("Foreign relations officer"),
        "director": _("Director of administration"),
        "mayor": _("Mayor"),
        "deputy_mayor": _("Deputy mayor"),
        "council_chair": _("Chair of the council"),
    },
    "action": {
        "registered": _("Registered"),
        "triage": _("Waiting for triage"),
        "routed": _("Routed"),
        "assigned": _("Assigned"),
        "extended": _("Deadline extended"),
        "endorsed": _("Endorsed"),
        "endorsement_cancelled": _("Endorsement cancelled"),
        "reply_linked": _("Reply registered"),
        "answered": _("Answered"),
        "not_followed": _("Not followed"),
        "status": _("Status changed"),
    },
    "medium": {
        "paper": _("On paper"),
        "electronic": _("Electronic"),
        "mixed": _("Paper and electronic"),
    },
    "records_status": {
        "draft": _("Drawn up"),
        "approved": _("Approved"),
        "transferred": _("Transferred to the archive"),
        "executed": _("Executed"),
    },
    # The foreign-relations desk's states and kinds (issue 17: no English code on a page).
    "invitation_status": {
        "proposed": _("awaiting a decision"),
        "approved": _("approved"),
        "declined": _("declined"),
        "withdrawn": _("withdrawn"),
    },
    "visit_status": {
        "requested": _("awaiting a decision"),
        "approved": _("approved"),
        "declined": _("declined"),
    },
    "trip_status": {
        "planned": _("planned"),
        "approved": _("approved"),
        "under_way": _("under way"),
        "returned": _("returned"),
        "reported": _("reported"),
        "cancelled": _("cancelled"),
    },
    "translation_status": {
        "queued": _("queued"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "cancelled": _("cancelled"),
    },
    "project_status": {
        "idea": _("idea"),
        "preparing": _("being prepared"),
        "applied": _("applied for"),
        "approved": _("approved"),
        "rejected": _("rejected"),
        "running": _("running"),
        "closed": _("closed"),
    },
    "partner_status": {"active": _("active"), "dormant": _("dormant"), "ended": _("ended")},
    "relationship": {
        "twin": _("twin city"),
        "partner": _("partner city"),
        "friendship": _("friendship"),
    },
    "plan_kind": {"perspective": _("perspective plan"), "annual": _("annual plan")},
    "renewal": {
        "automatic": _("renewed automatically"),
        "manual": _("renewed by a decision"),
        "none": _("not renewed"),
    },
    "plan_item_status": {
        "planned": _("planned"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "cancelled": _("cancelled"),
    },
    # A representation expense at the protocol desk: its line's and its actual's decision.
    "cost_status": {
        "proposed": _("awaiting approval"),
        "approved": _("approved"),
        "rejected": _("rejected"),
    },
    "cost_category": {
        "meals": _("meals"),
        "accommodation": _("accommodation"),
        "transport": _("transport"),
        "tickets": _("tickets"),
        "interpretation": _("interpretation"),
        "gifts": _("gifts"),
        "cultural_programme": _("cultural programme"),
        "venue": _("venue"),
        "other": _("other"),
    },
    # A programme item's kind at the protocol desk.
    "programme_category": {
        "meal": _("Meal"),
        "hotel": _("Hotel"),
        "transport": _("Transport"),
        "tickets": _("Tickets"),
        "interpreter": _("Interpreter"),
        "cultural": _("Cultural programme"),
        "business_meeting": _("Meeting"),
        "ceremony": _("Ceremony"),
        "press": _("Press"),
        "other": _("Other"),
    },
    # An official event's kind and its states.
    "event_kind": {
        "official_reception": _("Official reception"),
        "delegation_visit": _("Delegation visit"),
        "press_conference": _("Press conference"),
        "ceremony": _("Ceremony"),
        "meeting": _("Meeting"),
        "other": _("Other"),
    },
    "event_status": {
        "draft": _("Draft"),
        "planned": _("Planned"),
        "confirmed": _("Confirmed"),
        "held": _("Held"),
        "reported": _("Reported on"),
        "cancelled": _("Cancelled"),
    },
    # A resident's appointment: its states and the visit's actions at the door.
    "appointment": {
        "pending": _("Waiting for the resident's confirmation"),
        "expired": _("Not confirmed in time"),
        "booked": _("Booked"),
        "arrived": _("Arrived"),
        "seen": _("Seen"),
        "left": _("Left"),
        "no_show": _("Did not come"),
        "cancelled": _("Cancelled"),
    },
}


def label(group: str, value: str | None) -> str:
    """The person's word for ``value`` of ``group``; an unknown value as it is."""
    if value is None:
        return ""
    found = LABELS.get(group, {}).get(value)
    return str(found) if found is not None else value
