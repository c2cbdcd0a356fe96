"""Who may open which page of the staff web app: the role sets, named once.

A page's ``@signed_in(*SET)`` and the ``holds_any(*SET)`` that shows or hides its forms
read the same tuple; the services behind the pages check the same people again (their
own ``permissions`` modules), so a set here never grants what the service refuses.
"""

from __future__ import annotations

from chancery.vocabulary import ENDORSER_ROLES

REGISTRY = ("registrar",)
"""The registry: the morning post, a letter's actions, the file plan and its acts."""
DEPARTMENT_PEOPLE = ("department_staff", "department_head")
"""The department desk's people."""
ASSIGNERS = ("department_head",)
"""Who assigns a department's letter to an executor."""
BOOK_READERS = ("registrar", "mayor_office", "operator", "department_staff", "department_head")
"""Who searches the protocol book."""
BOOK_EXPORTERS = ("registrar", "mayor_office")
"""Who exports the protocol book."""
LETTER_READERS = (*BOOK_READERS, "director", "deputy_mayor", "mayor", "council_chair")
"""Who opens a letter's page (the service decides which letters)."""
WRITERS = (*REGISTRY, *DEPARTMENT_PEOPLE)
"""Who refiles a letter (the registry any, department staff their department's), attaches
scans and drafts its reply."""
TRIAGERS = ("registrar", "mayor_office")
"""Who routes the letters triage waits for."""
ENDORSERS = ENDORSER_ROLES
"""Who endorses a reply when its circuit reaches their role."""
REPLY_REGISTRARS = ("registrar", "mayor_office")
"""Who registers and sends an approved reply."""
MAYOR_OFFICE = ("mayor_office", "mayor", "deputy_mayor", "director")
"""The mayor's office: assignments, the dashboard and the reports."""
ASSIGNMENT_FINISHERS = (*MAYOR_OFFICE, *DEPARTMENT_PEOPLE)
"""Who reports an assignment done or cancels it."""
STATISTICS_READERS = ("registrar", "mayor_office", "department_head")
"""Who reads the statistics."""
OPERATOR = ("operator",)
"""The operator's console."""
DATA_PROTECTION = ("data_protection_officer",)
"""People's rights: their requests and the answers."""
PLAN_READERS = (*BOOK_READERS, "director", "data_protection_officer")
"""Who reads a year's file plan."""
TRANSFER_APPROVERS = ("mayor_office",)
"""Who approves an archive transfer's inventory."""
TRANSFER_READERS = (*REGISTRY, *TRANSFER_APPROVERS)
"""Who reads an archive transfer's inventory and takes its steps."""
DESTRUCTION_APPROVERS = ("registrar", "data_protection_officer")
"""Who approves a destruction act, each role once and by a different person."""
DESTRUCTION_READERS = DESTRUCTION_APPROVERS
"""Who reads a destruction act."""
PROTOCOL_OFFICERS = ("protocol_officer",)
"""Who plans and runs events."""
PROTOCOL_APPROVERS = ("mayor_office",)
"""Who approves an event's costs."""
PROTOCOL_READERS = (*PROTOCOL_OFFICERS, *PROTOCOL_APPROVERS)
"""Who reads the events calendar and an event's page."""
RECEPTION_BOOKERS = ("registrar",)
"""Who books a reception for a resident."""
DOORKEEPERS = ("registrar", "protocol_officer")
"""Who notes a visitor's arrival, meeting and leaving."""
RECEPTION_VIEWERS = (*DOORKEEPERS, "mayor_office")
"""Who sees the officials' reception hours."""
FOREIGN_OFFICERS = ("foreign_relations_officer",)
"""Who keeps the partner cities, trips, translations and projects."""
FOREIGN_DECIDERS = ("mayor", "mayor_office", "director")
"""Who decides on invitations and visits and approves a trip."""
FOREIGN_READERS = (*FOREIGN_OFFICERS, *FOREIGN_DECIDERS)
"""Who opens the foreign-relations desk."""
