"""The worker's timers: agreements ending soon and project deadlines coming near.

Each announcement is claimed with a conditional UPDATE before it is written
to the outbox, in one transaction, so two timers running at once (two worker
processes) publish it exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import or_, select, update

from chancery.db import UnitOfWork, utcnow
from chancery.profiles import Profile
from foreign_relations import domain
from foreign_relations.models import Agreement, Partner, Project, ProjectDeadline
from foreign_relations.services import Clock, UseCases


class Timers(UseCases):
    """Announces agreements within their lead time and approaching project deadlines."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork], profile: Profile,
                 agreement_lead_days: int, project_lead_days: int,
                 clock: Clock = utcnow) -> None:
        super().__init__(unit_of_work, profile, clock)
        self.agreement_lead_days = agreement_lead_days
        self.project_lead_days = project_lead_days

    def run(self, correlation_id: str) -> int:
        """Both checks; how many messages were published."""
        return (self.check_agreements(correlation_id)
                + self.check_project_deadlines(correlation_id))

    def check_agreements(self, correlation_id: str) -> int:
        """Publish ``agreement.expiring`` once per term for terms ending within the lead time."""
        today = self.today()
        horizon = today + timedelta(days=self.agreement_lead_days)
        announced = 0
        with self.transaction() as uow:
            rows = uow.session.execute(
                select(Agreement, Partner).join(Partner, Partner.id == Agreement.partner_id)
                .where(Agreement.ends_on >= today, Agreement.ends_on <= horizon,
                       or_(Agreement.warned_for.is_(None),
                           Agreement.warned_for != Agreement.ends_on))).all()
            for agreement, partner in rows:
                if not domain.needs_expiry_warning(agreement.ends_on, agreement.warned_for,
                                                   today, self.agreement_lead_days):
                    continue
                claimed = uow.session.execute(
                    update(Agreement).where(
                        Agreement.id == agreement.id, Agreement.ends_on == agreement.ends_on,
                        or_(Agreement.warned_for.is_(None),
                            Agreement.warned_for != agreement.ends_on))
                    .values(warned_for=agreement.ends_on)
                    .execution_options(synchronize_session=False)).rowcount
                if claimed != 1:
                    continue
                uow.emit("agreement.expiring", 1, {
                    "agreement_id": agreement.id, "title": agreement.title,
                    "partner_city": partner.city, "partner_country": partner.country,
                    "ends_on": agreement.ends_on,
                    "days_left": domain.days_left(agreement.ends_on, today),
                    "renewal": agreement.renewal, "department_code": self.department},
                    correlation_id)
                announced += 1
        return announced

    def check_project_deadlines(self, correlation_id: str) -> int:
        """Publish ``project.deadline_approaching`` once per deadline within the lead time."""
        today = self.today()
        horizon = today + timedelta(days=self.project_lead_days)
        announced = 0
        with self.transaction() as uow:
            rows = uow.session.execute(
                select(ProjectDeadline, Project).join(Project,
                                                      Project.id == ProjectDeadline.project_id)
                .where(ProjectDeadline.due_on >= today, ProjectDeadline.due_on <= horizon,
                       ProjectDeadline.notified_at.is_(None))).all()
            for deadline, project in rows:
                claimed = uow.session.execute(
                    update(ProjectDeadline).where(ProjectDeadline.id == deadline.id,
                                                  ProjectDeadline.notified_at.is_(None))
                    .values(notified_at=self.now())
                    .execution_options(synchronize_session=False)).rowcount
                if claimed != 1:
                    continue
                uow.emit("project.deadline_approaching", 1, {
                    "project_id": project.id, "title": project.title,
                    "programme": project.programme, "deadline_kind": deadline.kind,
                    "deadline_on": deadline.due_on,
                    "days_left": domain.days_left(deadline.due_on, today),
                    "department_code": project.department_code}, correlation_id)
                announced += 1
        return announced
