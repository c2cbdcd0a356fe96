"""Translation tasks for correspondence with foreign cities, due in working days."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from chancery.clock import utcnow
from chancery.db import UnitOfWork, new_id
from chancery.declared_days import load_declared, store_declaration
from chancery.errors import InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.messages.contracts.routing import CalendarDayDeclaredV1
from chancery.principal import Principal
from chancery.profiles import Profile
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import CALENDAR_DAYS, Partner, Translation
from foreign_relations.domain import terms, workflow
from foreign_relations.usecases import Clock, UseCases


class Translations(UseCases):
    """Incoming letters translated into the local language, replies out into the partner's;
    a task due within ``reminder_working_days`` is announced once."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        default_working_days: int,
        reminder_working_days: int,
        clock: Clock = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self.default_working_days = default_working_days
        self.reminder_working_days = reminder_working_days

    def order(
        self,
        data: dict[str, Any],
        idempotent: IdempotentRequest | None,
        respond: Callable[[Translation], StoredResponse],
    ) -> StoredResponse:
        """Queue a translation; it is due ``working_days`` working days from now."""
        if data["source_language"] == data["target_language"]:
            raise InvalidInput(
                "Source and target language are the same.",
                field="target_language",
                reason="same as source_language",
            )

        def make(uow: UnitOfWork) -> Translation:
            self.check_partner(uow, data.get("partner_id"))
            return self._queue(uow, data)

        return self.create(idempotent, make, respond)

    def reply(
        self,
        task_id: str,
        data: dict[str, Any],
        idempotent: IdempotentRequest | None,
        respond: Callable[[Translation], StoredResponse],
    ) -> StoredResponse:
        """Queue the reply draft's translation back into the original's language."""

        title = data.pop("title", None)

        def make(uow: UnitOfWork) -> Translation:
            original = self.get(uow, Translation, task_id, "translation")
            if original.direction != "incoming":
                raise InvalidInput(
                    "Replies answer incoming correspondence.",
                    field="direction",
                    reason="the task is outgoing already",
                )
            return self._queue(
                uow,
                {
                    "direction": "outgoing",
                    "source_language": original.target_language,
                    "target_language": original.source_language,
                    "letter_id": original.letter_id,
                    "registration_number": original.registration_number,
                    "partner_id": original.partner_id,
                    "original_task_id": original.id,
                    "title": title or original.title,
                    **data,
                },
            )

        return self.create(idempotent, make, respond)

    @staticmethod
    def day_declared(uow: UnitOfWork, declared: CalendarDayDeclaredV1) -> None:
        """Keep routing's declared day: translations queued from now on count it."""
        store_declaration(uow.session, CALENDAR_DAYS, declared)

    def tasks(
        self, status: str | None = None, translator: str | None = None, letter_id: str | None = None
    ) -> list[Translation]:
        """Tasks by due date."""
        return self.query(repositories.translations, status, translator, letter_id)

    def task(self, task_id: str) -> Translation:
        """One task."""
        return self.read_one(Translation, task_id, "translation")

    def move(
        self,
        task_id: str,
        status: str,
        translator: str | None,
        translated_text: str | None,
        principal: Principal,
        expected_version: int | None,
    ) -> Translation:
        """Start (by a translator), finish (with the text) or cancel a task."""
        with self.transaction() as uow:
            task = self.for_transition(
                uow, Translation, task_id, "translation", expected_version, status
            )
            if status == "in_progress":
                task.translator = translator or task.translator or principal.subject
            if status == "done":
                if not translated_text:
                    raise InvalidInput(
                        "A finished translation needs its text.",
                        field="translated_text",
                        reason="Missing data for required field.",
                    )
                task.translated_text = translated_text
            if status in ("done", "cancelled"):
                task.finished_at = self.now()
            task.status = status
            uow.session.flush()
            return task

    def remind_due_soon(self, correlation_id: str) -> int:
        """Publish ``translation.due_soon`` once per unfinished translation due soon.

        Soon: within the lead time in working days, declared days off counted.
        """
        today = self.today()
        announced = 0
        with self.transaction() as uow:
            calendar = self._calendar.with_exceptions(load_declared(uow.session, CALENDAR_DAYS))
            horizon = terms.working_day_horizon(calendar, today, self.reminder_working_days)
            rows = uow.session.scalars(
                select(Translation)
                .where(
                    Translation.due_on >= today,
                    Translation.due_on <= horizon,
                    Translation.status.in_(workflow.OPEN_TRANSLATION),
                    Translation.reminded_at.is_(None),
                )
                .order_by(Translation.due_on, Translation.created_at)
            ).all()
            for task in rows:
                if not repositories.mark_once(
                    uow.session, Translation.reminded_at, task.id, self.now()
                ):
                    continue
                partner = uow.session.get(Partner, task.partner_id) if task.partner_id else None
                uow.emit(
                    "translation.due_soon",
                    1,
                    {
                        "translation_id": task.id,
                        "title": task.title,
                        "direction": task.direction,
                        "source_language": task.source_language,
                        "target_language": task.target_language,
                        "status": task.status,
                        "translator": task.translator,
                        "registration_number": task.registration_number,
                        "partner_city": partner.city if partner else None,
                        "due_on": task.due_on,
                        "working_days_left": calendar.working_days_between(today, task.due_on),
                        "department_code": self.department,
                    },
                    correlation_id,
                )
                announced += 1
        return announced

    def _queue(self, uow: UnitOfWork, data: dict[str, Any]) -> Translation:
        days = data.pop("working_days", None) or self.default_working_days
        # Declared days off count at once: the calendar is read for this computation.
        calendar = self._calendar.with_exceptions(load_declared(uow.session, CALENDAR_DAYS))
        deadline = calendar.add_working_days(self.now(), days)
        task = Translation(
            id=new_id(),
            status="queued",
            created_at=self.now(),
            due_on=deadline.due,
            deadline=deadline.as_dict(),
            **data,
        )
        uow.session.add(task)
        uow.session.flush()
        return task
