"""Answer deadlines: computed once from the profile's legal rules, stored with the explanation.

The legal rule in force is the one effective on the day the letter counts as
received (a law changing on a date applies to letters received from that
date; a letter that arrives on Saturday 28 February but counts as received on
Monday 2 March falls under the law of 2 March). The computed date and its
explanation are stored with the letter and never recomputed silently: a newer
holidays package cannot move a deadline already given. A routing rule may set
its own term instead of the legal one.

The calendar passed in is the one of the moment: the profile's calendar with
the days operators declared (see ``routing.usecases.calendar``), so a day off
declared by government decision moves every deadline computed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from chancery.calendar import DeadlineComputation, WorkingCalendar
from chancery.errors import Conflict, InvalidInput
from chancery.profiles import Profile


@dataclass(frozen=True)
class Deadline:
    """A computed due date, how it was computed, and what allows extending it."""

    due: date
    computation: dict[str, Any]
    source: str
    extension: dict[str, Any] | None


def answer_deadline(
    profile: Profile,
    calendar: WorkingCalendar,
    kind: str,
    received_at: datetime,
    term: Any = "legal",
) -> Deadline:
    """The deadline for a letter of ``kind`` received at ``received_at``.

    ``term`` is ``"legal"`` (the profile's rule in force on the day of
    receipt) or a routing rule's own ``{"amount": n, "unit": ...}``.
    """
    if term != "legal":
        computation = calendar.compute(received_at, int(term["amount"]), term["unit"])
        return Deadline(computation.due, computation.as_dict(), "routing rule", None)
    received_on = calendar.receipt_day(received_at)
    rule = profile.deadline_rule(kind, received_on)
    if rule is None:
        raise InvalidInput(
            f"The profile has no deadline rule for {kind} letters received on {received_on}.",
            field="kind",
            reason="no legal deadline rule",
        )
    computation = calendar.compute(received_at, rule.amount, rule.unit)
    return Deadline(computation.due, computation.as_dict(), rule.source, rule.extension)


def forwarding_deadline(
    profile: Profile, calendar: WorkingCalendar, received_at: datetime
) -> DeadlineComputation:
    """By when a letter that is not the municipality's business must be forwarded."""
    try:
        term = profile.forwarding_deadline(calendar.receipt_day(received_at))
    except LookupError as missing:
        raise InvalidInput(
            str(missing), field="received_at", reason="no forwarding term in force"
        ) from missing
    return calendar.compute(received_at, int(term["amount"]), term["unit"])


def extended(
    calendar: WorkingCalendar,
    received_at: datetime,
    due: date,
    extension: dict[str, Any] | None,
    already_extended: bool,
) -> DeadlineComputation:
    """The due date after the one extension the law allows.

    An extension ``counted_from: "receipt"`` is the longest term the law allows from
    receipt (Latvia: four months; from 2026-03-01 one month in a complex case); otherwise
    (``"due"``, the default) it is a further term counted from the current due date. The
    later of that and the current due date is kept: an extension never shortens the term.
    """
    if extension is None:
        raise Conflict(
            "The law gives no extension for this letter's deadline.",
            field="reason",
            reason="no extension allowed",
        )
    if already_extended:
        raise Conflict(
            "The deadline was already extended once.", field="reason", reason="already extended"
        )
    amount, unit = int(extension["amount"]), extension["unit"]
    if extension.get("counted_from") == "receipt":
        computation = calendar.compute(received_at, amount, unit)
        steps = ({"code": "extension_from_receipt"}, *computation.steps)
        if computation.due <= due:
            raise Conflict(
                "The law's longest term from receipt ends no later than the current "
                "due date: nothing to extend.",
                field="reason",
                reason="extension would not move the deadline",
            )
        return replace(computation, steps=steps)
    return calendar.extend_from_due(received_at, due, amount, unit)
