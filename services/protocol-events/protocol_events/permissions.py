"""Who may do what in protocol-events: the role sets, named once.

The views' ``@require(*SET)`` and the use cases' checks read the same tuples, so a role
added to a set is added to both.
"""

from __future__ import annotations

ORGANISERS = ("protocol_officer",)
EVENT_READERS = (
    "protocol_officer",
    "mayor_office",
    "mayor",
    "director",
    "deputy_mayor",
    "registrar",
    "department_head",
    "department_staff",
    "system",
)
CONTACT_READERS = ("protocol_officer", "mayor_office")
APPROVERS = ("mayor_office", "director")
# The representation expenses of a period: the organisers, the approvers and the mayor.
EXPENSE_READERS = (*ORGANISERS, *APPROVERS, "mayor")
BOOKERS = ("registrar", "system")
# A resident's topic handed to intake as a letter.
HANDERS_OVER = (*BOOKERS, "protocol_officer")
RECEPTION_STAFF = ("registrar", "system", "protocol_officer", "mayor_office")
# Officials and their reception hours: whoever books a reception or reads events.
OFFICIAL_READERS = (*RECEPTION_STAFF, *EVENT_READERS)
# Who also sees a restricted visitor's appointments (GDPR Art. 18).
RESTRICTED_READERS = ("data_protection_officer",)
APPOINTMENT_READERS = (*RECEPTION_STAFF, *RESTRICTED_READERS)
DOORKEEPERS = ("registrar", "protocol_officer")
VISITOR_LOG_READERS = (*DOORKEEPERS, "mayor_office")
