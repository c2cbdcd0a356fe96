"""An event's participants, their invitation answers and their order of precedence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.audited import record_reads
from chancery.errors import InvalidInput, NotFound, check_version
from chancery.principal import Principal
from protocol_events.adapters.models import (
    Event,
    Official,
    Participant,
    PrecedenceList,
)
from protocol_events.adapters.repositories import participants_of
from protocol_events.domain import lifecycle
from protocol_events.domain.invitations import check_answerable, token_hash
from protocol_events.domain.precedence import Place, Precedence, Seatable, default_ranks, ranks_from
from protocol_events.usecases import EventUseCase

CURRENT_LIST = "current"
GUEST = "guest"


class Participants(EventUseCase):
    """Who takes part, what they answered, where they sit and when they speak."""

    def add_participant(
        self, event_id: str, data: dict[str, Any], principal: Principal, correlation_id: str
    ) -> Participant:
        """Add an internal participant or a guest; a confirmed event's invitees hear of it."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "participants")
            if data.get("official_id") and uow.session.get(Official, data["official_id"]) is None:
                raise InvalidInput(
                    "No such official.", field="official_id", reason="unknown official"
                )
            participant = self._new_part(uow.session, event, Participant, data)
            self._history(
                uow.session,
                event,
                principal.subject,
                "participant_added",
                {"participant_id": participant.id},
            )
            self._announce_update(
                uow, event, ["participants"], correlation_id, invited=[participant]
            )
            return participant

    def remove_participant(
        self, event_id: str, participant_id: str, principal: Principal, correlation_id: str
    ) -> None:
        """Take a participant off the event."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id, lock=True)
            lifecycle.check_editable(event.status, "participants")
            participant = self._part(
                uow.session, Participant, participant_id, event.id, "participant"
            )
            uow.session.delete(participant)
            uow.session.flush()
            self._history(
                uow.session,
                event,
                principal.subject,
                "participant_removed",
                {"participant_id": participant_id},
            )
            self._announce_update(uow, event, ["participants"], correlation_id)

    def participants(self, event_id: str, principal: Principal) -> list[Participant]:
        """The participants with their contacts (the read is audited)."""
        with self.transaction() as uow:
            self._event(uow.session, event_id)
            found = participants_of(uow.session, event_id)
            record_reads(
                uow, principal, "read", "participant", {p.id: p.email or p.name for p in found}
            )
            return found

    def record_answer(
        self, event_id: str, participant_id: str, answer: str, principal: Principal
    ) -> Participant:
        """Record a participant's answer staff heard by phone or e-mail (it replaces any)."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            participant = self._part(
                uow.session, Participant, participant_id, event.id, "participant", lock=True
            )
            self._set_answer(uow.session, event, participant, answer, principal.subject)
            return participant

    def invitation(self, token: str) -> tuple[Event, Participant]:
        """The event and the participant an invitation's answer link opens."""
        with self._uow() as uow:
            participant = self._by_answer_token(uow.session, token)
            return uow.session.get(Event, participant.event_id), participant

    def answer_invitation(self, token: str, answer: str) -> tuple[Event, Participant]:
        """The guest's own answer from their link (answering again changes it)."""
        with self.transaction() as uow:
            participant = self._by_answer_token(uow.session, token, lock=True)
            event = uow.session.get(Event, participant.event_id)
            self._set_answer(uow.session, event, participant, answer, GUEST)
            return event, participant

    def _set_answer(
        self, session: Session, event: Event, participant: Participant, answer: str, actor: str
    ) -> None:
        check_answerable(event.status)
        participant.answer, participant.answered_by = answer, actor
        participant.answered_at = self._clock()
        self._history(
            session, event, actor, "answer", {"participant_id": participant.id, "answer": answer}
        )

    @staticmethod
    def _by_answer_token(session: Session, token: str, lock: bool = False) -> Participant:
        query = select(Participant).where(Participant.answer_token_hash == token_hash(token))
        participant = session.scalar(query.with_for_update() if lock else query)
        if participant is None:
            raise NotFound("No such invitation.")
        return participant

    def order(self, event_id: str) -> tuple[list[Place], list[Place]]:
        """Seating and speaking order by the protocol list in force, with reasons."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            people = [
                Seatable(
                    p.id, p.name, p.rank, p.kind == "guest", p.host, p.guest_of_honour, p.speaks
                )
                for p in participants_of(uow.session, event_id)
            ]
            precedence = Precedence(self._ranks(uow.session)[0])
        return precedence.seating(people), precedence.speaking(people)

    def precedence_list(self) -> tuple[list[dict[str, Any]], str, int]:
        """The protocol list in force, where it comes from (default or saved), its version."""
        with self._uow() as uow:
            ranks, source, version = self._ranks(uow.session)
        return [{"code": r.code, "names": r.names} for r in ranks], source, version

    def replace_precedence(
        self, ranks: list[dict[str, Any]], principal: Principal, expected: int | None
    ) -> tuple[list[dict[str, Any]], str, int]:
        """Replace the protocol list (the whole list, in order)."""
        try:
            ranks_from(ranks)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="ranks", reason=str(exc)) from exc
        with self.transaction() as uow:
            saved = uow.session.get(PrecedenceList, CURRENT_LIST, with_for_update=True)
            current_version = saved.version if saved else 0
            check_version("protocol list", current_version, expected)
            if saved is None:
                saved = PrecedenceList(
                    id=CURRENT_LIST,
                    ranks=ranks,
                    updated_by=principal.subject,
                    updated_at=self._clock(),
                )
                uow.session.add(saved)
            else:
                saved.ranks, saved.updated_by = ranks, principal.subject
                saved.updated_at = self._clock()
            uow.session.flush()
            return ranks, "saved", saved.version

    def _ranks(self, session: Session) -> tuple[list[Any], str, int]:
        saved = session.get(PrecedenceList, CURRENT_LIST)
        if saved is None:
            return default_ranks(), "default", 0
        return ranks_from(saved.ranks), "saved", saved.version
