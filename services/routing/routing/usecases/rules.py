"""The ordered routing rules, kept over the API (their first set comes from the profile:
:meth:`routing.usecases.departments.Departments.load_profile`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from chancery.db import Transactions, UnitOfWork, existing, new_id
from chancery.errors import InvalidInput
from chancery.principal import Principal
from routing.adapters.models import Department, RoutingRule
from routing.usecases.departments import require_admin


class Rules(Transactions):
    """The ordered rules routing applies to every registered letter (decision 7)."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        super().__init__(unit_of_work)

    def rules(self) -> list[RoutingRule]:
        """Every rule in its order, active or not."""
        with self.reading() as uow:
            return list(uow.session.scalars(select(RoutingRule).order_by(RoutingRule.position)))

    def save_rule(
        self, rule_id: str | None, fields: dict[str, Any], principal: Principal
    ) -> RoutingRule:
        """Create a rule (``rule_id`` None) or replace one; its departments must exist."""
        require_admin(principal)
        with self.transaction() as uow:
            named = [("responsible", fields["responsible"])]
            named += [("copies", code) for code in fields.get("copies", [])]
            for field, code in named:
                if uow.session.get(Department, code) is None:
                    raise InvalidInput(
                        f"No department {code}.", field=field, reason=f"unknown department {code}"
                    )
            if rule_id is None:
                rule = RoutingRule(id=new_id())
                uow.session.add(rule)
            else:
                rule = existing(uow.session, RoutingRule, rule_id, f"No rule {rule_id}.")
            for name, value in fields.items():
                setattr(rule, name, value)
            return rule

    def delete_rule(self, rule_id: str, principal: Principal) -> None:
        """Remove a rule."""
        require_admin(principal)
        with self.transaction() as uow:
            rule = existing(uow.session, RoutingRule, rule_id, f"No rule {rule_id}.")
            uow.session.delete(rule)
