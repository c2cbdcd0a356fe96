"""Intake's HTTP edge: one module per resource, each its blueprint and views (parse, call
one use case, answer), with its schemas in ``intake.http.schemas.<resource>``."""

from __future__ import annotations

from intake.http import attachments as _attachments  # noqa: F401  (its views, on letters)
from intake.http.archive_transfers import transfers
from intake.http.correspondents import correspondents
from intake.http.destruction_acts import destruction_acts
from intake.http.file_plan import file_plans
from intake.http.letters import letters
from intake.http.municipality import municipality
from intake.http.personal_data_requests import people
from intake.http.processing_activities import processing
from intake.http.reports import reports
from intake.http.status import citizens

BLUEPRINTS = (
    letters.blueprint,
    reports.blueprint,
    citizens.blueprint,
    correspondents.blueprint,
    municipality.blueprint,
    file_plans.blueprint,
    transfers.blueprint,
    destruction_acts.blueprint,
    people.blueprint,
    processing.blueprint,
)
"""What the web app mounts, in the OpenAPI document's order."""
