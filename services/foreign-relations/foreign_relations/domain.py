"""The plain core of foreign relations: state machines and the rules of travel and terms.

Nothing here knows Flask, SQLAlchemy or the broker; the use cases call these
functions with plain values, and the unit tests call them directly.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chancery.errors import Conflict

# --- state machines ------------------------------------------------------------------------

INVITATION = {
    "proposed": frozenset({"approved", "declined", "withdrawn"}),
    # The inviter can still cancel after a yes.
    "approved": frozenset({"withdrawn"}),
    "declined": frozenset(),
    "withdrawn": frozenset(),
}
TRIP = {
    "planned": frozenset({"approved", "cancelled"}),
    "approved": frozenset({"under_way", "cancelled"}),
    "under_way": frozenset({"returned"}),
    "returned": frozenset({"reported"}),
    "reported": frozenset(),
    "cancelled": frozenset(),
}
VISIT = {
    "requested": frozenset({"approved", "declined"}),
    "approved": frozenset(),
    "declined": frozenset(),
}
TRANSLATION = {
    "queued": frozenset({"in_progress", "cancelled"}),
    "in_progress": frozenset({"done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
PROPOSAL = {
    "received": frozenset({"referred"}),
    # A proposal may be referred on to another body before the answer comes.
    "referred": frozenset({"referred", "answered"}),
    "answered": frozenset(),
}
MACHINES: Mapping[str, Mapping[str, frozenset[str]]] = {
    "invitation": INVITATION, "trip": TRIP, "visit": VISIT, "translation": TRANSLATION,
    "proposal": PROPOSAL,
}

RELATIONSHIPS = ("twin", "partner", "friendship")
PARTNER_STATUSES = ("active", "dormant", "ended")
RENEWALS = ("automatic", "manual", "none")
PLAN_KINDS = ("perspective", "annual")
PLAN_ITEM_STATUSES = ("planned", "in_progress", "done", "cancelled")
PROJECT_STATUSES = ("idea", "preparing", "applied", "approved", "rejected", "running", "closed")
INVITER_KINDS = ("municipality", "international_organisation", "other")
CHECKLIST_ITEMS = ("director_order", "tickets", "insurance", "visas")


class ImpossibleTransition(Conflict):
    """A status change the machine does not allow (409), naming the state and allowed moves."""

    def __init__(self, what: str, current: str, target: str,
                 allowed: Iterable[str]) -> None:
        self.current = current
        self.allowed = sorted(allowed)
        possible = ", ".join(self.allowed) or "nothing (it is final)"
        super().__init__(f"A {what} that is {current} cannot become {target}; it can become: "
                         f"{possible}.", field="status",
                         reason=f"{current} → {target} is not allowed")


def check_transition(what: str, current: str, target: str) -> None:
    """Raise :class:`ImpossibleTransition` unless ``current`` may become ``target``."""
    allowed = MACHINES[what].get(current, frozenset())
    if target not in allowed:
        raise ImpossibleTransition(what, current, target, allowed)


# --- passports and visas ---------------------------------------------------------------------

# The Schengen area's members (ISO 3166 alpha-2), as of 2025.
SCHENGEN = frozenset({
    "AT", "BE", "BG", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
})


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PassportCheck:
    """Whether one traveller's passport is good for the trip, and why not."""

    member: str
    valid_until: date | None
    required_until: date
    ok: bool
    reason: str | None


def check_passport(member: str, expires_on: date | None, returns_on: date, destination: str,
                   margin_months: int) -> PassportCheck:
    """Check a passport against the return date (plus the margin outside Schengen)."""
    outside = destination not in SCHENGEN
    required = add_months(returns_on, margin_months) if outside else returns_on
    if expires_on is None:
        return PassportCheck(member, None, required, False, "passport expiry date unknown")
    if expires_on >= required:
        return PassportCheck(member, expires_on, required, True, None)
    if expires_on < returns_on:
        reason = f"passport expires on {expires_on.isoformat()}, before the return on " \
                 f"{returns_on.isoformat()}"
    else:
        reason = (f"passport expires on {expires_on.isoformat()}; {destination} is outside "
                  f"the Schengen area and needs it valid {margin_months} months after the "
                  f"return, until {required.isoformat()}")
    return PassportCheck(member, expires_on, required, False, reason)


# --- per diems -------------------------------------------------------------------------------

# Daily allowance in euros per destination country. Sample data for the embedded mode and
# tests; a deployment replaces it with the rates its national rules set.
PER_DIEM_RATES: Mapping[str, Decimal] = {
    "AL": Decimal("45"), "AT": Decimal("60"), "BE": Decimal("60"), "DE": Decimal("60"),
    "EE": Decimal("46"), "FI": Decimal("58"), "FR": Decimal("60"), "GE": Decimal("45"),
    "IT": Decimal("55"), "LT": Decimal("40"), "LV": Decimal("44"), "NO": Decimal("68"),
    "PL": Decimal("46"), "SE": Decimal("60"), "UA": Decimal("40"), "US": Decimal("75"),
}
DEFAULT_PER_DIEM = Decimal("50")


@dataclass(frozen=True)
class PerDiem:
    """Per diems of a trip: days × rate × travellers."""

    country: str
    days: int
    rate: Decimal
    travellers: int
    total: Decimal


def per_diem(country: str, departs_on: date, returns_on: date, travellers: int,
             rates: Mapping[str, Decimal] = PER_DIEM_RATES) -> PerDiem:
    """The per diems of a trip; both the day of departure and of return count."""
    if returns_on < departs_on:
        raise ValueError("the return is before the departure")
    days = (returns_on - departs_on).days + 1
    rate = rates.get(country, DEFAULT_PER_DIEM)
    return PerDiem(country, days, rate, travellers, rate * days * travellers)


# --- terms and deadlines ---------------------------------------------------------------------

def days_left(until: date, today: date) -> int:
    """Calendar days from ``today`` to ``until`` (negative when past)."""
    return (until - today).days


def within_lead_time(until: date | None, today: date, lead_days: int) -> bool:
    """True when ``until`` lies from today up to ``lead_days`` days ahead."""
    return until is not None and 0 <= days_left(until, today) <= lead_days


def needs_expiry_warning(ends_on: date | None, warned_for: date | None, today: date,
                         lead_days: int) -> bool:
    """Whether the agreement term ending ``ends_on`` should be warned about now.

    Once per term: ``warned_for`` is the end date already warned about, so a
    renewal (a new end date) may warn again.
    """
    return within_lead_time(ends_on, today, lead_days) and warned_for != ends_on
