"""Destruction acts: expired temporary case files listed, approved, then their letters'
contents destroyed here and, by the ``destruction.executed`` command, in routing,
notifications and foreign-relations.

What stays is the protocol book's record that a letter was registered: its
number, register, year, kind, dates, status and case file. What goes: scans,
the correspondent's personal data, subject, summary and access code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from chancery.audit import person_key, record_access
from chancery.clock import utcnow
from chancery.db import UnitOfWork, existing
from chancery.errors import Conflict, Forbidden
from chancery.principal import Principal
from chancery.usecase import UseCase
from intake.adapters.models import Attachment, CaseFile, DestructionAct, Letter
from intake.adapters.repositories import stores_person_key
from intake.adapters.storage import AttachmentStore
from intake.domain import file_plan, searching
from intake.permissions import DESTRUCTION_APPROVERS
from intake.usecases import data_subject

DESTROYED_TEXT = "—"


@dataclass(eq=False)
class Destruction(UseCase):
    """Destruction acts' use cases."""

    store: AttachmentStore
    clock: Callable[[], datetime] = utcnow

    def draft(self, as_of: date, principal: Principal) -> DestructionAct:
        """A new act listing the closed temporary files whose retention ended by ``as_of``."""
        with self._uow() as uow:
            files = [
                item
                for item in uow.session.scalars(
                    select(CaseFile)
                    .where(
                        CaseFile.closed_at.is_not(None),
                        CaseFile.destroyed_at.is_(None),
                        CaseFile.retention_years.is_not(None),
                    )
                    .order_by(CaseFile.year, CaseFile.code)
                )
                if _outlived(item, as_of)
            ]
            if not files:
                raise Conflict(f"No temporary file has outlived its retention by {as_of}.")
            counts = {
                (year, code): count
                for year, code, count in uow.session.execute(
                    select(Letter.year, Letter.file_reference, func.count())
                    .where(_in_files([(item.year, item.code) for item in files]))
                    .group_by(Letter.year, Letter.file_reference)
                )
            }
            number = (uow.session.scalar(select(func.max(DestructionAct.number))) or 0) + 1
            act = DestructionAct(
                number=number,
                as_of=as_of,
                status="draft",
                approvals=[],
                drafted_at=self.clock(),
                drafted_by=principal.subject,
                items=[
                    {
                        "year": item.year,
                        "code": item.code,
                        "title": item.title,
                        "retention_years": item.retention_years,
                        "legal_basis": item.legal_basis,
                        "letters": counts.get((item.year, item.code), 0),
                    }
                    for item in files
                ],
            )
            uow.session.add(act)
            uow.commit()
            return act

    def act(self, number: int) -> DestructionAct:
        """An act as it stands."""
        with self._uow() as uow:
            return self._act(uow, number)

    def approve(self, number: int, role: str, principal: Principal) -> DestructionAct:
        """Approve the act in one of :data:`DESTRUCTION_APPROVERS`, once per role and person."""
        if role not in DESTRUCTION_APPROVERS or not principal.has_any(role):
            raise Forbidden(
                f"An act is approved in a role one holds: {', '.join(DESTRUCTION_APPROVERS)}."
            )
        with self._uow() as uow:
            act = self._act(uow, number)
            if act.status != "draft":
                raise Conflict(f"Act {number} is {act.status}.")
            if any(
                given["role"] == role or given["subject"] == principal.subject
                for given in act.approvals
            ):
                raise Conflict("Each role approves once, each person in one role.")
            act.approvals = [
                *act.approvals,
                {"role": role, "subject": principal.subject, "at": self.clock().isoformat()},
            ]
            if {given["role"] for given in act.approvals} == set(DESTRUCTION_APPROVERS):
                act.status = "approved"
            uow.commit()
            return act

    def execute(self, number: int, principal: Principal, correlation_id: str) -> DestructionAct:
        """Destroy the approved act's letters' contents here and order the same elsewhere.

        Scans are deleted, the correspondent, subject, summary and access code
        emptied; numbers, dates, status and case file stay. The execution is
        audited and ``destruction.executed`` goes out in the same transaction.
        """
        with self._uow() as uow:
            act = self._act(uow, number)
            if act.status != "approved":
                raise Conflict(f"Act {number} is {act.status}; it is executed once approved.")
            now = self.clock()
            files = [(item["year"], item["code"]) for item in act.items]
            letters = list(uow.session.scalars(select(Letter).where(_in_files(files))))
            ids = [letter.id for letter in letters]
            scans = (
                list(uow.session.scalars(select(Attachment).where(Attachment.letter_id.in_(ids))))
                if ids
                else []
            )
            for scan in scans:
                uow.session.delete(scan)
            for letter in letters:
                letter.correspondent = {
                    "type": letter.correspondent.get("type", "person"),
                    "name": DESTROYED_TEXT,
                }
                if stores_person_key(uow.session):
                    letter.person_key = person_key(data_subject(letter.correspondent))
                letter.subject = letter.subject_folded = DESTROYED_TEXT
                letter.summary = None
                letter.access_code_hash = None
                letter.closing_reason = None
                # The search text held the correspondent and the scans' words: rebuilt from
                # what is left, so nothing destroyed can still be found.
                letter.search_text = searching.search_text(
                    letter.subject, letter.summary, letter.correspondent, []
                )
            for year, code in files:
                uow.session.execute(
                    update(CaseFile)
                    .where(CaseFile.year == year, CaseFile.code == code)
                    .values(destroyed_at=now)
                )
            act.status, act.executed_at, act.letters_destroyed = "executed", now, len(letters)
            uow.emit(
                "destruction.executed",
                1,
                {
                    "act_number": act.number,
                    "letter_ids": ids,
                    "registration_numbers": [letter.registration_number for letter in letters],
                    "ordered_at": now,
                },
                correlation_id,
            )
            record_access(uow.session, uow.tables.audit, principal, "destroy", "letter", ids)
            uow.commit()
        for scan in scans:
            self.store.delete(scan.storage_key)
        return act

    @staticmethod
    def _act(uow: UnitOfWork, number: int) -> DestructionAct:
        return existing(uow.session, DestructionAct, number, f"No destruction act {number}.")


def _in_files(files: list[tuple[int, str]]) -> ColumnElement[bool]:
    return or_(*[and_(Letter.year == year, Letter.file_reference == code) for year, code in files])


def _outlived(case_file: CaseFile, as_of: date) -> bool:
    """Whether ``case_file`` is a temporary file whose retention ended by ``as_of``."""
    ends = file_plan.retention_ends(case_file.year, case_file.retention_years)
    return (
        not file_plan.goes_to_archive(case_file.retention_years)
        and ends is not None
        and ends <= as_of
    )
