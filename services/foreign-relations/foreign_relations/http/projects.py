"""International projects over HTTP, with their deadlines."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, stored_response, use_case, versioned_json
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from chancery.idempotency import StoredResponse
from foreign_relations.http.answers import idempotent, listed_page
from foreign_relations.http.schemas import StatusQuery
from foreign_relations.http.schemas import projects as schemas
from foreign_relations.permissions import OFFICER, READERS
from foreign_relations.usecases.projects import Projects

projects = Resource(
    "projects",
    __name__,
    "International projects and funds with their deadlines.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:project_id>"

_projects = use_case("projects", Projects)


def _project_body(found: tuple[Any, list[Any]]) -> dict[str, Any]:
    project, deadlines = found
    body = schemas.ProjectOut().dump(project)
    body["deadlines"] = schemas.DeadlineOut(many=True).dump(deadlines)
    return body


def _project(found: tuple[Any, list[Any]]) -> Response:
    return versioned_json(_project_body(found), found[0].version)


@projects.listing(StatusQuery, schemas.ProjectOut)
def list_projects(query: dict[str, Any]) -> Any:
    """International projects and fund applications."""
    return listed_page(_projects().projects, query)


@projects.creation(schemas.ProjectIn, schemas.ProjectDetailOut, roles=OFFICER)
def create_project(data: dict[str, Any]) -> Response:
    """Record a project with its deadlines (each announced once, in time)."""

    def respond(found: tuple[Any, list[Any]]) -> StoredResponse:
        project = found[0]
        return StoredResponse(
            201,
            _project_body(found),
            {"Location": f"/projects/{project.id}", "ETag": f'"{project.version}"'},
        )

    return stored_response(_projects().create_project(data, idempotent("POST /projects"), respond))


@projects.reading(ONE, schemas.ProjectDetailOut, marks=(versioned_read,))
def read_project(project_id: Any) -> Response:
    """A project with its deadlines."""
    return _project(_projects().project(str(project_id)))


@projects.change(ONE, schemas.ProjectPatch, schemas.ProjectDetailOut)
def update_project(data: dict[str, Any], project_id: Any) -> Response:
    """Change a project; a deadlines list replaces the old one."""
    return _project(_projects().update_project(str(project_id), data, if_match()))
