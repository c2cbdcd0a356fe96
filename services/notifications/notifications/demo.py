"""Demo staff for the embedded mode: invented people in the demo municipality's departments."""

from __future__ import annotations

from sqlalchemy import func, select

from chancery.runtime import ServiceWiring
from notifications.adapters.models import StaffMember

DEMO_STAFF = tuple(
    StaffMember(
        subject=subject,
        name=name,
        email=f"{subject}@example.org",
        language="lt",
        department=department,
        roles=[role],
        active=True,
    )
    for subject, name, department, role in (
        ("rasa.kazlauskiene", "Rasa Kazlauskienė", "COMM", "department_head"),
        ("tomas.petraitis", "Tomas Petraitis", "COMM", "department_staff"),
        ("ieva.jankauskaite", "Ieva Jankauskaitė", None, "director"),
    )
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
