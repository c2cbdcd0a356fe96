"""Foreign relations' queries beyond ``session.get``: lists, pages and lookups.

Each takes the unit of work's session and plain filters (``None`` for "any")
and returns rows; the use cases decide what to do with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from chancery.keyset import Ordering, fetch_page
from chancery.paging import Page, PageRequest
from foreign_relations.adapters.models import (
    Agreement,
    DossierEntry,
    Invitation,
    Partner,
    PartnerContact,
    Plan,
    PlanItem,
    Project,
    ProjectDeadline,
    Proposal,
    Translation,
    Traveller,
    Trip,
    Visit,
    VisitRecord,
)

RowT = TypeVar("RowT")


def _listed(
    session: Session,
    model: type[RowT],
    order: tuple[Any, ...],
    *conditions: Any,
    **filters: str | None,
) -> list[RowT]:
    """``model``'s rows meeting ``conditions`` in ``order``, each of ``filters`` that is
    given (not empty) equal to its column."""
    query = select(model).where(*conditions).order_by(*order)
    for column, value in filters.items():
        if value:
            query = query.where(getattr(model, column) == value)
    return list(session.scalars(query))


# Invitations to answer first: by respond-by date (undated last), then newest; the id
# makes the order unique.
UNDATED = date(9999, 12, 31)
_TO_ANSWER_FIRST = (
    Ordering(func.coalesce(Invitation.respond_by, UNDATED)),
    Ordering(Invitation.created_at, descending=True),
    Ordering(Invitation.id, descending=True),
)


def partners(
    session: Session, status: str | None = None, country: str | None = None
) -> list[Partner]:
    """Partner cities by city name, optionally of one status or country."""
    return _listed(session, Partner, (Partner.city,), status=status, country=country)


def contacts(session: Session, partner_id: str) -> list[PartnerContact]:
    """A partner's contact people by name, but those who restricted processing."""
    return list(
        session.scalars(
            select(PartnerContact)
            .where(PartnerContact.partner_id == partner_id, PartnerContact.restricted_at.is_(None))
            .order_by(PartnerContact.name)
        )
    )


def dossier(session: Session, partner_id: str) -> list[DossierEntry]:
    """A partner's dossier, newest first."""
    return _listed(
        session,
        DossierEntry,
        (DossierEntry.created_at.desc(),),
        DossierEntry.partner_id == partner_id,
    )


def trips_of_partner(session: Session, partner_id: str, statuses: Iterable[str]) -> list[Trip]:
    """The partner city's trips in one of ``statuses``."""
    return list(
        session.scalars(
            select(Trip).where(Trip.partner_id == partner_id, Trip.status.in_(tuple(statuses)))
        )
    )


def approved_visits_of_partner(session: Session, partner_id: str) -> list[Visit]:
    """The visits from the partner city that were approved."""
    return list(
        session.scalars(
            select(Visit).where(Visit.partner_id == partner_id, Visit.status == "approved")
        )
    )


def visit_records(session: Session, partner_id: str) -> list[VisitRecord]:
    """The visits entered by hand into the partner city's history."""
    return list(session.scalars(select(VisitRecord).where(VisitRecord.partner_id == partner_id)))


def agreements(
    session: Session, partner_id: str | None = None, ending_before: date | None = None
) -> list[Agreement]:
    """Agreements by end date (open-ended last), of one partner or ending by a date."""
    query = select(Agreement).order_by(
        Agreement.ends_on.is_(None), Agreement.ends_on, Agreement.title
    )
    if partner_id:
        query = query.where(Agreement.partner_id == partner_id)
    if ending_before:
        query = query.where(Agreement.ends_on <= ending_before)
    return list(session.scalars(query))


def plans(session: Session, year: int | None = None) -> list[Plan]:
    """Plans, newest first, optionally those covering ``year``."""
    query = select(Plan).order_by(Plan.first_year.desc(), Plan.title)
    if year:
        query = query.where(Plan.first_year <= year, Plan.last_year >= year)
    return list(session.scalars(query))


