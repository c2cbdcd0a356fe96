"""What a department system may be sent about an event: which subscriptions, which fields.

Decision 17: secret letters never leave by webhook; confidential ones only to
subscriptions an operator entitled to them; the citizen's access code and guests'
invitation answer links never (decision 71);
people's personal data (the sender, a visitor, participants, delegates) only
to subscriptions entitled to it.
"""

from __future__ import annotations

from typing import Any

from chancery.confidentiality import is_protected, level_of

# A code that opens the citizen's status lookup is for the citizen alone; so is each
# guest's link for answering an event's invitation.
NEVER_SENT = frozenset({"status_lookup_code", "answer_urls"})
# Fields holding people's data, in every contract a webhook can carry (an invitation's
# inviter is its letter's sender: an organisation, or a person's name; an accreditation's
# journalist and their contact; an awardee and theirs).
PERSONAL_DATA = frozenset(
    {
        "sender",
        "recipient",
        "visitor",
        "participants",
        "members",
        "inviter",
        "journalist",
        "awardee",
        "email",
        "phone",
    }
)


def may_receive(level: str | None, receives_confidential: bool) -> bool:
    """Whether a subscription may be sent an event about a letter at ``level`` at all."""
    level = level_of(level)
    if level == "secret":
        return False
    return not is_protected(level) or receives_confidential


def webhook_payload(
    payload: dict[str, Any], level: str | None, receives_personal_data: bool
) -> dict[str, Any]:
    """``payload`` cut to what the subscription may see, with the letter's level in it."""
    dropped = NEVER_SENT if receives_personal_data else NEVER_SENT | PERSONAL_DATA
    kept = {key: value for key, value in payload.items() if key not in dropped}
    if is_protected(level) or "confidentiality" in payload:
        kept["confidentiality"] = level_of(level)
    return kept
