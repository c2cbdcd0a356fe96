"""An audited read in a unit of work: the objects and their data subjects in one mapping.

The services' audited reads each wrote :func:`chancery.audit.record_access`
with the session, the audit table, the ids and a mapping of those same ids to
their people (eight lines a call); :func:`record_reads` takes the mapping once,
:func:`record_access_in` the ids (and people, when known) with the unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from chancery.audit import record_access

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session

    from chancery.db import UnitOfWork
    from chancery.principal import Principal

P = ParamSpec("P")


def record_reads(
    uow: UnitOfWork,
    principal: Principal,
    action: str,
    object_type: str,
    people: Mapping[str, str | None],
) -> None:
    """Record ``action`` on the ``object_type`` objects ``people`` names, in ``uow``'s transaction.

    ``people`` maps each object id, in the order read, to its data subject (an
    e-mail address or a name), as :func:`~chancery.audit.record_access` takes it.
    """
    record_access_in(uow, principal, action, object_type, people, people)


def _in_unit_of_work(
    record: Callable[Concatenate[Session, Table, P], None],
) -> Callable[Concatenate[UnitOfWork, P], None]:
    """``record`` taking a unit of work for its session and audit table."""

    def recorded(uow: UnitOfWork, /, *args: P.args, **kwargs: P.kwargs) -> None:
        record(uow.session, uow.tables.audit, *args, **kwargs)

    return recorded


# chancery.audit.record_access in ``uow``'s transaction: its session, its audit table.
record_access_in = _in_unit_of_work(record_access)
