"""Recipients' preferences: language, channel and opt-outs (legal notices still go out)."""

from __future__ import annotations

from chancery.audited import record_reads
from chancery.clock import utcnow
from chancery.db import Transactions
from chancery.emails import InvalidEmailAddress, normalized_email
from chancery.errors import InvalidInput, NotFound
from chancery.principal import Principal
from notifications.adapters.models import Preference
from notifications.permissions import PREFERENCE_KEEPERS
from notifications.usecases import require_role


class Preferences(Transactions):
    """Each recipient's preferences, kept under the lower-cased address."""

    def get(self, recipient: str, principal: Principal) -> Preference:
        """A recipient's preferences; the read is audited."""
        with self.transaction() as uow:
            found = uow.session.get(Preference, recipient.lower())
            if found is None:
                raise NotFound(f"No preferences for {recipient}.")
            record_reads(uow, principal, "read", "preference", {found.recipient: found.recipient})
            return found

    def save(
        self,
        recipient: str,
        language: str | None,
        channel: str | None,
        opted_out: list[str],
        principal: Principal,
    ) -> Preference:
        """Set a recipient's language, channel and opt-outs (legal notices still go out)."""
        require_role(
            principal,
            PREFERENCE_KEEPERS,
            "Preferences are kept by the registry, operators and systems.",
        )
        if "@" in recipient:  # otherwise a phone number or a staff member's subject
            try:
                recipient = normalized_email(recipient)
            except InvalidEmailAddress as exc:
                raise InvalidInput(
                    f"{recipient!r} is not an e-mail address: {exc}",
                    field="recipient",
                    reason=str(exc),
                ) from exc
        with self.transaction() as uow:
            preference = uow.session.get(Preference, recipient.lower())
            if preference is None:
                preference = Preference(recipient=recipient.lower())
                uow.session.add(preference)
            preference.language, preference.channel = language, channel
            preference.opted_out, preference.updated_at = opted_out, utcnow()
            return preference
