"""Partner cities, their agreements and plans: the words they are described in, what the
public may know of them, and the history of visits both ways."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RELATIONSHIPS = ("twin", "partner", "friendship")
PARTNER_STATUSES = ("active", "dormant", "ended")
RENEWALS = ("automatic", "manual", "none")
PLAN_KINDS = ("perspective", "annual")
PLAN_ITEM_STATUSES = ("planned", "in_progress", "done", "cancelled")

# What the open-data export publishes of a partner: nothing about people.
PUBLIC_FIELDS = (
    "id",
    "city",
    "country",
    "relationship",
    "since",
    "status",
    "languages",
    "areas",
    "website",
)
# Trips and visits that actually took place count in a partner's history.
TRIPS_THAT_HAPPENED = ("under_way", "returned", "reported")


@dataclass(frozen=True)
class HistoryVisit:
    """One visit in a partner's history, from a trip, a visit or a manual record."""

    direction: str
    source: str
    source_id: str
    title: str
    starts_on: date
    ends_on: date | None
