"""Destruction acts: drawn up, read, approved in two roles, executed."""

from __future__ import annotations

from typing import Any

from flask import g

from chancery.http import use_case
from chancery.http.resources import Resource
from chancery.http.security import principal
from intake.adapters.models import DestructionAct
from intake.http.schemas import destruction_acts as schemas
from intake.permissions import DESTRUCTION_APPROVERS, DESTRUCTION_READERS, REGISTRY
from intake.usecases.destruction import Destruction

destruction_acts = Resource(
    "destruction-acts",
    __name__,
    "Acts destroying the contents of expired temporary files' letters; "
    "their registration numbers stay.",
)


_destruction = use_case("destruction", Destruction)


@destruction_acts.action(
    "", schemas.DestructionIn, schemas.DestructionActOut, roles=REGISTRY, status=201
)
def draft_destruction_act(data: dict[str, Any]) -> DestructionAct:
    """Draw up an act listing the closed temporary files whose retention ended by ``as_of``."""
    return _destruction().draft(data["as_of"], principal())


@destruction_acts.reading(
    "/<int(min=1, max=2147483647):number>", schemas.DestructionActOut, roles=DESTRUCTION_READERS
)
def read_destruction_act(number: int) -> DestructionAct:
    """An act with its files, approvals and execution."""
    return _destruction().act(number)


@destruction_acts.action(
    "/<int(min=1, max=2147483647):number>/approve",
    schemas.ApprovalIn,
    schemas.DestructionActOut,
    roles=DESTRUCTION_APPROVERS,
)
def approve_destruction_act(data: dict[str, Any], number: int) -> DestructionAct:
    """Approve the act in a role one holds (the registry, then the data protection officer,
    two different people); approved in both it can be executed."""
    return _destruction().approve(number, data["role"], principal())


@destruction_acts.action(
    "/<int(min=1, max=2147483647):number>/execute", None, schemas.DestructionActOut, roles=REGISTRY
)
def execute_destruction_act(number: int) -> DestructionAct:
    """Destroy the listed letters' scans and personal data here and, by
    ``destruction.executed``, in routing, notifications and foreign-relations; the numbers
    stay (audited)."""
    return _destruction().execute(number, principal(), g.correlation_id)
