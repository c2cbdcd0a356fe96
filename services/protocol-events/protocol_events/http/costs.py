"""Representation expenses of an event: budget, cost lines, approvals, totals."""

from __future__ import annotations

from typing import Any

from chancery.http.security import principal
from protocol_events.http.answers import costs_use_case
from protocol_events.http.events import ONE, events
from protocol_events.http.schemas.costs import (
    ActualIn,
    ApproveCostIn,
    BudgetIn,
    CostIn,
    CostOut,
    ExpensesOut,
)
from protocol_events.permissions import APPROVERS, ORGANISERS

COSTS = f"{ONE}/costs"
COST = f"{COSTS}/<uuid:cost_id>"


@events.action(f"{ONE}/budget", BudgetIn, ExpensesOut, roles=ORGANISERS, method="PUT")
def set_budget(data: dict[str, Any], event_id: Any) -> Any:
    """Replace the event's budget per category."""
    costs_use_case().set_budget(str(event_id), data["lines"], principal())
    return _expenses_body(str(event_id))


@events.creation(CostIn, CostOut, roles=ORGANISERS, path=COSTS, idempotent=False)
def add_cost(data: dict[str, Any], event_id: Any) -> Any:
    """A planned cost line, waiting for approval."""
    return costs_use_case().add_cost(str(event_id), data, principal())


@events.action(f"{COST}/actual", ActualIn, CostOut, roles=ORGANISERS)
def record_actual(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Record what the line really cost."""
    return costs_use_case().record_actual(str(event_id), str(cost_id), data["actual"], principal())


@events.action(f"{COST}/approve", ApproveCostIn, CostOut, roles=APPROVERS, body_required=False)
def approve_cost(data: dict[str, Any], event_id: Any, cost_id: Any) -> Any:
    """Approve a cost line (the mayor's office or the director); over its category's
    budget only with ``over_budget: true``."""
    return costs_use_case().decide_cost(
        str(event_id), str(cost_id), True, principal(), over_budget=data["over_budget"]
    )


@events.action(f"{COST}/actual/approve", None, CostOut, roles=APPROVERS)
def approve_actual(event_id: Any, cost_id: Any) -> Any:
    """Approve an actual cost recorded after its line was approved."""
    return costs_use_case().decide_actual(str(event_id), str(cost_id), True, principal())


@events.action(f"{COST}/actual/reject", None, CostOut, roles=APPROVERS)
def reject_actual(event_id: Any, cost_id: Any) -> Any:
    """Reject an actual cost recorded after its line was approved."""
    return costs_use_case().decide_actual(str(event_id), str(cost_id), False, principal())


@events.action(f"{COST}/reject", None, CostOut, roles=APPROVERS)
def reject_cost(event_id: Any, cost_id: Any) -> Any:
    """Reject a cost line."""
    return costs_use_case().decide_cost(str(event_id), str(cost_id), False, principal())


@events.reading(f"{ONE}/expenses", ExpensesOut, roles=(*ORGANISERS, *APPROVERS))
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
