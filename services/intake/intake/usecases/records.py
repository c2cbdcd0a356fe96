"""Records management use cases: the year's file plan, filing letters, the year-end closing
and the transfer of permanent and long-term files to the archive.

Rules are in :mod:`intake.domain.file_plan`; :class:`FilePlans` reads and writes the case
files in a unit of work. A letter's registration and routing use
:func:`intake.adapters.repositories.proposed_file` and ``open_file`` in their own
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update

from chancery.db import UnitOfWork, existing, new_id
from chancery.errors import Conflict, Forbidden, NotFound
from chancery.principal import Principal
from chancery.shapes import same_named
from chancery.usecase import MunicipalUseCase
from intake.adapters.models import ArchiveTransfer, CaseFile, Letter
from intake.domain import file_plan

# A plan's item and its case-file row name these alike.
_SAME_IN_PLAN_AND_ROW = ("code", "title", "retention_years", "legal_basis", "medium")


@dataclass(frozen=True)
class CaseFileSummary:
    """A case file with how many letters it holds and when they were registered."""

    case_file: CaseFile
    letters: int
    first_registered: datetime | None
    last_registered: datetime | None

    @property
    def retention_ends(self) -> date | None:
        """The first day the file may be destroyed (``None``: permanent)."""
        return file_plan.retention_ends(self.case_file.year, self.case_file.retention_years)


@dataclass(frozen=True)
class YearClosed:
    """The outcome of a year-end closing."""

    year: int
    files_closed: int
    letters_filed: int
    retention_starts: date


class FilePlans(MunicipalUseCase):
    """The file plan's use cases, for the registry (the records manager)."""

    def import_plan(self, year: int, text: str) -> list[CaseFileSummary]:
        """Replace the year's plan with the CSV ``text`` while no letter is filed in it."""
        planned = file_plan.parse_plan(text, self.profile)
        with self._uow() as uow:
            filed = uow.session.scalar(
                select(func.count())
                .select_from(Letter)
                .where(Letter.year == year, Letter.file_reference.is_not(None))
            )
            if filed:
                raise Conflict(
                    f"{filed} letters are filed in the plan of {year}; it can no "
                    f"longer be replaced."
                )
            uow.session.execute(delete(CaseFile).where(CaseFile.year == year))
            uow.session.add_all(
                CaseFile(
                    id=new_id(),
                    year=year,
                    **same_named(item, _SAME_IN_PLAN_AND_ROW),
                    parent_code=item.parent,
                    department_code=item.department,
                    kinds=" ".join(item.kinds),
                )
                for item in planned
            )
            uow.commit()
        return self.plan(year)

    def import_shipped_plan(self, year: int) -> list[CaseFileSummary]:
        """Import the invented plan shipped with the municipality's profile for ``year``."""
        return self.import_plan(year, file_plan.shipped_plan(self.profile))

    def plan(self, year: int) -> list[CaseFileSummary]:
        """The year's case files in code order, with their letters counted."""
        with self._uow() as uow:
            counts = {
                code: (count, first, last)
                for code, count, first, last in uow.session.execute(
                    select(
                        Letter.file_reference,
                        func.count(),
                        func.min(Letter.registered_at),
                        func.max(Letter.registered_at),
                    )
                    .where(Letter.year == year, Letter.file_reference.is_not(None))
                    .group_by(Letter.file_reference)
                )
            }
            files = list(
                uow.session.scalars(
                    select(CaseFile).where(CaseFile.year == year).order_by(CaseFile.code)
                )
            )
        if not files:
            raise NotFound(f"No file plan for {year}.")
        return [CaseFileSummary(item, *counts.get(item.code, (0, None, None))) for item in files]

    def close_year(self, year: int) -> YearClosed:
        """Close every file of ``year`` once the year is over; retention starts 1 January next.

        Refused before the year has ended (in the municipality's time zone) and
        when it was closed already.
        """
        now = self._clock()
        if self._calendar.local(now).year <= year:
            raise Conflict(f"{year} is not over yet; close its files from 1 January {year + 1}.")
        with self._uow() as uow:
            total = uow.session.scalar(
                select(func.count()).select_from(CaseFile).where(CaseFile.year == year)
            )
            if not total:
                raise NotFound(f"No file plan for {year}.")
            closed = uow.session.execute(
                update(CaseFile)
                .where(CaseFile.year == year, CaseFile.closed_at.is_(None))
                .values(closed_at=now)
            ).rowcount
            if not closed:
                raise Conflict(f"The files of {year} are closed already.")
            filed = uow.session.scalar(
                select(func.count())
                .select_from(Letter)
                .where(Letter.year == year, Letter.file_reference.is_not(None))
            )
            uow.commit()
        return YearClosed(
            year=year,
            files_closed=closed,
            letters_filed=filed or 0,
            retention_starts=file_plan.retention_starts(year),
        )

    # The archive transfer -------------------------------------------------------------

    def draft_transfer(self, year: int, principal: Principal) -> ArchiveTransfer:
        """The inventory of the closed year's permanent and long-term files (redrafted while
        it is a draft): each file's code, title, retention, letters and their dates."""
        summaries = self.plan(year)
        if any(item.case_file.closed_at is None for item in summaries):
            raise Conflict(f"Close the files of {year} before they go to the archive.")
        local = self._calendar.local
        items = [
            {
                "code": item.case_file.code,
                "title": item.case_file.title,
                "department": item.case_file.department_code,
                "retention_years": item.case_file.retention_years,
                "legal_basis": item.case_file.legal_basis,
                "medium": item.case_file.medium,
                "letters": item.letters,
                "first_day": local(item.first_registered).date().isoformat()
                if item.first_registered
                else None,
                "last_day": local(item.last_registered).date().isoformat()
                if item.last_registered
                else None,
            }
            for item in summaries
            if file_plan.goes_to_archive(item.case_file.retention_years)
        ]
        with self._uow() as uow:
            transfer = uow.session.get(ArchiveTransfer, year)
            if transfer is not None and transfer.status != "draft":
                raise Conflict(f"The inventory of {year} is {transfer.status}; it stays as it is.")
            if transfer is None:
                transfer = ArchiveTransfer(year=year, status="draft")
                uow.session.add(transfer)
            transfer.items = items
            transfer.drafted_at, transfer.drafted_by = self._clock(), principal.subject
            uow.commit()
            return transfer

    def transfer(self, year: int) -> ArchiveTransfer:
        """The year's inventory as it stands."""
        with self._uow() as uow:
            return existing(
                uow.session, ArchiveTransfer, year, f"No archive transfer inventory for {year}."
            )

    def approve_transfer(self, year: int, principal: Principal) -> ArchiveTransfer:
        """Approve the drafted inventory; whoever drafted it cannot approve it too."""
        with self._uow() as uow:
            transfer = self._transfer_in(uow, year, "draft")
            if transfer.drafted_by == principal.subject:
                raise Forbidden("The inventory is approved by someone other than who drew it up.")
            transfer.status = "approved"
            transfer.approved_at, transfer.approved_by = self._clock(), principal.subject
            uow.commit()
            return transfer

    def mark_transferred(self, year: int, principal: Principal) -> ArchiveTransfer:
        """Record that the approved inventory's files were handed to the archive."""
        with self._uow() as uow:
            transfer = self._transfer_in(uow, year, "approved")
            now = self._clock()
            transfer.status = "transferred"
            transfer.transferred_at, transfer.transferred_by = now, principal.subject
            uow.session.execute(
                update(CaseFile)
                .where(
                    CaseFile.year == year,
                    CaseFile.code.in_([item["code"] for item in transfer.items]),
                )
                .values(transferred_at=now)
            )
            uow.commit()
            return transfer

    @staticmethod
    def _transfer_in(uow: UnitOfWork, year: int, status: str) -> ArchiveTransfer:
        transfer = existing(
            uow.session, ArchiveTransfer, year, f"No archive transfer inventory for {year}."
        )
        if transfer.status != status:
            raise Conflict(f"The inventory of {year} is {transfer.status}, not {status}.")
        return transfer
