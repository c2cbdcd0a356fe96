"""Cooperation plans over HTTP, with their items."""

from __future__ import annotations

from typing import Any

from flask import Response, json

from chancery.http import if_match, use_case
from chancery.http.resources import Resource
from foreign_relations.http.answers import listed_page, versioned_row
from foreign_relations.http.schemas import plans as schemas
from foreign_relations.permissions import OFFICER, READERS
from foreign_relations.usecases.plans import Plans

plans = Resource(
    "plans", __name__, "Perspective and annual cooperation plans.", readers=READERS, editors=OFFICER
)
ONE = "/<uuid:plan_id>"

_plans = use_case("plans", Plans)


@plans.listing(schemas.PlanQuery, schemas.PlanOut)
def list_plans(query: dict[str, Any]) -> Any:
    """Plans, newest first, optionally those covering a year."""
    return listed_page(_plans().plans, query)


@plans.creation(schemas.PlanIn, schemas.PlanDetailOut, roles=OFFICER, idempotent=False)
def create_plan(data: dict[str, Any]) -> Response:
    """Start a perspective or annual plan with its items."""
    plan = _plans().create_plan(data)
    return _plan(plan.id, 201)


@plans.reading(ONE, schemas.PlanDetailOut)
def read_plan(plan_id: Any) -> Response:
    """A plan with its items."""
    return _plan(str(plan_id))


@plans.action(f"{ONE}/items", schemas.PlanItemIn, schemas.PlanItemOut, roles=OFFICER, status=201)
def add_plan_item(data: dict[str, Any], plan_id: Any) -> Response:
    """Add a measure to a plan."""
    return versioned_row(schemas.PlanItemOut(), _plans().add_item(str(plan_id), data), 201)


@plans.change(f"{ONE}/items/<uuid:item_id>", schemas.PlanItemPatch, schemas.PlanItemOut)
def update_plan_item(data: dict[str, Any], plan_id: Any, item_id: Any) -> Response:
    """Change an item's status or target date, or link the events and trips fulfilling it."""
    return versioned_row(
        schemas.PlanItemOut(), _plans().update_item(str(plan_id), str(item_id), data, if_match())
    )


def _plan(plan_id: str, status: int = 200) -> Response:
    plan, items = _plans().plan(plan_id)
    body = schemas.PlanOut().dump(plan)
    body["items"] = schemas.PlanItemOut(many=True).dump(items)
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )
