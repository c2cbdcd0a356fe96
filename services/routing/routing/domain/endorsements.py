"""The endorsement circuit: which approvers a reply needs, and who may decide a step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from chancery.errors import Forbidden
from chancery.principal import Principal


def circuit_for(
    rules: Iterable[Mapping[str, Any]], kind: str, addressee_kind: str | None
) -> list[str]:
    """The ordered approver roles the profile's endorsement ``rules`` ask for a letter of
    this kind and addressee ([] if none)."""
    for rule in rules:
        kinds, addressees = rule["kinds"], rule["addressees"]
        if (not kinds or kind in kinds) and (not addressees or addressee_kind in addressees):
            return list(rule["circuit"])
    return []


def may_approve(principal: Principal, role: str, department: str | None) -> bool:
    """Whether ``principal`` decides a step waiting for ``role`` (a head only their own
    department's)."""
    if not principal.has_any(role):
        return False
    return role != "department_head" or principal.department == department


def require_approver(principal: Principal, role: str, department: str | None) -> None:
    """Refuse (403) a principal who may not decide a step waiting for ``role``."""
    if not may_approve(principal, role, department):
        raise Forbidden(
            f"This step waits for the {role.replace('_', ' ')}"
            + (f" of {department}" if role == "department_head" else "")
            + "."
        )
