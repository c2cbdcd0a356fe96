"""Protocol-events' HTTP API: one module per resource, each view parsing the request,
calling one use case and answering."""

from __future__ import annotations

# Imported for their views, which they add to the events blueprint (/events/{id}/...).
from protocol_events.http import (  # noqa: F401
    accreditations,
    awards,
    costs,
    participants,
    programme,
)
from protocol_events.http.appointments import appointments
from protocol_events.http.events import events
from protocol_events.http.feeds import feeds
from protocol_events.http.officials import officials
from protocol_events.http.precedence import precedence
from protocol_events.http.public import public
from protocol_events.http.reports import reports
from protocol_events.http.resources import resources

# What web_app mounts, in the document's order.
BLUEPRINTS = (
    events.blueprint,
    resources.blueprint,
    precedence.blueprint,
    reports.blueprint,
    officials.blueprint,
    appointments.blueprint,
    feeds.blueprint,
    public.blueprint,
)
