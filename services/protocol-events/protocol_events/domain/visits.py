"""A resident's visit in reception hours: the appointment's life, when arrival and absence
may be recorded, and the contact key that counts one person's bookings."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from chancery.states import StateMachine

# The appointment's life as the visitor log records it.
APPOINTMENT = StateMachine(
    "an appointment",
    {
        # A resident's own booking waits for their confirmation (public_bookings.py).
        "pending": ("cancelled",),
        "expired": (),
        "booked": ("arrived", "no_show", "cancelled"),
        "arrived": ("seen", "left"),
        "seen": ("left",),
        "left": (),
        "no_show": (),
        "cancelled": (),
    },
)
# A resident may be let in a little early; nobody counts as absent before the slot begins.
ARRIVAL_MARGIN = timedelta(minutes=15)


def contact_key(visitor: dict[str, Any]) -> str | None:
    """The digest of the visitor's e-mail (else phone), written the same however typed."""
    if visitor.get("email"):
        contact = "email:" + visitor["email"].strip().lower()
    elif visitor.get("phone"):
        contact = "phone:" + re.sub(r"[^0-9+]", "", visitor["phone"])
    else:
        return None
    return hashlib.sha256(contact.encode("utf-8")).hexdigest()
