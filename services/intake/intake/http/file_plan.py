"""The file plan: a year's case files, imported from CSV or shipped, and the closing."""

from __future__ import annotations

from typing import Any

from flask import request

from chancery.http import accepts, use_case
from chancery.http.problems import validation_problem
from chancery.http.resources import Resource
from intake.http.answers import plan_year
from intake.http.schemas import file_plan as schemas
from intake.permissions import READERS, REGISTRY
from intake.usecases.records import FilePlans, YearClosed

file_plans = Resource(
    "file-plan",
    __name__,
    "The file plan (nomenclature): each year's case files, "
    "their retention and the year-end closing.",
)


_file_plans = use_case("file_plans", FilePlans)


def _plan_body(year: int, summaries: list) -> dict[str, Any]:
    return {"year": year, "files": summaries}


@file_plans.reading("/<int(min=1, max=9999):year>", schemas.FilePlanOut, roles=READERS)
def read_file_plan(year: int) -> dict[str, Any]:
    """The year's case files in code order, with the letters filed in each counted."""
    return _plan_body(year, _file_plans().plan(plan_year(year)))


@file_plans.action(
    "/<int(min=1, max=9999):year>",
    None,
    schemas.FilePlanOut,
    roles=REGISTRY,
    method="PUT",
    also=(
        file_plans.doc(
            requestBody={
                "required": True,
                "content": {
                    "text/csv": {
                        "schema": {
                            "type": "string",
                            "description": "UTF-8, header code,parent,title,department,retention,"
                            "legal_basis,medium,kinds",
                        }
                    }
                },
            }
        ),
        accepts("text/csv"),
    ),
)
def import_file_plan(year: int) -> dict[str, Any]:
    """Replace the year's plan with a CSV one (while no letter is filed in it)."""
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise validation_problem(
            {"body": "not UTF-8"}, "body", "Send the plan as UTF-8 CSV."
        ) from None
    return _plan_body(year, _file_plans().import_plan(plan_year(year), text))


@file_plans.action(
    "/<int(min=1, max=9999):year>/shipped", None, schemas.FilePlanOut, roles=REGISTRY
)
def import_shipped_file_plan(year: int) -> dict[str, Any]:
    """Take the plan shipped with the municipality's profile as the year's plan."""
    return _plan_body(year, _file_plans().import_shipped_plan(plan_year(year)))


@file_plans.action(
    "/<int(min=1, max=9999):year>/close", None, schemas.YearClosedOut, roles=REGISTRY
)
def close_file_plan_year(year: int) -> YearClosed:
    """The year-end closing: the year's files take no more letters; retention starts on
    1 January of the next year. Allowed once the year is over."""
    return _file_plans().close_year(plan_year(year))
