"""An assignment's rules: the executor's own due date."""

from __future__ import annotations

from datetime import date

from chancery.errors import Conflict, InvalidInput


def executor_due_date(
    asked: date | None, letter_due: date | None, today: date, current: date | None = None
) -> date:
    """The executor's own due date: as asked, but never later than the letter's legal one
    (which it defaults to) nor a new date before today (the letter's and the ``current``
    one stand, overdue or not, so an overdue letter can change hands); a 422 on
    ``due_date`` otherwise."""
    if letter_due is None:
        raise Conflict("The letter has no due date yet: route it first.")
    if asked is None:
        return letter_due
    if asked < today and asked not in (letter_due, current):
        raise InvalidInput(
            "The executor's due date is in the past.", field="due_date", reason="before today"
        )
    if asked > letter_due:
        raise InvalidInput(
            f"The executor's due date {asked.isoformat()} is later than the "
            f"letter's {letter_due.isoformat()}.",
            field="due_date",
            reason=f"not later than the letter's due date {letter_due.isoformat()}",
        )
    return asked
