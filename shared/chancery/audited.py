"""An audited read in a unit of work: the objects and their data subjects in one mapping.

The services' audited reads each wrote :func:`chancery.audit.record_access`
with the session, the audit table, the ids and a mapping of those same ids to
their people (eight lines a call); :func:`record_reads` takes the mapping once,
:func:`record_access_in` the ids (and people, when known) with the unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from chancery.audit import ALLOWED, record_access

if TYPE_CHECKING:
    from chancery.db import UnitOfWork
    from chancery.principal import Principal


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


def record_access_in(
    uow: UnitOfWork,
    principal: Principal,
    action: str,
    object_type: str,
    object_ids: Iterable[str],
    people: Mapping[str, str | None] | None = None,
    outcome: str = ALLOWED,
) -> None:
    """:func:`~chancery.audit.record_access` in ``uow``'s transaction: its session, its table."""
    record_access(
        uow.session, uow.tables.audit, principal, action, object_type, object_ids, people, outcome
    )
