"""Foreign relations' HTTP edge: one module per resource, each declaring its views on its
:class:`chancery.http.resources.Resource`.

``BLUEPRINTS`` is what the web app mounts, in the order of the OpenAPI document.
"""

from __future__ import annotations

from foreign_relations.http.agreements import agreements
from foreign_relations.http.invitations import invitations
from foreign_relations.http.open_data import open_data
from foreign_relations.http.partners import partners
from foreign_relations.http.plans import plans
from foreign_relations.http.projects import projects
from foreign_relations.http.proposals import proposals
from foreign_relations.http.translations import translations
from foreign_relations.http.trips import trips
from foreign_relations.http.visits import visits

BLUEPRINTS = tuple(
    resource.blueprint
    for resource in (
        partners,
        open_data,
        agreements,
        plans,
        invitations,
        trips,
        visits,
        translations,
        projects,
        proposals,
    )
)
