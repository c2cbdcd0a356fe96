"""The morning post form: what the clerk typed to intake's request, and intake's errors back.

Plain Python, testable without a server.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

OFFICIALS = ("mayor", "deputy_mayor", "director", "council_chair")
# intake's field paths -> the form's field names
FIELD_NAMES = {
    "sender.type": "sender_type",
    "sender.name": "sender_name",
    "sender.organisation": "sender_organisation",
    "sender.email": "sender_email",
    "sender.address": "sender_address",
    "sender.phone": "sender_phone",
    "sender": "sender_name",
    "addressee": "addressee",
    "addressee.kind": "addressee",
    "addressee.department_code": "addressee",
    "received_at": "received_at",
}


def _optional(form: Mapping[str, str], name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def addressee_from(choice: str) -> dict[str, Any] | None:
    """``mayor`` or ``department:SOC`` (the select's values) as intake's addressee."""
    if choice.startswith("department:"):
        return {"kind": "department", "department_code": choice.split(":", 1)[1]}
    if choice in OFFICIALS:
        return {"kind": choice}
    return None


def received_at_from(text: str, time_zone: str) -> str | None:
    """A ``datetime-local`` value read in the municipality's time zone, as ISO 8601.

    Text that is not a date and time is passed on as typed, so intake names the field.
    """
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(time_zone))
    return moment.isoformat()


def incoming_letter(form: Mapping[str, str], time_zone: str) -> dict[str, Any]:
    """intake's ``POST /letters`` body for the morning post form."""
    return {
        "direction": "incoming",
        "kind": form.get("kind", ""),
        "channel": form.get("channel", ""),
        "language": form.get("language", ""),
        "subject": (form.get("subject") or "").strip(),
        "summary": _optional(form, "summary"),
        "confidentiality": form.get("confidentiality") or "normal",
        "received_at": received_at_from(form.get("received_at") or "", time_zone),
        "addressee": addressee_from(form.get("addressee") or ""),
        "sender": {
            "type": form.get("sender_type") or "person",
            "name": (form.get("sender_name") or "").strip(),
            "organisation": _optional(form, "sender_organisation"),
            "email": _optional(form, "sender_email"),
            "address": _optional(form, "sender_address"),
        },
    }


def form_errors(api_errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """intake's reasons keyed by the form's field names (unknown paths kept as they are)."""
    errors: dict[str, list[str]] = {}
    for path, reasons in api_errors.items():
        errors.setdefault(FIELD_NAMES.get(path, path), []).extend(reasons)
    return errors


def typed(form: Mapping[str, str], *names: str) -> dict[str, str]:
    """The ``names`` fields of a posted form as typed, without the spaces around (a field
    left out of the post is empty)."""
    return {name: (form.get(name) or "").strip() for name in names}
