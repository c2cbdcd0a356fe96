"""Travel's rules: a trip's checklist and budget, passports against the return, per diems,
and the visit that follows an invitation."""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from chancery.errors import Conflict, InvalidInput

CHECKLIST_ITEMS = ("director_order", "tickets", "insurance", "visas")

# The Schengen area's members (ISO 3166 alpha-2), as of 2025.
SCHENGEN = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CH",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)


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


def check_passport(
    member: str, expires_on: date | None, returns_on: date, destination: str, margin_months: int
) -> PassportCheck:
    """Check a passport against the return date (plus the margin outside Schengen)."""
    outside = destination not in SCHENGEN
    required = add_months(returns_on, margin_months) if outside else returns_on
    if expires_on is None:
        return PassportCheck(member, None, required, False, "passport expiry date unknown")
    if expires_on >= required:
        return PassportCheck(member, expires_on, required, True, None)
    if expires_on < returns_on:
        reason = (
            f"passport expires on {expires_on.isoformat()}, before the return on "
            f"{returns_on.isoformat()}"
        )
    else:
        reason = (
            f"passport expires on {expires_on.isoformat()}; {destination} is outside "
            f"the Schengen area and needs it valid {margin_months} months after the "
            f"return, until {required.isoformat()}"
        )
    return PassportCheck(member, expires_on, required, False, reason)


# Daily allowance in euros per destination country. Sample data for the embedded mode and
# tests; a deployment replaces it with the rates its national rules set.
PER_DIEM_RATES: Mapping[str, Decimal] = {
    "AL": Decimal("45"),
    "AT": Decimal("60"),
    "BE": Decimal("60"),
    "DE": Decimal("60"),
    "EE": Decimal("46"),
    "FI": Decimal("58"),
    "FR": Decimal("60"),
    "GE": Decimal("45"),
    "IT": Decimal("55"),
    "LT": Decimal("40"),
    "LV": Decimal("44"),
    "NO": Decimal("68"),
    "PL": Decimal("46"),
    "SE": Decimal("60"),
    "UA": Decimal("40"),
    "US": Decimal("75"),
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


def per_diem(
    country: str,
    departs_on: date,
    returns_on: date,
    travellers: int,
    rates: Mapping[str, Decimal] = PER_DIEM_RATES,
) -> PerDiem:
    """The per diems of a trip; both the day of departure and of return count."""
    if returns_on < departs_on:
        raise ValueError("the return is before the departure")
    days = (returns_on - departs_on).days + 1
    rate = rates.get(country, DEFAULT_PER_DIEM)
    return PerDiem(country, days, rate, travellers, rate * days * travellers)


def checklist(values: Mapping[str, Any]) -> dict[str, bool]:
    """A trip's checklist: every item, ticked or not."""
    return {item: bool(values.get(item)) for item in CHECKLIST_ITEMS}


def budget(values: Mapping[str, Any]) -> dict[str, str]:
    """A trip's budget lines as amounts in cents (a 422 naming a line that is no amount)."""
    lines = {}
    for name, value in values.items():
        try:
            lines[name] = str(Decimal(str(value)).quantize(Decimal("0.01")))
        except InvalidOperation as exc:
            raise InvalidInput(
                f"budget.{name} is not an amount.", field=f"budget.{name}", reason="not an amount"
            ) from exc
    return lines


def check_visit_follows(invitation_status: str) -> None:
    """Refuse a visit from an invitation that is not approved (yet, or at all)."""
    if invitation_status != "approved":
        raise Conflict(
            f"The invitation is {invitation_status}; a visit follows an approved invitation.",
            field="invitation_id",
            reason=f"{invitation_status}, not approved",
        )
