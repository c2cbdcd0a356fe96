"""Archive transfer inventories: drawn up, read, printed, approved, handed over."""

from __future__ import annotations

from flask import Response

from chancery.http import use_case
from chancery.http.resources import Resource
from chancery.http.security import principal
from intake.adapters.inventory import inventory_csv, inventory_page
from intake.adapters.models import ArchiveTransfer
from intake.http.answers import PRINTABLE, document, plan_year
from intake.http.schemas import archive_transfers as schemas
from intake.permissions import REGISTRY, TRANSFER_APPROVERS, TRANSFER_READERS
from intake.usecases.records import FilePlans

_file_plans = use_case("file_plans", FilePlans)


transfers = Resource(
    "archive-transfers",
    __name__,
    "Inventories of a closed year's permanent and long-term files handed to the archive.",
)


@transfers.action("/<int(min=1, max=9999):year>", None, schemas.ArchiveTransferOut, roles=REGISTRY)
def draft_archive_transfer(year: int) -> ArchiveTransfer:
    """Draw up (or redraw while a draft) the inventory of the closed year's permanent and
    long-term files: codes, titles, retention, letters and their first and last days."""
    return _file_plans().draft_transfer(plan_year(year), principal())


@transfers.reading(
    "/<int(min=1, max=9999):year>", schemas.ArchiveTransferOut, roles=TRANSFER_READERS
)
def read_archive_transfer(year: int) -> ArchiveTransfer:
    """The year's inventory and who drew it up, approved and transferred it."""
    return _file_plans().transfer(plan_year(year))


@document(
    transfers,
    "/<int(min=1, max=9999):year>/inventory.csv",
    TRANSFER_READERS,
    "CSV, UTF-8 with a header line",
    "text/csv",
)
def export_archive_transfer(year: int) -> Response:
    """The inventory as CSV, one line per file."""
    transfer = _file_plans().transfer(plan_year(year))
    return Response(
        inventory_csv(transfer),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="archive-transfer-{year}.csv"'},
    )


@document(
    transfers,
    "/<int(min=1, max=9999):year>/inventory.html",
    TRANSFER_READERS,
    PRINTABLE,
    "text/html",
)
def print_archive_transfer(year: int) -> Response:
    """The inventory as a printable page, with who drew it up, approved and transferred it."""
    plans = _file_plans()
    profile = plans.profile
    language = profile.languages[0]
    page = inventory_page(
        plans.transfer(plan_year(year)),
        language,
        profile.names.get(language) or next(iter(profile.names.values())),
    )
    return Response(page, mimetype="text/html")


@transfers.action(
    "/<int(min=1, max=9999):year>/approve",
    None,
    schemas.ArchiveTransferOut,
    roles=TRANSFER_APPROVERS,
)
def approve_archive_transfer(year: int) -> ArchiveTransfer:
    """Approve the drafted inventory (the mayor's office; not whoever drew it up)."""
    return _file_plans().approve_transfer(plan_year(year), principal())


@transfers.action(
    "/<int(min=1, max=9999):year>/transferred", None, schemas.ArchiveTransferOut, roles=REGISTRY
)
def mark_archive_transfer_done(year: int) -> ArchiveTransfer:
    """Record that the approved inventory's files were handed to the archive."""
    return _file_plans().mark_transferred(plan_year(year), principal())
