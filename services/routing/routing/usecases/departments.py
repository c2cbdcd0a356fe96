"""Departments and administrative units: loaded with the routing rules from the
municipality profile, kept over the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from chancery.db import new_id
from chancery.errors import Conflict, Forbidden, InvalidInput, NotFound
from chancery.principal import Principal
from chancery.usecase import MunicipalUseCase
from routing.adapters.models import Department, RoutingRule
from routing.permissions import ADMINS


class Departments(MunicipalUseCase):
    """The departments and administrative units (and the profile's first rules)."""

    def load_profile(self) -> tuple[int, int]:
        """Add the profile's departments and, if there are no rules yet, its rules.

        Departments already present are left as they are (they may have been
        edited over the API); returns (departments added, rules added).
        """
        with self.transaction() as uow:
            known = set(uow.session.scalars(select(Department.code)))
            added = [d for d in self.profile.departments if d.code not in known]
            for department in added:
                uow.session.add(
                    Department(
                        code=department.code,
                        kind=department.kind,
                        names=department.names,
                        parent=department.parent,
                        email=department.email,
                        active=True,
                    )
                )
            rules = 0
            if not uow.session.scalar(select(func.count()).select_from(RoutingRule)):
                for position, rule in enumerate(self.profile.routing_rules, start=1):
                    uow.session.add(
                        RoutingRule(
                            id=new_id(),
                            position=position * 10,
                            name=rule["name"],
                            match={k: v for k, v in rule["match"].items() if v},
                            responsible=rule["responsible"],
                            copies=rule["copies"],
                            deadline=rule["deadline"],
                            active=True,
                        )
                    )
                    rules += 1
            return len(added), rules

    def departments(self) -> list[Department]:
        """Every department and administrative unit, by code."""
        with self.reading() as uow:
            return list(uow.session.scalars(select(Department).order_by(Department.code)))

    def department(self, code: str) -> Department:
        """One department."""
        with self.reading() as uow:
            found = uow.session.get(Department, code)
        if found is None:
            raise NotFound(f"No department {code}.")
        return found

    def save_department(
        self, code: str, fields: dict[str, Any], principal: Principal, create: bool
    ) -> Department:
        """Create a department or change some of its fields."""
        require_admin(principal)
        with self.transaction() as uow:
            department = uow.session.get(Department, code)
            if create and department is not None:
                raise Conflict(
                    f"Department {code} exists already.", field="code", reason="already exists"
                )
            if not create and department is None:
                raise NotFound(f"No department {code}.")
            # The parent is checked before a new row is added: looking it up flushes the
            # session, and a new department without its fields yet cannot be written.
            parent = fields.get("parent")
            if parent and (parent == code or uow.session.get(Department, parent) is None):
                raise InvalidInput(
                    f"No other department {parent} to be the parent.",
                    field="parent",
                    reason="unknown department",
                )
            if department is None:
                department = Department(code=code, active=True, kind="department")
                uow.session.add(department)
            for name, value in fields.items():
                setattr(department, name, value)
            return department


def require_admin(principal: Principal) -> None:
    """Refuse (403) whoever may not keep the departments and the rules."""
    if not principal.has_any(*ADMINS):
        raise Forbidden(f"This needs one of the roles: {', '.join(ADMINS)}.")
