"""Award ceremonies: nominees, the decision that grants the award, awardees, certificates.

A ceremony (event kind ``ceremony``) collects nominees. The decision that
grants the award (its reference, date and the body that took it, e.g. the
council's decision No. T-45 of 12 March) names the awardees among them; each
awardee gets a certificate number, and the certificates list carries what a
printed certificate needs, in the ceremony's languages and local date.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chancery.audited import record_reads
from chancery.db import UnitOfWork
from chancery.errors import Conflict, InvalidInput
from chancery.principal import Principal
from protocol_events.adapters.models import AwardDecision, AwardNominee, Event, ProgrammeItem
from protocol_events.adapters.repositories import rows_of_event
from protocol_events.domain import lifecycle
from protocol_events.usecases import EventUseCase

CEREMONY = "ceremony"


class Awards(EventUseCase):
    """The award side of a ceremony, built on the event's own rules (status, history)."""

    def nominate(self, event_id: str, data: dict[str, Any], principal: Principal) -> AwardNominee:
        """Put someone forward for the ceremony's award."""
        with self.transaction() as uow:
            event = self._ceremony(uow.session, event_id)
            lifecycle.check_editable(event.status, "nominees")
            nominee = self._new_part(uow.session, event, AwardNominee, data, status="nominated")
            self._history(
                uow.session, event, principal.subject, "nominated", {"nominee_id": nominee.id}
            )
            return nominee

    def decide(
        self, event_id: str, data: dict[str, Any], principal: Principal, correlation_id: str
    ) -> dict[str, Any]:
        """Record the granting decision; the nominees it names become awardees, each told
        once (``award.granted``).

        Recorded again (a corrected reference, another awardee), it replaces the
        earlier one; awardees keep their certificate numbers, those no longer named
        are nominees again.
        """
        awardees = set(data["awardees"])
        with self.transaction() as uow:
            event = self._ceremony(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "award decision")
            if data["decided_on"] > self._local_date(event.starts_at):
                raise InvalidInput(
                    "The award is granted before the ceremony that presents it.",
                    field="decided_on",
                    reason="after the ceremony",
                )
            nominees = {n.id: n for n in self._nominees(uow.session, event.id)}
            unknown = sorted(awardees - set(nominees))
            if unknown:
                raise InvalidInput(
                    f"Not nominated for this ceremony: {', '.join(unknown)}.",
                    field="awardees",
                    reason="not a nominee",
                )
            decision = uow.session.merge(
                AwardDecision(
                    event_id=event.id,
                    reference=data["reference"],
                    decided_on=data["decided_on"],
                    body=data["body"],
                    recorded_by=principal.subject,
                    recorded_at=self._clock(),
                )
            )
            issued = (
                uow.session.scalar(
                    select(func.count())
                    .select_from(AwardNominee)
                    .where(
                        AwardNominee.event_id == event.id,
                        AwardNominee.certificate_number.is_not(None),
                    )
                )
                or 0
            )
            granted = []
            for nominee in sorted(nominees.values(), key=lambda n: (n.created_at, n.id)):
                if nominee.id in awardees:
                    if nominee.status != "awarded":
                        granted.append(nominee)
                    nominee.status = "awarded"
                    if nominee.certificate_number is None:
                        issued += 1
                        nominee.certificate_number = f"{data['decided_on'].year}-{issued:03d}"
                else:
                    nominee.status = "nominated"
            uow.session.flush()
            for nominee in granted:
                uow.emit(
                    "award.granted", 1, self._granted(event, decision, nominee), correlation_id
                )
            self._history(
                uow.session,
                event,
                principal.subject,
                "award_decision",
                {"reference": data["reference"], "awardees": sorted(awardees)},
            )
            return self._read(uow, event, principal)

    def _granted(
        self, event: Event, decision: AwardDecision, nominee: AwardNominee
    ) -> dict[str, Any]:
        return {
            "nominee_id": nominee.id,
            **self._event_facts(event),
            **_awarded(decision, nominee),
            "email": nominee.email,
            "granted_at": self._clock(),
        }

    def award(self, event_id: str, principal: Principal) -> dict[str, Any]:
        """The ceremony's nominees, decision, awardees, programme and certificates (the
        read of people's data is audited)."""
        with self.transaction() as uow:
            return self._read(uow, self._ceremony(uow.session, event_id), principal)

    def _read(self, uow: UnitOfWork, event: Event, principal: Principal) -> dict[str, Any]:
        """The award as :meth:`award` answers it; the nominees' data read is audited."""
        found = self._award(uow.session, event)
        record_reads(
            uow, principal, "read", "nominee", {n.id: n.email or n.name for n in found["nominees"]}
        )
        return found

    def _award(self, session: Session, event: Event) -> dict[str, Any]:
        nominees = self._nominees(session, event.id)
        decision = session.get(AwardDecision, event.id)
        programme = rows_of_event(session, ProgrammeItem, event.id, ProgrammeItem.starts_at)
        awardees = [n for n in nominees if n.status == "awarded"]
        return {
            "event_id": event.id,
            "title": event.title,
            "nominees": nominees,
            "decision": decision,
            "awardees": awardees,
            "programme": [
                {
                    "title": item.title,
                    "category": item.category,
                    "starts_at": item.starts_at,
                    "ends_at": item.ends_at,
                    "local_time": f"{self._local(item.starts_at)} – "
                    f"{item.ends_at.astimezone(self.zone):%H:%M}",
                    "place": item.place,
                }
                for item in programme
            ],
            "certificates": [self._certificate(event, decision, n) for n in awardees]
            if decision is not None
            else [],
        }

    def _certificate(
        self, event: Event, decision: AwardDecision, awardee: AwardNominee
    ) -> dict[str, Any]:
        """What a printed certificate says, in the ceremony's languages."""
        return {
            **_awarded(decision, awardee),
            "citation": awardee.citation,
            "award": event.title,
            "presented_on": self._local_date(event.starts_at),
            "venue": event.venue,
            "municipality": {language: self.profile.name(language) for language in event.title},
        }

    def _ceremony(self, session: Session, event_id: str, lock: bool = False) -> Event:
        event = self._event(session, event_id, lock=lock)
        if event.kind != CEREMONY:
            raise Conflict(
                f"Only a ceremony has nominees and awardees; this event is a {event.kind}.",
                field="kind",
                reason="not a ceremony",
            )
        return event

    @staticmethod
    def _nominees(session: Session, event_id: str) -> list[AwardNominee]:
        return rows_of_event(
            session, AwardNominee, event_id, AwardNominee.created_at, AwardNominee.id
        )


def _awarded(decision: AwardDecision, awardee: AwardNominee) -> dict[str, Any]:
    """Who was awarded under which decision: what ``award.granted`` and the printed
    certificate both say."""
    return {
        "awardee": awardee.name,
        "organisation": awardee.organisation,
        "language": awardee.language,
        "certificate_number": awardee.certificate_number,
        "decision_reference": decision.reference,
        "decided_on": decision.decided_on,
        "decided_by_body": decision.body,
    }
