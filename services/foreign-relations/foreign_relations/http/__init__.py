"""Foreign relations' HTTP edge: one module per resource, each with its blueprint.

``BLUEPRINTS`` is what the web app mounts, in the order of the OpenAPI document.
"""

from __future__ import annotations

from foreign_relations.http import (
    agreements,
    invitations,
    open_data,
    partners,
    plans,
    projects,
    proposals,
    translations,
    trips,
    visits,
)

BLUEPRINTS = (
    partners.blueprint,
    open_data.blueprint,
    agreements.blueprint,
    plans.blueprint,
    invitations.blueprint,
    trips.blueprint,
    visits.blueprint,
    translations.blueprint,
    projects.blueprint,
    proposals.blueprint,
)
