"""What every use case of foreign relations shares: transactions, lookups, idempotent creation.

The use cases themselves live one module per aggregate beside this one
(``partners``, ``agreements``, ``plans``, ``invitations``, ``trips``, ``visits``,
``translations``, ``projects``, ``proposals``, ``personal_data``), and the
worker's periodic checks in ``foreign_relations.timers``; views and message
handlers call them with plain values, a principal and a correlation id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from chancery.audit import record_access
from chancery.clock import utcnow
from chancery.db import UnitOfWork
from chancery.errors import InvalidInput, NotFound, check_version
from chancery.idempotency import (
    IdempotentRequest,
    StoredResponse,
    create_once,
)
from chancery.principal import Principal
from chancery.profiles import Profile
from chancery.usecase import MunicipalUseCase
from foreign_relations.adapters.models import Invitation, Partner, Visit
from foreign_relations.domain import workflow

Row = TypeVar("Row")
Result = TypeVar("Result")
Params = ParamSpec("Params")
Record = TypeVar("Record")
Owner = TypeVar("Owner")
Announcement = Callable[[UnitOfWork, date, Record, Owner, str], bool]
"""``announce(uow, today, record, owner, correlation_id)``: claims a due record and publishes
its announcement; False when another run had claimed it first (or it needs none)."""
Clock = Callable[[], datetime]


class UseCases(MunicipalUseCase):
    """The base of foreign relations' use cases: one profile, one clock, one database."""

    @property
    def department(self) -> str:
        """The department doing foreign relations in this municipality."""
        return self.profile.offices["foreign_relations"]

    def today(self) -> date:
        """Today in the municipality's time zone."""
        return self._calendar.local(self._clock()).date()

    def create(
        self,
        idempotent: IdempotentRequest | None,
        make: Callable[[UnitOfWork], Any],
        respond: Callable[[Any], StoredResponse],
    ) -> StoredResponse:
        """Create something once per idempotency key: the row, its messages and the answer.

        A repeated request with the same key returns the first answer and
        changes nothing; all of it commits together or not at all.
        """
        return create_once(self._uow, idempotent, make, respond)

    @staticmethod
    def get(uow: UnitOfWork, model: type[Row], row_id: str, what: str) -> Row:
        """The row or a 404 naming ``what``."""
        row = uow.session.get(model, row_id)
        if row is None:
            raise NotFound(f"No {what} {row_id}.")
        return row

    def record_decision(
        self, row: Invitation | Visit, status: str, note: str | None, principal: Principal
    ) -> None:
        """Move ``row`` to the decided ``status``, noting who decided, when, and their note."""
        row.status = status
        row.decided_by, row.decided_at, row.decision_note = principal.subject, self.now(), note

    def query(
        self,
        ask: Callable[Concatenate[Session, Params], Result],
        *args: Params.args,
        **kwargs: Params.kwargs,
    ) -> Result:
        """``ask(session, ...)``, a repository's query, answered in a read of its own."""
        with self.reading() as uow:
            return ask(uow.session, *args, **kwargs)

    def read_one(self, model: type[Row], row_id: str, what: str) -> Row:
        """The row, read on its own (a 404 naming ``what`` when there is none)."""
        with self.reading() as uow:
            return self.get(uow, model, row_id, what)

    def read_with(
        self,
        model: type[Row],
        row_id: str,
        what: str,
        children: Callable[[Session, str], Result],
    ) -> tuple[Row, Result]:
        """The row (a 404 naming ``what`` when there is none) and ``children(session, row_id)``,
        its children as a repository lists them, read together."""
        with self.reading() as uow:
            return self.get(uow, model, row_id, what), children(uow.session, row_id)

    def change_facts(
        self,
        model: type[Row],
        row_id: str,
        what: str,
        changes: dict[str, Any],
        expected_version: int | None,
    ) -> Row:
        """The row with ``changes`` set on it, once locked and checked against ``If-Match``'s
        version: a change of facts no rule looks at."""
        with self.transaction() as uow:
            row = self.for_update(uow, model, row_id, what, expected_version)
            apply(row, changes)
            uow.session.flush()
            return row

    @staticmethod
    def for_update(
        uow: UnitOfWork, model: type[Row], row_id: str, what: str, expected_version: int | None
    ) -> Row:
        """The row locked for update, checked against ``If-Match``'s version."""
        row = uow.session.get(model, row_id, with_for_update=True)
        if row is None:
            raise NotFound(f"No {what} {row_id}.")
        check_version(what, row.version, expected_version)
        return row

    @classmethod
    def for_transition(
        cls,
        uow: UnitOfWork,
        model: type[Row],
        row_id: str,
        what: str,
        expected_version: int | None,
        status: str,
    ) -> Row:
        """The row locked for update (see :meth:`for_update`), refused with a 409 unless
        ``what``'s workflow goes from the row's status to ``status``."""
        row: Any = cls.for_update(uow, model, row_id, what, expected_version)
        workflow.check_transition(what, row.status, status)
        return row

    @staticmethod
    def check_partner(
        uow: UnitOfWork, partner_id: str | None, field: str = "partner_id"
    ) -> Partner | None:
        """The partner named by a request, or a 422 when there is none."""
        if partner_id is None:
            return None
        partner = uow.session.get(Partner, str(partner_id))
        if partner is None:
            raise InvalidInput(
                f"No partner city {partner_id}.", field=field, reason="unknown partner city"
            )
        return partner

    def check_department(self, code: str, field: str = "department_code") -> None:
        """A 422 unless ``code`` is a department of the municipality's profile."""
        if self.profile.department(code) is None:
            raise InvalidInput(
                f"No department {code} in the profile.",
                field=field,
                reason=f"unknown department {code}",
            )

    @staticmethod
    def audit(
        uow: UnitOfWork,
        principal: Principal,
        object_type: str,
        object_ids: list[str],
        action: str = "read",
        people: dict[str, str | None] | None = None,
    ) -> None:
        """Record that ``principal`` read personal data (in the caller's transaction).

        ``people`` names each object's data subject (see :func:`chancery.audit.record_access`).
        """
        record_access(
            uow.session, uow.tables.audit, principal, action, object_type, object_ids, people
        )


