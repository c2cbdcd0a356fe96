"""Who may do what in foreign relations: the role sets, named once.

The views' ``@require(*READERS)`` and the use cases' checks read these same tuples.
"""

from __future__ import annotations

OFFICER = ("foreign_relations_officer",)
# Department systems may create invitations, visits, translations and proposals (and retry).
CREATORS = ("foreign_relations_officer", "system")
READERS = (
    "foreign_relations_officer",
    "department_staff",
    "department_head",
    "mayor",
    "mayor_office",
    "director",
    "deputy_mayor",
    "protocol_officer",
    "operator",
)
# Who decides on invitations and visits and approves a trip.
DECIDERS = ("mayor", "mayor_office", "director")
# Who withdraws an invitation and moves a trip on (its approval is the deciders' alone).
OFFICER_OR_DECIDERS = (*OFFICER, *DECIDERS)
# Who may read people's data (contacts, travellers, delegates); every read is audited.
PERSONAL_DATA_READERS = (
    "foreign_relations_officer",
    "mayor_office",
    "protocol_officer",
    "director",
    "mayor",
)
