"""International projects and funds, and foreign partners' proposals referred onwards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from chancery.db import UnitOfWork, new_id
from chancery.errors import InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from foreign_relations import domain
from foreign_relations.models import Project, ProjectDeadline, Proposal
from foreign_relations.services import UseCases, apply


class Projects(UseCases):
    """Projects with their deadlines; proposals with their referral and answer."""

    # Projects ---------------------------------------------------------------------------

    def create_project(self, data: dict[str, Any], idempotent: IdempotentRequest | None,
                       respond: Any) -> StoredResponse:
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
        query = select(Project).order_by(Project.title)
        if status:
            query = query.where(Project.status == status)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def project(self, project_id: str) -> tuple[Project, list[ProjectDeadline]]:
        """A project and its deadlines by date."""
        with self.reading() as uow:
            project = self.get(uow, Project, project_id, "project")
            return project, self._deadlines(uow, project_id)

    def update_project(self, project_id: str, changes: dict[str, Any],
                       expected_version: int | None) -> tuple[Project, list[ProjectDeadline]]:
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
            return project, self._deadlines(uow, project_id)

    def _set_deadlines(self, uow: UnitOfWork, project: Project,
                       deadlines: list[dict[str, Any]]) -> list[ProjectDeadline]:
        keys = [(d["kind"], d["due_on"]) for d in deadlines]
        if len(set(keys)) != len(keys):
            raise InvalidInput("The same deadline is listed twice.", field="deadlines",
                               reason="duplicate kind and date")
        old = {(d.kind, d.due_on): d for d in self._deadlines(uow, project.id)}
        uow.session.execute(delete(ProjectDeadline).where(
            ProjectDeadline.project_id == project.id))
        rows = [ProjectDeadline(id=new_id(), project_id=project.id, kind=kind, due_on=due_on,
                                notified_at=old[(kind, due_on)].notified_at
                                if (kind, due_on) in old else None)
                for kind, due_on in keys]
        uow.session.add_all(rows)
        uow.session.flush()
        return sorted(rows, key=lambda row: row.due_on)

    @staticmethod
    def _deadlines(uow: UnitOfWork, project_id: str) -> list[ProjectDeadline]:
        return list(uow.session.scalars(select(ProjectDeadline).where(
            ProjectDeadline.project_id == project_id).order_by(ProjectDeadline.due_on)))

    # Proposals --------------------------------------------------------------------------

    def receive_proposal(self, data: dict[str, Any], idempotent: IdempotentRequest | None,
                         respond: Any) -> StoredResponse:
        """Record a foreign partner's proposal."""

        def make(uow: UnitOfWork) -> Proposal:
            self.check_partner(uow, data.get("partner_id"))
            proposal = Proposal(id=new_id(), status="received", **data)
            uow.session.add(proposal)
            uow.session.flush()
            return proposal

        return self.create(idempotent, make, respond)

    def proposals(self, status: str | None = None) -> list[Proposal]:
        """Proposals, newest first."""
        query = select(Proposal).order_by(Proposal.received_on.desc())
        if status:
            query = query.where(Proposal.status == status)
        with self.reading() as uow:
            return list(uow.session.scalars(query))

    def proposal(self, proposal_id: str) -> Proposal:
        """One proposal."""
        with self.reading() as uow:
            return self.get(uow, Proposal, proposal_id, "proposal")

    def refer(self, proposal_id: str, referred_to: str, department_code: str | None,
              correlation_id: str, expected_version: int | None) -> Proposal:
        """Pass a proposal to a council committee or a department, which is told
        (``proposal.referred``)."""
        if department_code is not None and self.profile.department(department_code) is None:
            raise InvalidInput(f"There is no department {department_code}.",
                               field="department_code", reason="unknown department")
        with self.transaction() as uow:
            proposal = self.for_update(uow, Proposal, proposal_id, "proposal", expected_version)
            domain.check_transition("proposal", proposal.status, "referred")
            proposal.status, proposal.referred_to = "referred", referred_to
            proposal.referred_at = self.now()
            uow.session.flush()
            uow.emit("proposal.referred", 1, {
                "proposal_id": proposal.id, "title": proposal.title,
                "summary": proposal.summary, "received_on": proposal.received_on,
                "referred_to": referred_to, "department_code": department_code,
                "referred_at": proposal.referred_at}, correlation_id)
            return proposal

    def answer(self, proposal_id: str, answer: str, expected_version: int | None) -> Proposal:
        """Record the committee's or department's answer."""
        with self.transaction() as uow:
            proposal = self.for_update(uow, Proposal, proposal_id, "proposal", expected_version)
            domain.check_transition("proposal", proposal.status, "answered")
            proposal.status, proposal.answer = "answered", answer
            proposal.answered_at = self.now()
            uow.session.flush()
            return proposal
