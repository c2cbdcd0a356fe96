"""Representation expenses of an event: budget, cost lines, approvals, totals."""

from __future__ import annotations

from typing import Any

from chancery.http.security import principal, require
from protocol_events.http.answers import costs_use_case
from protocol_events.http.events import events
from protocol_events.http.schemas.costs import (
    ActualIn,
    ApproveCostIn,
    BudgetIn,
    CostIn,
    CostOut,
    ExpensesOut,
)
from protocol_events.permissions import APPROVERS, ORGANISERS


@events.blueprint.route("/<uuid:event_id>/budget", methods=["PUT"])
@require(*ORGANISERS)
@events.blueprint.arguments(BudgetIn())
@events.blueprint.response(200, ExpensesOut)
def set_budget(data: dict[str, Any], event_id: Any) -> Any:
    """Replace the event's budget per category."""
    costs_use_case().set_budget(str(event_id), data["lines"], principal())
    return _expenses_body(str(event_id))


@events.blueprint.route("/<uuid:event_id>/costs", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(CostIn())
@events.blueprint.response(201, CostOut)
def add_cost(data: dict[str, Any], event_id: Any) -> Any:
    """A planned cost line, waiting for approval."""
    return costs_use_case().add_cost(str(event_id), data, principal())


@events.blueprint.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual", methods=["POST"])
@require(*ORGANISERS)
@events.blueprint.arguments(ActualIn())
@events.blueprint.response(200, CostOut)
def record_actual(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Record what the line really cost."""
    return costs_use_case().record_actual(str(event_id), str(cost_id), data["actual"], principal())


@events.blueprint.route("/<uuid:event_id>/costs/<uuid:cost_id>/approve", methods=["POST"])
@require(*APPROVERS)
@events.blueprint.arguments(ApproveCostIn(), required=False)
@events.blueprint.response(200, CostOut)
def approve_cost(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Approve a cost line (the mayor's office or the director); over its category's
    budget only with ``over_budget: true``."""
    return costs_use_case().decide_cost(
        str(event_id), str(cost_id), True, principal(), over_budget=data["over_budget"]
    )


@events.blueprint.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual/approve", methods=["POST"])
@require(*APPROVERS)
@events.blueprint.response(200, CostOut)
def approve_actual(event_id: Any, cost_id: Any) -> Any:
    """Approve an actual cost recorded after its line was approved."""
    return costs_use_case().decide_actual(str(event_id), str(cost_id), True, principal())


@events.blueprint.route("/<uuid:event_id>/costs/<uuid:cost_id>/actual/reject", methods=["POST"])
@require(*APPROVERS)
@events.blueprint.response(200, CostOut)
def reject_actual(event_id: Any, cost_id: Any) -> Any:
    """Reject an actual cost recorded after its line was approved."""
    return costs_use_case().decide_actual(str(event_id), str(cost_id), False, principal())


@events.blueprint.route("/<uuid:event_id>/costs/<uuid:cost_id>/reject", methods=["POST"])
@require(*APPROVERS)
@events.blueprint.response(200, CostOut)
def reject_cost(event_id: Any, cost_id: Any) -> Any:
    """Reject a cost line."""
    return costs_use_case().decide_cost(str(event_id), str(cost_id), False, principal())


@events.blueprint.route("/<uuid:event_id>/expenses", methods=["GET"])
@require(*ORGANISERS, *APPROVERS)
@events.blueprint.response(200, ExpensesOut)
def event_expenses(event_id: Any) -> Any:
    """The event's budget, cost lines and totals per category."""
    return _expenses_body(str(event_id))


def _expenses_body(event_id: str) -> dict[str, Any]:
    found = costs_use_case().expenses(event_id)
    return {
        **found,
        "budget": [
            {"category": b.category, "amount": str(b.amount), "currency": b.currency}
            for b in found["budget"]
        ],
        "totals": [{k: str(v) for k, v in line.items()} for line in found["totals"]],
    }
