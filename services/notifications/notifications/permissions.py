"""Who may do what in notifications: the role sets, named once.

A view's ``@require(*READERS)`` and the use case's check read the same tuple.
"""

from __future__ import annotations

# Roles that may ask for any notice to any address.
OFFICE_SENDERS = ("system", "registrar", "operator", "mayor_office", "department_head")
# Everyone who may ask for a notice; department staff only tell colleagues.
SENDERS = (*OFFICE_SENDERS, "department_staff")
# Reads of the directory, the deliveries and the subscriptions.
READERS = ("operator", "registrar", "mayor_office")
# Preferences are also kept by the registry (a citizen's opt-out arrives there) and systems.
PREFERENCE_KEEPERS = (*READERS, "system")
# Any signed-in member of staff: what they read (their feed) is their own.
SIGNED_IN: tuple[str, ...] = ()
# Templates, the staff directory, webhooks and subscriptions are the operators' to change.
OPERATORS = ("operator",)
