"""What intake's HTTP modules share: the paged answer's type, a plan's year, the
municipality's first language."""

from __future__ import annotations

from typing import Any, TypeAlias

from chancery.http import use_case
from chancery.http.problems import Problem
from intake.usecases.records import FilePlans

_file_plans = use_case("file_plans", FilePlans)


# What a paged view gives back (page_response's body, status and Link header).
PagedAnswer: TypeAlias = tuple[dict[str, Any], int, dict[str, str]]


def plan_year(year: int) -> int:
    if not 2000 <= year <= 2999:
        raise Problem(404, "Not Found", f"No file plan for {year}.")
    return year


def first_language() -> tuple[str, str]:
    profile = _file_plans().profile
    language = profile.languages[0]
    return language, profile.names.get(language) or next(iter(profile.names.values()))
