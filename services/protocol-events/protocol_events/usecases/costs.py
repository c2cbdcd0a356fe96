"""Representation expenses: an event's budget, cost lines, their approval and totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from chancery.db import new_id
from chancery.errors import Conflict, InvalidInput
from chancery.principal import Principal
from protocol_events.adapters.models import (
    BudgetLine,
    CostLine,
    Event,
    ProgrammeItem,
)
from protocol_events.adapters.repositories import rows_of_event, rows_where
from protocol_events.usecases import EventUseCase


@dataclass(frozen=True)
class ExpenseReportLine:
    """Representation expenses of one event and category in a period."""

    event_id: str
    event_title: str
    starts_at: str
    category: str
    currency: str
    budget: Decimal
    planned: Decimal
    actual: Decimal
    approved_actual: Decimal


class Costs(EventUseCase):
    """An event's budget and cost lines, approved within it or explicitly over it."""

    def set_budget(
        self, event_id: str, lines: dict[str, Decimal], principal: Principal
    ) -> list[BudgetLine]:
        """Replace the event's budget per category."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            for old in uow.session.scalars(
                select(BudgetLine).where(BudgetLine.event_id == event.id)
            ):
                uow.session.delete(old)
            uow.session.flush()
            saved = [
                BudgetLine(
                    event_id=event.id, category=category, amount=amount, currency=self.currency
                )
                for category, amount in lines.items()
            ]
            uow.session.add_all(saved)
            self._history(
                uow.session,
                event,
                principal.subject,
                "budget",
                {category: str(amount) for category, amount in lines.items()},
            )
            return saved

    def add_cost(self, event_id: str, data: dict[str, Any], principal: Principal) -> CostLine:
        """A planned cost line (optionally of a programme item), waiting for approval."""
        with self.transaction() as uow:
            event = self._event(uow.session, event_id)
            if data.get("item_id"):
                item = uow.session.get(ProgrammeItem, data["item_id"])
                if item is None or item.event_id != event.id:
                    raise InvalidInput(
                        "The event has no such programme item.",
                        field="item_id",
                        reason="unknown programme item",
                    )
            incurred_on = data.pop("incurred_on", None) or self._local_date(event.starts_at)
            cost = CostLine(
                id=new_id(),
                event_id=event.id,
                currency=self.currency,
                status="proposed",
                created_by=principal.subject,
                incurred_on=incurred_on,
                **data,
            )
            uow.session.add(cost)
            return cost

    def record_actual(
        self, event_id: str, cost_id: str, actual: Decimal, principal: Principal
    ) -> CostLine:
        """Record what a cost line really cost; after the line's approval the actual waits
        for its own approval (an approved plan is not an approved bill)."""
        with self.transaction() as uow:
            cost = self._part(uow.session, CostLine, cost_id, event_id, "cost line")
            if cost.status == "rejected":
                raise Conflict(
                    "The cost line was rejected; it has no actual cost.",
                    field="actual",
                    reason="rejected line",
                )
            cost.actual = actual
            if cost.status == "approved":
                cost.actual_status = "proposed"
                cost.actual_decided_by = cost.actual_decided_at = None
            self._history(
                uow.session,
                self._event(uow.session, event_id),
                principal.subject,
                "actual_cost",
                {"cost_id": cost_id, "actual": str(actual)},
            )
            return cost

    def decide_cost(
        self,
        event_id: str,
        cost_id: str,
        approve: bool,
        principal: Principal,
        over_budget: bool = False,
    ) -> CostLine:
        """Approve or reject a cost line (the mayor's office or the director).

        A line that takes its category's approved costs over the budget is approved only
        when the approver says so (``over_budget``); that, who and when are kept.
        """
        with self.transaction() as uow:
            cost = self._part(uow.session, CostLine, cost_id, event_id, "cost line")
            if cost.status != "proposed":
                raise Conflict(
                    f"The cost line is already {cost.status}.",
                    field="status",
                    reason=f"{cost.status} is final",
                )
            if approve:
                excess = self._excess(uow.session, cost)
                if excess > 0 and not over_budget:
                    raise Conflict(
                        f"Approving this line takes {cost.category} {excess} {self.currency} "
                        "over its budget; approve it with over_budget: true to accept that.",
                        field="over_budget",
                        reason="over budget: explicit approval needed",
                    )
                cost.approved_over_budget = excess > 0
                if cost.actual is not None:
                    # The approver saw the bill with the plan: both are approved.
                    cost.actual_status = "approved"
                    cost.actual_decided_by = principal.subject
                    cost.actual_decided_at = self._clock()
            cost.status = "approved" if approve else "rejected"
            cost.decided_by, cost.decided_at = principal.subject, self._clock()
            return cost

    def decide_actual(
        self, event_id: str, cost_id: str, approve: bool, principal: Principal
    ) -> CostLine:
        """Approve or reject the actual cost recorded after its line was approved."""
        with self.transaction() as uow:
            cost = self._part(uow.session, CostLine, cost_id, event_id, "cost line")
            if cost.actual_status != "proposed":
                state = cost.actual_status or "not waiting for a decision"
                raise Conflict(
                    f"The actual cost is {state}.", field="actual_status", reason=f"actual {state}"
                )
            cost.actual_status = "approved" if approve else "rejected"
            cost.actual_decided_by, cost.actual_decided_at = principal.subject, self._clock()
            return cost

    def _excess(self, session: Session, cost: CostLine) -> Decimal:
        """How far the category's approved costs (plan or approved actual) plus this line's
        would exceed its budget (no budget line: a budget of 0)."""
        budget = sum(
            session.scalars(
                select(BudgetLine.amount).where(
                    BudgetLine.event_id == cost.event_id, BudgetLine.category == cost.category
                )
            ),
            Decimal(0),
        )
        approved = session.scalars(
            select(CostLine).where(
                CostLine.event_id == cost.event_id,
                CostLine.category == cost.category,
                CostLine.status == "approved",
                CostLine.id != cost.id,
            )
        )
        committed = sum((committed_amount(line) for line in approved), Decimal(0))
        return committed + max(cost.planned, cost.actual or Decimal(0)) - budget

    def expenses(self, event_id: str) -> dict[str, Any]:
        """The event's budget, cost lines and totals per category."""
        with self._uow() as uow:
            self._event(uow.session, event_id)
            budget = rows_of_event(uow.session, BudgetLine, event_id)
            # Each line is answered with an over_budget flag of its own (set below).
            costs: list[Any] = rows_of_event(
                uow.session, CostLine, event_id, CostLine.incurred_on, CostLine.id
            )
        categories = sorted({b.category for b in budget} | {c.category for c in costs})
        totals = []
        for category in categories:
            lines = [c for c in costs if c.category == category and c.status != "rejected"]
            totals.append(
                {
                    "category": category,
                    "budget": sum((b.amount for b in budget if b.category == category), Decimal(0)),
                    "planned": sum((c.planned for c in lines), Decimal(0)),
                    "actual": sum((c.actual or Decimal(0) for c in lines), Decimal(0)),
                }
            )
        flagged = over_budget_categories(budget, costs)
        for cost in costs:
            cost.over_budget = cost.category in flagged and cost.status != "rejected"
        return {
            "currency": self.currency,
            "budget": budget,
            "costs": costs,
            "totals": totals,
            "over_budget": sorted(flagged),
        }

    def expense_report(self, first: date, last: date) -> list[ExpenseReportLine]:
        """Per event and category, for events starting from ``first`` to ``last`` (included):
        budget, planned, actual and approved actual costs (rejected lines left out)."""
        with self._uow() as uow:
            events = list(
                uow.session.scalars(
                    select(Event)
                    .where(
                        Event.starts_at >= self._midnight(first),
                        Event.starts_at < self._midnight(last + timedelta(days=1)),
                    )
                    .order_by(Event.starts_at, Event.id)
                )
            )
            ids = [e.id for e in events]
            budget = (
                rows_where(uow.session, BudgetLine, BudgetLine.event_id.in_(ids)) if ids else []
            )
            costs = (
                list(
                    uow.session.scalars(
                        select(CostLine).where(
                            and_(CostLine.event_id.in_(ids), CostLine.status != "rejected")
                        )
                    )
                )
                if ids
                else []
            )
        lines = []
        for event in events:
            categories = sorted(
                {b.category for b in budget if b.event_id == event.id}
                | {c.category for c in costs if c.event_id == event.id}
            )
            for category in categories:
                mine = [c for c in costs if c.event_id == event.id and c.category == category]
                lines.append(
                    ExpenseReportLine(
                        event_id=event.id,
                        event_title=self._text(event.title),
                        starts_at=event.starts_at.astimezone(self.zone).isoformat(),
                        category=category,
                        currency=self.currency,
                        budget=sum(
                            (
                                b.amount
                                for b in budget
                                if b.event_id == event.id and b.category == category
                            ),
                            Decimal(0),
                        ),
                        planned=sum((c.planned for c in mine), Decimal(0)),
                        actual=sum((c.actual or Decimal(0) for c in mine), Decimal(0)),
                        approved_actual=sum(
                            (c.actual or Decimal(0) for c in mine if c.actual_status == "approved"),
                            Decimal(0),
                        ),
                    )
                )
        return lines


def committed_amount(line: CostLine) -> Decimal:
    """What an approved line commits: its approved actual, else its plan."""
    if line.actual is not None and line.actual_status == "approved":
        return line.actual
    return line.planned


def over_budget_categories(budget: Sequence[BudgetLine], costs: Sequence[CostLine]) -> set[str]:
    """Categories whose planned non-rejected lines exceed their budget (the flag)."""
    flagged = set()
    for category in {c.category for c in costs}:
        limit = sum((b.amount for b in budget if b.category == category), Decimal(0))
        planned = sum(
            (c.planned for c in costs if c.category == category and c.status != "rejected"),
            Decimal(0),
        )
        if planned > limit:
            flagged.add(category)
    return flagged
