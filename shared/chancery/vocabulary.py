"""The words every service agrees on: letter kinds, channels, statuses, roles."""

from __future__ import annotations

SERVICES = ("intake", "routing", "protocol-events", "foreign-relations", "notifications")

LETTER_KINDS = (
    "letter",
    "application",
    "complaint",
    "proposal",
    "information_request",
    "invitation",
    "other",
)
OUTGOING_KINDS = ("letter", "reply")
CHANNELS = ("post", "email", "e_services", "in_person")
ADDRESSEE_KINDS = ("mayor", "council_chair", "deputy_mayor", "director", "department")
SENDER_TYPES = ("person", "organisation")
CONFIDENTIALITY_LEVELS = ("normal", "confidential", "secret")

# The letter's life, owned by routing (intake mirrors it for the citizen lookup).
LETTER_STATUSES = (
    "registered",
    "routed",
    "in_progress",
    "awaiting_endorsement",
    "answered",
    "closed",
    "not_ours",
    "archived",
    "voided",
)

LANGUAGE_PATTERN = r"^[a-z]{2}$"

# Roles a bearer token can carry.
ROLES = (
    "registrar",  # registry clerk: registers, weeds out, archives, reads the whole book
    "department_staff",  # sees the letters of their own department
    "department_head",  # as staff, plus endorses and assigns
    "mayor_office",  # the mayor's office: reads everything not confidential
    "clearance_confidential",  # may see confidential letters (on top of a base role)
    "clearance_secret",  # may see secret and confidential letters (on top of a base role)
    "system",  # a department system exchanging messages over the API
    "operator",  # runs the system: dead letters, outbox, profiles
    "director",  # the administration's director: endorses replies
    "deputy_mayor",  # endorses replies in their area
    "mayor",  # the mayor: endorses, gives assignments
    "council_chair",  # the council's chair: endorses replies addressed to the council
    "protocol_officer",  # organises official events, delegations' programmes, reception hours
    "foreign_relations_officer",  # partner cities, agreements, invitations, trips, translations
    "data_protection_officer",  # reads and exports every service's audit trail (GET /audit)
)
# Endorsement circuit steps name the role an approver must hold.
ENDORSER_ROLES = ("department_head", "director", "deputy_mayor", "mayor", "council_chair")

# Official events (protocol-events).
EVENT_KINDS = (
    "official_reception",
    "delegation_visit",
    "press_conference",
    "ceremony",
    "meeting",
    "other",
)
PROTOCOL_LEVELS = ("state", "diplomatic", "municipal")
# What an event's programme item is, and what a line of its costs pays for (protocol-events).
PROGRAMME_CATEGORIES = (
    "meal",
    "hotel",
    "transport",
    "tickets",
    "interpreter",
    "cultural",
    "business_meeting",
    "ceremony",
    "press",
    "other",
)
COST_CATEGORIES = (
    "meals",
    "accommodation",
    "transport",
    "tickets",
    "interpretation",
    "gifts",
    "cultural_programme",
    "venue",
    "other",
)
