"""Routing's HTTP edge: one module per resource, each its blueprint and views (parse, call
one use case, answer), with its schemas in ``routing.http.schemas.<resource>``."""

from __future__ import annotations

from routing.http.assignments import assignments
from routing.http.calendar import calendar
from routing.http.departments import departments
from routing.http.endorsements import endorsements
from routing.http.letters import letters
from routing.http.reports import reports
from routing.http.rules import rules
from routing.http.staff import staff
from routing.http.triage import triage

BLUEPRINTS = tuple(
    resource.blueprint
    for resource in (
        letters,
        triage,
        endorsements,
        assignments,
        departments,
        rules,
        reports,
        calendar,
        staff,
    )
)
"""What the web app mounts, in the OpenAPI document's order."""
