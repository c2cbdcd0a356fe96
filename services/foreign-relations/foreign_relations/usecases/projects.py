"""International projects and fund applications with their deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete

from chancery.db import UnitOfWork, new_id
from chancery.errors import InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Project, ProjectDeadline
from foreign_relations.domain import terms
from foreign_relations.usecases import AnnouncingUseCases, apply


class Projects(AnnouncingUseCases):
    """Projects with their deadlines, each announced once, ``lead_days`` ahead."""

    def create_project(
        self, data: dict[str, Any], idempotent: IdempotentRequest | None, respond: Any
    ) -> StoredResponse:
        """Record a project or fund application with its deadlines."""
        deadlines = data.pop("deadlines", [])
        self.check_department(data["department_code"])

        def make(uow: UnitOfWork) -> tuple[Project, list[ProjectDeadline]]:
            project = Project(id=new_id(), created_at=self.now(), **data)
            uow.session.add(project)
            uow.session.flush()
            return project, self._set_deadlines(uow, project, deadlines)

        return self.create(idempotent, make, respond)

    def projects(self, status: str | None = None) -> list[Project]:
        """Projects by title."""
        return self.query(repositories.projects, status)

    def project(self, project_id: str) -> tuple[Project, list[ProjectDeadline]]:
        """A project and its deadlines by date."""
        return self.read_with(Project, project_id, "project", repositories.project_deadlines)

    def update_project(
        self, project_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> tuple[Project, list[ProjectDeadline]]:
        """Change a project; new deadlines replace the old (an unchanged one keeps its notice)."""
        deadlines = changes.pop("deadlines", None)
        if "department_code" in changes:
            self.check_department(changes["department_code"])
        with self.transaction() as uow:
            project = self.for_update(uow, Project, project_id, "project", expected_version)
            apply(project, changes)
            if deadlines is not None:
                self._set_deadlines(uow, project, deadlines)
            uow.session.flush()
            return project, repositories.project_deadlines(uow.session, project_id)

    def announce_deadlines(self, correlation_id: str) -> int:
        """Publish ``project.deadline_approaching`` once per deadline within the lead time."""
        return self.announce_due(
            ProjectDeadline,
            Project,
            ProjectDeadline.due_on,
            ProjectDeadline.notified_at.is_(None),
            self._announce_deadline,
            correlation_id,
        )

    def _announce_deadline(
        self,
        uow: UnitOfWork,
        today: date,
        deadline: ProjectDeadline,
        project: Project,
        correlation_id: str,
    ) -> bool:
        if not repositories.mark_once(
            uow.session, ProjectDeadline.notified_at, deadline.id, self.now()
        ):
            return False
        uow.emit(
            "project.deadline_approaching",
            1,
            {
                "project_id": project.id,
                "title": project.title,
                "programme": project.programme,
                "deadline_kind": deadline.kind,
                "deadline_on": deadline.due_on,
                "days_left": terms.days_left(deadline.due_on, today),
                "department_code": project.department_code,
            },
            correlation_id,
        )
        return True

    def _set_deadlines(
        self, uow: UnitOfWork, project: Project, deadlines: list[dict[str, Any]]
    ) -> list[ProjectDeadline]:
        keys = [(d["kind"], d["due_on"]) for d in deadlines]
        if len(set(keys)) != len(keys):
            raise InvalidInput(
                "The same deadline is listed twice.",
                field="deadlines",
                reason="duplicate kind and date",
            )
        old = {
            (d.kind, d.due_on): d for d in repositories.project_deadlines(uow.session, project.id)
        }
        uow.session.execute(delete(ProjectDeadline).where(ProjectDeadline.project_id == project.id))
        rows = [
            ProjectDeadline(
                id=new_id(),
                project_id=project.id,
                kind=kind,
                due_on=due_on,
                notified_at=old[(kind, due_on)].notified_at if (kind, due_on) in old else None,
            )
            for kind, due_on in keys
        ]
        uow.session.add_all(rows)
        uow.session.flush()
        return sorted(rows, key=lambda row: row.due_on)