def plan_items(session: Session, plan_id: str) -> list[PlanItem]:
    """A plan's items by target date and title."""
    return _listed(
        session, PlanItem, (PlanItem.target_date, PlanItem.title), PlanItem.plan_id == plan_id
    )


def invitations(
    session: Session,
    levels: Iterable[str],
    page: PageRequest,
    status: str | None = None,
    letter_number: str | None = None,
) -> Page[Invitation]:
    """A page of the invitations of the given confidentiality ``levels``, those to answer
    first; ``letter_number`` finds the one a letter became."""
    query = select(Invitation).where(Invitation.confidentiality.in_(tuple(levels)))
    if status:
        query = query.where(Invitation.status == status)
    if letter_number:
        query = query.where(Invitation.registration_number == letter_number)
    return fetch_page(
        session,
        query,
        _TO_ANSWER_FIRST,
        page,
        key_of=lambda row: (row.respond_by or UNDATED, row.created_at, row.id),
    )


def invitation_of_letter(session: Session, registration_number: str) -> Invitation | None:
    """The invitation the letter with this registration number became, if any."""
    return session.scalar(
        select(Invitation).where(Invitation.registration_number == registration_number)
    )


def letter_is_invitation(session: Session, letter_id: str) -> bool:
    """Whether the letter already became an invitation."""
    return (
        session.scalar(select(Invitation.id).where(Invitation.letter_id == letter_id)) is not None
    )


def trips(session: Session, status: str | None = None) -> list[Trip]:
    """Trips by departure, the latest first."""
    return _listed(session, Trip, (Trip.departs_on.desc(),), status=status)


def travellers(session: Session, trip_id: str) -> list[Traveller]:
    """A trip's travellers, the head first, then by name."""
    return _listed(
        session, Traveller, (Traveller.head.desc(), Traveller.name), Traveller.trip_id == trip_id
    )


def visits(session: Session, status: str | None = None) -> list[Visit]:
    """Visits by arrival, the latest first."""
    return _listed(session, Visit, (Visit.arrives_at.desc(),), status=status)


def invitation_has_visit(session: Session, invitation_id: str) -> bool:
    """Whether a visit was already started from the invitation."""
    return session.scalar(select(Visit.id).where(Visit.invitation_id == invitation_id)) is not None


def translations(
    session: Session,
    status: str | None = None,
    translator: str | None = None,
    letter_id: str | None = None,
) -> list[Translation]:
    """Translation tasks by due date, of one status, translator or letter."""
    order = (Translation.due_on, Translation.created_at)
    return _listed(
        session, Translation, order, status=status, translator=translator, letter_id=letter_id
    )


def projects(session: Session, status: str | None = None) -> list[Project]:
    """Projects by title."""
    return _listed(session, Project, (Project.title,), status=status)


def project_deadlines(session: Session, project_id: str) -> list[ProjectDeadline]:
    """A project's deadlines by date."""
    return _listed(
        session,
        ProjectDeadline,
        (ProjectDeadline.due_on,),
        ProjectDeadline.project_id == project_id,
    )


def proposals(session: Session, status: str | None = None) -> list[Proposal]:
    """Proposals, newest first."""
    return _listed(session, Proposal, (Proposal.received_on.desc(),), status=status)


def mark_once(
    session: Session, marker: InstrumentedAttribute[Any], row_id: str, at: datetime
) -> bool:
    """Set the row's still empty ``marker`` column (``notified_at``, ``reminded_at``) to
    ``at``; True for the one caller that did, so a second timer replica announces nothing."""
    model = marker.class_
    # An UPDATE answers a cursor result (its rowcount); the type says so for a known model.
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(model)
            .where(model.id == row_id, marker.is_(None))
            .values({marker.key: at})
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    return bool(claimed == 1)
