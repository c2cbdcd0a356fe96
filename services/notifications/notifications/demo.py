"""Demo staff for the embedded mode: invented people in the demo municipality's departments."""

from __future__ import annotations

from sqlalchemy import func, select

from chancery.runtime import ServiceWiring
from notifications.adapters.models import StaffMember

DEMO_STAFF = (
    StaffMember(
        subject="rasa.kazlauskiene",
        name="Rasa Kazlauskienė",
        email="rasa.kazlauskiene@example.org",
        language="lt",
        department="COMM",
        roles=["department_head"],
        active=True,
    ),
    StaffMember(
        subject="tomas.petraitis",
        name="Tomas Petraitis",
        email="tomas.petraitis@example.org",
        language="lt",
        department="COMM",
        roles=["department_staff"],
        active=True,
    ),
    StaffMember(
        subject="ieva.jankauskaite",
        name="Ieva Jankauskaitė",
        email="ieva.jankauskaite@example.org",
        language="lt",
        department=None,
        roles=["director"],
        active=True,
    ),
)


def load_demo_data(wiring: ServiceWiring) -> int:
    """Add the demo staff once (nothing when the directory has people)."""
    with wiring.unit_of_work() as uow:
        if uow.session.scalar(select(func.count()).select_from(StaffMember)):
            return 0
        for member in DEMO_STAFF:
            uow.session.merge(member)
        uow.commit()
    return len(DEMO_STAFF)
