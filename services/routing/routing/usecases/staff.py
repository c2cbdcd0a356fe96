"""The one staff directory of the municipality's people (decision 31).

Routing owns it because assignments and endorsement circuits are checked
against it inside routing's own transactions; every change is announced as
``staff.member_changed`` for the services that keep a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from chancery.audited import record_access_in
from chancery.clock import utcnow
from chancery.errors import Forbidden, InvalidInput
from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest, page_of_rows
from chancery.principal import Principal
from chancery.text import fold
from chancery.usecase import UseCase
from routing.adapters.models import Department, StaffMember
from routing.permissions import STAFF_KEEPERS

_FIELDS = ("name", "department_code", "roles", "positions", "email", "phone", "language", "active")


_BY_NAME = (Ordering(StaffMember.name), Ordering(StaffMember.subject))


def _by_name(person: StaffMember) -> tuple[str, str]:
    return person.name, person.subject


def _searchable(person: StaffMember) -> str:
    """What a directory search looks in, folded: name, e-mail, every position title."""
    return fold(" ".join([person.name, person.email or "", *(person.positions or {}).values()]))


@dataclass(eq=False)
class Directory(UseCase):
    """Who works where, in which roles and positions, and how to reach them."""

    clock: Callable[[], datetime] = utcnow

    def people(
        self,
        principal: Principal,
        page: PageRequest,
        department: str | None = None,
        active: bool | None = None,
        text: str | None = None,
    ) -> Page[StaffMember]:
        """A page of the directory by name, of one department or all; the people on the
        page are audited as read.

        ``text`` finds a part of a name, e-mail address or position title in any language,
        ignoring case and diacritics (``zemaite`` finds Žemaitė). Folding is Python's
        (SQLite's ``lower()`` folds ASCII only), so a search reads the department's or the
        municipality's directory, a few thousand people at most, and pages it in memory.
        """
        query = select(StaffMember)
        if department:
            query = query.where(StaffMember.department_code == department)
        if active is not None:
            query = query.where(StaffMember.active == active)
        with self.transaction() as uow:
            if text:
                wanted = fold(text)
                matching = [
                    person for person in uow.session.scalars(query) if wanted in _searchable(person)
                ]
                found = page_of_rows(matching, page, _by_name)
            else:
                found = fetch_page(uow.session, query, _BY_NAME, page)
            record_access_in(
                uow, principal, "list", "staff_member", [person.subject for person in found.items]
            )
            return found

    def save(
        self, subject: str, entry: dict[str, Any], principal: Principal, correlation_id: str
    ) -> StaffMember:
        """Add a person or replace their entry, and announce it."""
        if not principal.has_any(*STAFF_KEEPERS):
            raise Forbidden(f"The directory is kept by: {', '.join(STAFF_KEEPERS)}.")
        with self.transaction() as uow:
            department = entry.get("department_code")
            if department and uow.session.get(Department, department) is None:
                raise InvalidInput(
                    f"No department {department}.",
                    field="department_code",
                    reason="unknown department",
                )
            person = uow.session.get(StaffMember, subject, with_for_update=True)
            if person is None:
                person = StaffMember(subject=subject)
                uow.session.add(person)
            for name in _FIELDS:
                setattr(person, name, entry[name])
            person.updated_at = self.clock()
            uow.session.flush()
            uow.emit(
                "staff.member_changed",
                1,
                {
                    "subject": subject,
                    **{name: getattr(person, name) for name in _FIELDS},
                    "changed_at": person.updated_at,
                },
                correlation_id,
            )
            return person