def apply(row: Any, changes: dict[str, Any]) -> None:
    """Set the given attributes on a row (only those present in ``changes``)."""
    for name, value in changes.items():
        setattr(row, name, value)


def check_dates(first: date | datetime | None, last: date | datetime | None, field: str) -> None:
    """A 422 unless ``first`` is not after ``last`` (either may be absent)."""
    if first is not None and last is not None and last < first:
        raise InvalidInput(f"{field} is before the start.", field=field, reason="before the start")


class AnnouncingUseCases(UseCases):
    """Use cases whose records' dates are announced ``lead_days`` ahead (by a timer)."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        lead_days: int,
        clock: Clock = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self.lead_days = lead_days

    def announce_due(
        self,
        record: type[Record],
        owner: type[Owner],
        day: InstrumentedAttribute[date] | InstrumentedAttribute[date | None],
        unannounced: ColumnElement[bool],
        announce: Announcement[Record, Owner],
        correlation_id: str,
    ) -> int:
        """Offer ``announce`` each ``record``, with its ``owner`` (joined by their foreign
        key), whose ``day`` falls from today to ``lead_days`` later and which is still
        ``unannounced``, all in one transaction: how many it announced (a timer's run)."""
        today = self.today()
        with self.transaction() as uow:
            due = uow.session.execute(
                select(record, owner)
                .join(owner)
                .where(day.between(today, today + timedelta(days=self.lead_days)), unannounced)
            ).all()
            return sum(
                announce(uow, today, found, its_owner, correlation_id) for found, its_owner in due
            )
