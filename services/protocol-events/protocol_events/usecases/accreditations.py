"""Press accreditations: an event's media list and its decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from chancery.audited import record_reads
from chancery.principal import Principal
from protocol_events.adapters.models import (
    Accreditation,
)
from protocol_events.adapters.repositories import rows_of_event
from protocol_events.domain import lifecycle
from protocol_events.usecases import EventUseCase


class Accreditations(EventUseCase):
    """Journalists on an event's media list."""

    def accredit(self, event_id: str, data: dict[str, Any], principal: Principal) -> Accreditation:
        """Put a journalist on the event's media list (requested until decided)."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            lifecycle.check_editable(event.status, "media list")
            accreditation = self._new_part(
                uow.session, event, Accreditation, data, status="requested"
            )
            self._history(
                uow.session,
                event,
                principal.subject,
                "accreditation",
                {"accreditation_id": accreditation.id, "status": "requested"},
            )
            return accreditation

    def decide_accreditation(
        self,
        event_id: str,
        accreditation_id: str,
        status: str,
        principal: Principal,
        correlation_id: str,
    ) -> Accreditation:
        """Approve (a badge number is given) or refuse an accreditation; the journalist is
        told (``accreditation.decided``) when the decision changes."""
        with self.transaction() as uow:
            # The event row's lock numbers badges one after another.
            event = self._event(uow.session, event_id, lock=True)
            accreditation = self._part(
                uow.session, Accreditation, accreditation_id, event.id, "accreditation"
            )
            if status == "approved" and accreditation.badge_number is None:
                issued = uow.session.scalar(
                    select(func.count())
                    .select_from(Accreditation)
                    .where(
                        Accreditation.event_id == event.id, Accreditation.badge_number.is_not(None)
                    )
                )
                accreditation.badge_number = f"PRESS-{issued + 1:03d}"
            changed, accreditation.status = accreditation.status != status, status
            self._history(
                uow.session,
                event,
                principal.subject,
                "accreditation",
                {"accreditation_id": accreditation_id, "status": status},
            )
            if changed:
                uow.emit(
                    "accreditation.decided",
                    1,
                    {
                        "accreditation_id": accreditation.id,
                        **self._event_facts(event),
                        "status": status,
                        "badge_number": accreditation.badge_number
                        if status == "approved"
                        else None,
                        "journalist": accreditation.journalist,
                        "outlet": accreditation.outlet,
                        "email": accreditation.email,
                        "phone": accreditation.phone,
                        "language": accreditation.language,
                        "decided_at": self._clock(),
                    },
                    correlation_id,
                )
            return accreditation

    def media_list(self, event_id: str, principal: Principal) -> list[Accreditation]:
        """The event's media list with the journalists' contacts (the read is audited)."""
        with self.transaction() as uow:
            self._event(uow.session, event_id)
            found = rows_of_event(
                uow.session, Accreditation, event_id, Accreditation.outlet, Accreditation.journalist
            )
            record_reads(
                uow,
                principal,
                "read",
                "accreditation",
                {a.id: a.email or a.journalist for a in found},
            )
            return found
