"""Days off and extra working days declared by government decision, added by operators.

Routing owns these declarations: an operator adds one with its reason and the
decree's reference, routing stores it (its deadlines and timers count it from
the next computation on) and announces ``calendar.day_declared`` so that
protocol-events and foreign-relations count it too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chancery.declared_days import declared_rows, store_declared
from chancery.errors import Forbidden, InvalidInput
from chancery.principal import Principal
from chancery.profiles import WEEKDAYS
from chancery.usecase import MunicipalUseCase
from routing.adapters.models import CALENDAR_DAYS
from routing.permissions import OPERATORS


class DeclaredDays(MunicipalUseCase):
    """The declared days: listed for everyone on the staff, added by operators."""

    def days(self, first: date | None = None, last: date | None = None) -> list[dict[str, Any]]:
        """The declared days, by date: the profile's and the operators' (these win)."""
        with self.reading() as uow:
            stored = {
                row["day"]: {**row, "origin": "operator"}
                for row in declared_rows(uow.session, CALENDAR_DAYS)
            }
        from_profile = {
            d.day: {
                "day": d.day,
                "working": d.working,
                "reason": d.reason,
                "decree": d.decree,
                "hours_of": d.hours_of,
                "declared_by": None,
                "declared_at": None,
                "origin": "profile",
            }
            for d in self.profile.declared_days
        }
        merged = {**from_profile, **stored}
        return [
            merged[day]
            for day in sorted(merged)
            if (first is None or day >= first) and (last is None or day <= last)
        ]

    def declare(
        self, data: dict[str, Any], principal: Principal, correlation_id: str
    ) -> dict[str, Any]:
        """Declare a day off or an extra working day; a new declaration replaces an older one."""
        if not principal.has_any(*OPERATORS):
            raise Forbidden("Only an operator may declare days off or working days.")
        hours_of = self._hours_of(data)
        now = self._clock()
        row = {
            "day": data["day"],
            "working": data["working"],
            "reason": data["reason"],
            "decree": data["decree"],
            "hours_of": hours_of,
            "declared_by": principal.subject,
            "declared_at": now,
        }
        with self.transaction() as uow:
            store_declared(uow.session, CALENDAR_DAYS, **row)
            uow.emit("calendar.day_declared", 1, row, correlation_id)
        return {**row, "origin": "operator"}

    def _hours_of(self, data: dict[str, Any]) -> int | None:
        """The weekday whose hours an extra working day works, checked against the profile."""
        name = data.get("hours_of")
        if name is None:
            return None
        if not data["working"]:
            raise InvalidInput(
                "Only an extra working day has working hours.",
                field="hours_of",
                reason="the day is declared a day off",
            )
        weekday = WEEKDAYS.index(name)
        if not self.profile.working_hours.get(weekday):
            raise InvalidInput(
                f"The municipality does not work on {name}s.",
                field="hours_of",
                reason=f"no working hours on {name}",
            )
        return weekday
