"""Perspective and annual cooperation plans and their measures."""

from __future__ import annotations

from typing import Any

from chancery.db import UnitOfWork, new_id
from chancery.errors import InvalidInput, NotFound
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Plan, PlanItem, Trip
from foreign_relations.usecases import UseCases, apply


class Plans(UseCases):
    """Cooperation plans with their items, linked to events and trips."""

    def create_plan(self, data: dict[str, Any]) -> Plan:
        """Start a perspective or annual cooperation plan (with its items, if given)."""
        items = data.pop("items", [])
        if data["last_year"] < data["first_year"]:
            raise InvalidInput(
                "The plan ends before it starts.", field="last_year", reason="before first_year"
            )
        if data["kind"] == "annual" and data["last_year"] != data["first_year"]:
            raise InvalidInput(
                "An annual plan covers one year.",
                field="last_year",
                reason="must equal first_year for an annual plan",
            )
        with self.transaction() as uow:
            self.check_partner(uow, data.get("partner_id"))
            plan = Plan(id=new_id(), created_at=self.now(), **data)
            uow.session.add(plan)
            uow.session.flush()
            for index, item in enumerate(items):
                self._add_item(uow, plan, item, f"items[{index}]")
            return plan

    def plans(self, year: int | None = None) -> list[Plan]:
        """Plans, newest first, optionally those covering ``year``."""
        return self.query(repositories.plans, year)

    def plan(self, plan_id: str) -> tuple[Plan, list[PlanItem]]:
        """A plan and its items by target date."""
        return self.read_with(Plan, plan_id, "plan", repositories.plan_items)

    def add_item(self, plan_id: str, data: dict[str, Any]) -> PlanItem:
        """Add a measure to a plan."""
        with self.transaction() as uow:
            return self._add_item(uow, self.get(uow, Plan, plan_id, "plan"), data, "")

    def update_item(
        self, plan_id: str, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> PlanItem:
        """Change a plan item: status, target date, responsible, linked events and trips."""
        with self.transaction() as uow:
            item = self.for_update(uow, PlanItem, item_id, "plan item", expected_version)
            if item.plan_id != plan_id:
                raise NotFound(f"No item {item_id} in plan {plan_id}.")
            if "department_code" in changes:
                self.check_department(changes["department_code"])
            if "trip_ids" in changes:
                self._check_trips(uow, changes["trip_ids"], "trip_ids")
            apply(item, changes)
            uow.session.flush()
            return item

    def _add_item(self, uow: UnitOfWork, plan: Plan, data: dict[str, Any], prefix: str) -> PlanItem:
        dotted = f"{prefix}." if prefix else ""
        self.check_department(data["department_code"], f"{dotted}department_code")
        self._check_trips(uow, data.get("trip_ids", []), f"{dotted}trip_ids")
        item = PlanItem(
            id=new_id(),
            plan_id=plan.id,
            title=data["title"],
            department_code=data["department_code"],
            target_date=data.get("target_date"),
            status=data.get("status", "planned"),
            event_ids=data.get("event_ids", []),
            trip_ids=data.get("trip_ids", []),
        )
        uow.session.add(item)
        uow.session.flush()
        return item

    @staticmethod
    def _check_trips(uow: UnitOfWork, trip_ids: list[Any], field: str) -> None:
        for trip_id in trip_ids:
            if uow.session.get(Trip, str(trip_id)) is None:
                raise InvalidInput(f"No trip {trip_id}.", field=field, reason="unknown trip")
