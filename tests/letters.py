"""Letters the cross-service tests register at intake, written the way a clerk would.

Every journey starts with a letter; the body for ``POST /letters`` is built
here once, so that a test names only what its journey is about (the kind, the
language, the subject, who writes) and the rest is the registry's usual case:
by e-mail, to the mayor.
"""

from __future__ import annotations

from typing import Any


def incoming_letter(
    kind: str,
    language: str,
    subject: str,
    sender: dict[str, str],
    *,
    channel: str = "email",
    addressee: dict[str, str] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The body registering an incoming letter; ``more`` adds fields (summary, confidentiality)."""
    return {
        "kind": kind,
        "channel": channel,
        "language": language,
        "subject": subject,
        "addressee": addressee or {"kind": "mayor"},
        "sender": sender,
        **more,
    }


def person(name: str, email: str | None = None, language: str | None = None) -> dict[str, str]:
    """A resident as a letter's sender; ``language`` is the one they want to be answered in."""
    sender = {"type": "person", "name": name}
    if email is not None:
        sender["email"] = email
    if language is not None:
        sender["preferred_language"] = language
    return sender


def organisation(
    name: str, *, email: str | None = None, language: str | None = None, **more: str
) -> dict[str, str]:
    """An organisation as a letter's sender (``more``: its ``organisation``, ``country``...)."""
    return {**person(name, email, language), "type": "organisation", **more}


def outgoing_reply(
    language: str, subject: str, in_reply_to: str, recipient: dict[str, str], **more: Any
) -> dict[str, Any]:
    """The body registering the registry's reply to the letter ``in_reply_to``."""
    return {
        "direction": "outgoing",
        "kind": "reply",
        "language": language,
        "subject": subject,
        "in_reply_to": in_reply_to,
        "recipient": recipient,
        **more,
    }
