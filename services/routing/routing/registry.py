"""Departments and routing rules: loaded from the municipality profile, kept over the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound
from chancery.profiles import Profile
from routing.models import Department, RoutingRule

ADMINS = ("registrar", "operator", "mayor_office")


class Registry:
    """The departments and the ordered rules."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile) -> None:
        self._uow = unit_of_work
        self.profile = profile

    def load_profile(self) -> tuple[int, int]:
        """Add the profile's departments and, if there are no rules yet, its rules.

        Departments already present are left as they are (they may have been
        edited over the API); returns (departments added, rules added).
        """
        with self._uow() as uow:
            known = set(uow.session.scalars(select(Department.code)))
            added = [d for d in self.profile.departments if d.code not in known]
            for department in added:
                uow.session.add(Department(code=department.code, kind=department.kind,
                                           names=department.names, parent=department.parent,
                                           email=department.email, members=[], active=True))
            rules = 0
            if not uow.session.scalar(select(func.count()).select_from(RoutingRule)):
                for position, rule in enumerate(self.profile.routing_rules, start=1):
                    uow.session.add(RoutingRule(
                        id=new_id(), position=position * 10, name=rule["name"],
                        match={k: v for k, v in rule["match"].items() if v},
                        responsible=rule["responsible"], copies=rule["copies"],
                        deadline=rule["deadline"], active=True))
                    rules += 1
            uow.commit()
            return len(added), rules

    # Departments ----------------------------------------------------------------------

    def departments(self) -> list[Department]:
        """Every department and administrative unit, by code."""
        with self._uow() as uow:
            return list(uow.session.scalars(select(Department).order_by(Department.code)))

    def department(self, code: str) -> Department:
        """One department."""
        with self._uow() as uow:
            found = uow.session.get(Department, code)
        if found is None:
            raise NotFound(f"No department {code}.")
        return found

    def save_department(self, code: str, fields: dict[str, Any], principal: Principal,
                        create: bool) -> Department:
        """Create a department or change some of its fields."""
        _require_admin(principal)
        with self._uow() as uow:
            department = uow.session.get(Department, code)
            if create and department is not None:
                raise Conflict(f"Department {code} exists already.", field="code",
                               reason="already exists")
            if not create and department is None:
                raise NotFound(f"No department {code}.")
            # The parent is checked before a new row is added: looking it up flushes the
            # session, and a new department without its fields yet cannot be written.
            parent = fields.get("parent")
            if parent and (parent == code or uow.session.get(Department, parent) is None):
                raise InvalidInput(f"No other department {parent} to be the parent.",
                                   field="parent", reason="unknown department")
            if department is None:
                department = Department(code=code, members=[], active=True, kind="department")
                uow.session.add(department)
            for name, value in fields.items():
                setattr(department, name, value)
            uow.commit()
            return department

    # Rules ------------------------------------------------------------------------------

    def rules(self) -> list[RoutingRule]:
        """Every rule in its order, active or not."""
        with self._uow() as uow:
            return list(uow.session.scalars(select(RoutingRule).order_by(RoutingRule.position)))

    def save_rule(self, rule_id: str | None, fields: dict[str, Any],
                  principal: Principal) -> RoutingRule:
        """Create a rule (``rule_id`` None) or replace one; its departments must exist."""
        _require_admin(principal)
        with self._uow() as uow:
            named = [("responsible", fields["responsible"])]
            named += [("copies", code) for code in fields.get("copies", [])]
            for field, code in named:
                if uow.session.get(Department, code) is None:
                    raise InvalidInput(f"No department {code}.", field=field,
                                       reason=f"unknown department {code}")
            if rule_id is None:
                rule = RoutingRule(id=new_id())
                uow.session.add(rule)
            else:
                rule = uow.session.get(RoutingRule, rule_id)
                if rule is None:
                    raise NotFound(f"No rule {rule_id}.")
            for name, value in fields.items():
                setattr(rule, name, value)
            uow.commit()
            return rule

    def delete_rule(self, rule_id: str, principal: Principal) -> None:
        """Remove a rule."""
        _require_admin(principal)
        with self._uow() as uow:
            rule = uow.session.get(RoutingRule, rule_id)
            if rule is None:
                raise NotFound(f"No rule {rule_id}.")
            uow.session.delete(rule)
            uow.commit()


def _require_admin(principal: Principal) -> None:
    if not principal.has_any(*ADMINS):
        raise Forbidden(f"This needs one of the roles: {', '.join(ADMINS)}.")
