"""Routing's HTTP views of departments and administrative units: parse, call one use
case, answer."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.http.schemas import departments as schemas
from routing.permissions import ADMINS, STAFF
from routing.usecases.departments import Departments

departments = Resource("departments", __name__, "Departments and administrative units.")
_departments = use_case("departments", Departments)


@departments.listing(PageQuery, schemas.DepartmentOut, roles=STAFF)
def list_departments(query: dict[str, Any]) -> Any:
    """Departments and administrative units, by code."""
    return answer_page(_departments().departments(), query, lambda department: (department.code,))


@departments.creation(
    schemas.NewDepartmentIn,
    schemas.DepartmentOut,
    roles=ADMINS,
    idempotent=False,
    example=schemas.DEPARTMENT_EXAMPLE,
    answer_example=schemas.DEPARTMENT_OUT_EXAMPLE,
)
def create_department(data: dict[str, Any]) -> Any:
    """Add a department or administrative unit."""
    code = data.pop("code")
    return _departments().save_department(code, data, principal(), create=True)


@departments.action(
    "/<string:code>", schemas.DepartmentIn, schemas.DepartmentOut, roles=ADMINS, method="PATCH"
)
def update_department(data: dict[str, Any], code: str) -> Any:
    """Change a department: names, parent, contacts, head, members, active."""
    return _departments().save_department(code, data, principal(), create=False)
