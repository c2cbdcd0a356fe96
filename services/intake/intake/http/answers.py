"""What intake's HTTP modules share: the paged answer's type, a plan's year, the
municipality's first language, a document answered as it is (a printable page, a CSV)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from chancery.http import use_case
from chancery.http.problems import Problem
from chancery.http.resources import Decorator, Resource
from intake.usecases.records import FilePlans

_file_plans = use_case("file_plans", FilePlans)


# What a paged view gives back (page_response's body, status and Link header).
PagedAnswer: TypeAlias = tuple[dict[str, Any], int, dict[str, str]]


def plan_year(year: int) -> int:
    if not 2000 <= year <= 2999:
        raise Problem(404, "Not Found", f"No file plan for {year}.")
    return year


# What a printable page of a person's or an archive's record is, in the OpenAPI document.
PRINTABLE = "a printable page in the municipality's language"


def document(
    resource: Resource, path: str, roles: Sequence[str], description: str, media_type: str
) -> Decorator:
    """``GET`` a document that is no JSON (a printable page, a CSV file), whose view answers
    it as it is: the OpenAPI document names its media type and ``description``."""
    content: dict[str, Any] = {media_type: {}}
    return resource.operation(
        "GET",
        path,
        roles,
        resource.doc(responses={"200": {"description": description, "content": content}}),
    )


def first_language() -> tuple[str, str]:
    profile = _file_plans().profile
    language = profile.languages[0]
    return language, profile.names.get(language) or next(iter(profile.names.values()))
