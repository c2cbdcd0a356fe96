"""Routing's HTTP views of executors' work with due dates, own tasks included: parse,
call one use case, answer."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.auditing import personal_data
from chancery.http.openapi import may_answer
from chancery.http.paging import page_request, page_response
from chancery.http.resources import Resource
from chancery.http.security import principal
from routing.adapters.repositories import AssignmentFilters
from routing.http.schemas import assignments as schemas
from routing.permissions import GIVERS, REMINDERS, STAFF
from routing.usecases.assignments import Assignments

assignments = Resource(
    "assignments", __name__, "Executors' work with due dates, own tasks included."
)
_assignments = use_case("assignments", Assignments)


@assignments.listing(
    schemas.AssignmentQuery,
    schemas.AssignmentOut,
    roles=STAFF,
    marks=(personal_data("assignment"),),
)
def list_assignments(query: dict[str, Any]) -> Any:
    """What is due and overdue, per department and executor, by due date."""
    asked = page_request(query)
    return page_response(_assignments().list(AssignmentFilters(**query), principal(), asked), asked)


@assignments.action("", schemas.AssignmentIn, schemas.AssignmentOut, roles=GIVERS, status=201)
def create_assignment(data: dict[str, Any]) -> Any:
    """Give an own task (not born from a letter) to a department or executor."""
    return _assignments().create(
        data["title"],
        data["description"],
        data["department_code"],
        data["executor"],
        data["due_date"],
        principal(),
        g.correlation_id,
    )


@assignments.action(
    "/<uuid:assignment_id>/remind",
    None,
    schemas.AssignmentOut,
    roles=REMINDERS,
    also=(may_answer(429),),
)
def remind_executor(assignment_id: Any) -> Any:
    """Remind the executor now (execution control): a notice and a feed item; recorded on
    the assignment. Another reminder within the hour is refused (429, ``Retry-After``)."""
    return _assignments().remind(str(assignment_id), principal(), g.correlation_id)


@assignments.action(
    "/<uuid:assignment_id>/finish", schemas.AssignmentDoneIn, schemas.AssignmentOut, roles=STAFF
)
def finish_assignment(data: dict[str, Any], assignment_id: Any) -> Any:
    """Mark an own task done (with the report on what was done) or cancelled."""
    return _assignments().finish(str(assignment_id), data["status"], data["report"], principal())
