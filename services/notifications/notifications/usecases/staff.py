"""The staff directory: notifications' copy of routing's (decision 31)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chancery.audited import record_reads
from chancery.db import Transactions
from chancery.messages.contracts.routing import StaffMemberChangedV1
from chancery.principal import Principal
from notifications.adapters.models import StaffMember
from notifications.permissions import READERS
from notifications.usecases import require_role


class Staff(Transactions):
    """Who works where, in which roles, and how to reach them."""

    def all(self, principal: Principal) -> list[StaffMember]:
        """The staff directory; the read is audited."""
        require_role(principal, READERS, "The staff directory is the office's to read.")
        with self.transaction() as uow:
            members = list(uow.session.scalars(select(StaffMember).order_by(StaffMember.subject)))
            record_reads(
                uow,
                principal,
                "list",
                "staff_member",
                {m.subject: m.email or m.name for m in members},
            )
            return members


def keep_staff_member(session: Session, entry: StaffMemberChangedV1) -> StaffMember:
    """Replace the local copy of a person with routing's directory entry (decision 31)."""
    member = session.get(StaffMember, entry.subject)
    if member is None:
        member = StaffMember(subject=entry.subject)
        session.add(member)
    member.name, member.email, member.phone = entry.name, entry.email, entry.phone
    member.language, member.department = entry.language, entry.department_code
    member.roles, member.active = list(entry.roles), entry.active
    session.flush()
    return member
