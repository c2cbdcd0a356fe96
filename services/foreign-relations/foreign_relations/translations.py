"""Translation tasks for correspondence with foreign cities, due in working days."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.declared_days import load_declared, store_declared
from chancery.errors import InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.profiles import Profile
from foreign_relations import domain
from foreign_relations.models import CALENDAR_DAYS, Translation
from foreign_relations.services import Clock, UseCases


class Translations(UseCases):
    """Incoming letters translated into the local language, replies out into the partner's."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 default_working_days: int, clock: Clock = utcnow) -> None:
        super().__init__(unit_of_work, profile, clock)
        self.default_working_days = default_working_days

    def order(self, data: dict[str, Any], idempotent: IdempotentRequest | None,
              respond: Callable[[Translation], StoredResponse]) -> StoredResponse:
        """Queue a translation; it is due ``working_days`` working days from now."""
        if data["source_language"] == data["target_language"]:
            raise InvalidInput("Source and target language are the same.",
                               field="target_language", reason="same as source_language")

        def make(uow: UnitOfWork) -> Translation:
            self.check_partner(uow, data.get("partner_id"))
            return self._queue(uow, data)

        return self.create(idempotent, make, respond)

    def reply(self, task_id: str, data: dict[str, Any], idempotent: IdempotentRequest | None,
              respond: Callable[[Translation], StoredResponse]) -> StoredResponse:
        """Queue the reply draft's translation back into the original's language."""

        title = data.pop("title", None)

        def make(uow: UnitOfWork) -> Translation:
            original = self.get(uow, Translation, task_id, "translation")
            if original.direction != "incoming":
                raise InvalidInput("Replies answer incoming correspondence.",
                                   field="direction", reason="the task is outgoing already")
            return self._queue(uow, {
                "direction": "outgoing", "source_language": original.target_language,
                "target_language": original.source_language, "letter_id": original.letter_id,
                "registration_number": original.registration_number,
                "partner_id": original.partner_id, "original_task_id": original.id,
                "title": title or original.title, **data})

        return self.create(idempotent, make, respond)

    @staticmethod
    def day_declared(uow: UnitOfWork, declared: dict[str, Any]) -> None:
        """Keep routing's declared day: translations queued from now on count it."""
        store_declared(uow.session, CALENDAR_DAYS, declared["day"], declared["working"],
                       declared["reason"], declared["decree"], declared["hours_of"],
                       declared["declared_by"], declared["declared_at"])

    def tasks(self, status: str | None = None, translator: str | None = None,
              letter_id: str | None = None) -> list[Translation]:
        """Tasks by due date."""
        query = select(Translation).order_by(Translation.due_on, Translation.created_at)
        if status:
            query = query.where(Translation.status == status)
        if translator:
            query = query.where(Translation.translator == translator)
        if letter_id:
            query = query.where(Translation.letter_id == letter_id)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def task(self, task_id: str) -> Translation:
        """One task."""
        with self.reading() as uow:
            return self.get(uow, Translation, task_id, "translation")

    def move(self, task_id: str, status: str, translator: str | None,
             translated_text: str | None, principal: Principal,
             expected_version: int | None) -> Translation:
        """Start (by a translator), finish (with the text) or cancel a task."""
        with self.transaction() as uow:
            task = self.for_update(uow, Translation, task_id, "translation", expected_version)
            domain.check_transition("translation", task.status, status)
            if status == "in_progress":
                task.translator = translator or task.translator or principal.subject
            if status == "done":
                if not translated_text:
                    raise InvalidInput("A finished translation needs its text.",
                                       field="translated_text",
                                       reason="Missing data for required field.")
                task.translated_text = translated_text
            if status in ("done", "cancelled"):
                task.finished_at = self.now()
            task.status = status
            uow.session.flush()
            return task

    def _queue(self, uow: UnitOfWork, data: dict[str, Any]) -> Translation:
        days = data.pop("working_days", None) or self.default_working_days
        # Declared days off count at once: the calendar is read for this computation.
        calendar = self.calendar.with_exceptions(load_declared(uow.session, CALENDAR_DAYS))
        deadline = calendar.add_working_days(self.now(), days)
        task = Translation(id=new_id(), status="queued", created_at=self.now(),
                           due_on=deadline.due, deadline=deadline.as_dict(), **data)
        uow.session.add(task)
        uow.session.flush()
        return task
