"""Outgoing trips: checklist, passports, per diems, the move from plan to report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm.attributes import flag_modified

from chancery.clock import utcnow
from chancery.confidentiality import is_protected, neutral_title
from chancery.db import UnitOfWork, new_id
from chancery.errors import Conflict, Forbidden, InvalidInput
from chancery.idempotency import IdempotentRequest, StoredResponse
from chancery.principal import Principal
from chancery.profiles import Profile
from foreign_relations.adapters import repositories
from foreign_relations.adapters.models import Invitation, Traveller, Trip
from foreign_relations.domain import travel
from foreign_relations.permissions import DECIDERS
from foreign_relations.usecases import Clock, UseCases, apply, check_dates


@dataclass(frozen=True)
class TripFile:
    """A trip with what the office checks before it leaves."""

    trip: Trip
    travellers: list[Traveller]
    passports: list[travel.PassportCheck]
    per_diem: travel.PerDiem
    budget_total: Decimal

    @property
    def missing(self) -> list[str]:
        """What still stops the delegation from leaving, one reason each."""
        missing = [
            f"{item} not done"
            for item in travel.CHECKLIST_ITEMS
            if not self.trip.checklist.get(item)
        ]
        missing += [f"{check.member}: {check.reason}" for check in self.passports if not check.ok]
        return missing


class Trips(UseCases):
    """Trips abroad, from the plan to the report."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        profile: Profile,
        passport_margin_months: int,
        clock: Clock = utcnow,
    ) -> None:
        super().__init__(unit_of_work, profile, clock)
        self.passport_margin_months = passport_margin_months

    def plan_trip(
        self,
        data: dict[str, Any],
        idempotent: IdempotentRequest | None,
        respond: Callable[[TripFile], StoredResponse],
    ) -> StoredResponse:
        """Plan a trip, usually from an approved invitation (its facts are the defaults)."""
        members = data.pop("members")

        def make(uow: UnitOfWork) -> TripFile:
            facts = dict(data)
            if data.get("invitation_id"):
                invitation = self.get(uow, Invitation, str(data["invitation_id"]), "invitation")
                if invitation.status != "approved":
                    raise Conflict(
                        f"Only an approved invitation leads to a trip; this one is "
                        f"{invitation.status}.",
                        field="invitation_id",
                        reason=f"the invitation is {invitation.status}",
                    )
                facts["invitation_id"] = invitation.id
                # A protected invitation's title is its letter's subject: the trip, which
                # more people read, is named neutrally unless the officer names it.
                title = (
                    neutral_title(invitation.confidentiality, invitation.registration_number)
                    if is_protected(invitation.confidentiality)
                    else invitation.title
                )
                for name, value in (
                    ("title", title),
                    ("city", invitation.city),
                    ("country", invitation.country),
                    ("partner_id", invitation.partner_id),
                    ("departs_on", invitation.starts_on),
                    ("returns_on", invitation.ends_on),
                ):
                    if facts.get(name) is None:
                        facts[name] = value
            for name in ("title", "city", "country", "departs_on", "returns_on"):
                if facts.get(name) is None:
                    raise InvalidInput(
                        f"{name} is needed (the invitation does not say).",
                        field=name,
                        reason="Missing data for required field.",
                    )
            check_dates(facts["departs_on"], facts["returns_on"], "returns_on")
            self.check_partner(uow, facts.get("partner_id"))
            if facts.get("partner_id"):
                facts["partner_id"] = str(facts["partner_id"])
            trip = Trip(
                id=new_id(),
                status="planned",
                created_at=self.now(),
                checklist=travel.checklist(facts.pop("checklist", None) or {}),
                budget=travel.budget(facts.pop("budget", None) or {}),
                **facts,
            )
            uow.session.add(trip)
            uow.session.flush()
            self._replace_travellers(uow, trip, members)
            return self._file(uow, trip)

        return self.create(idempotent, make, respond)

    def trips(self, status: str | None = None) -> list[Trip]:
        """Trips by departure, the next first."""
        return self.query(repositories.trips, status)

    def trip(self, trip_id: str, principal: Principal) -> TripFile:
        """A trip with its travellers, checks and per diems; reading travellers is audited."""
        with self.transaction() as uow:
            return self._audited_file(uow, self.get(uow, Trip, trip_id, "trip"), principal)

    def update_trip(
        self,
        trip_id: str,
        changes: dict[str, Any],
        principal: Principal,
        expected_version: int | None,
    ) -> TripFile:
        """Change a trip's dates, checklist, budget, programme or travellers."""
        with self.transaction() as uow:
            trip = self.for_update(uow, Trip, trip_id, "trip", expected_version)
            if trip.status in ("reported", "cancelled"):
                raise Conflict(
                    f"A {trip.status} trip cannot be changed.",
                    field="status",
                    reason=f"the trip is {trip.status}",
                )
            members = changes.pop("members", None)
            if "checklist" in changes:
                changes["checklist"] = travel.checklist({**trip.checklist, **changes["checklist"]})
            if "budget" in changes:
                changes["budget"] = travel.budget({**trip.budget, **changes["budget"]})
            apply(trip, changes)
            check_dates(trip.departs_on, trip.returns_on, "returns_on")
            if members is not None:
                self._replace_travellers(uow, trip, members)
                # Travellers live in their own table; the trip's version (its ETag) must
                # still change when only they do.
                flag_modified(trip, "checklist")
            uow.session.flush()
            return self._audited_file(uow, trip, principal)

    def move_trip(
        self,
        trip_id: str,
        status: str,
        report: str | None,
        principal: Principal,
        expected_version: int | None,
    ) -> TripFile:
        """Move a trip on: approved (by a decider), under way (only when ready), returned,
        reported."""
        if status == "approved" and not principal.has_any(*DECIDERS):
            raise Forbidden("A trip is approved by the mayor, the mayor's office or the director.")
        with self.transaction() as uow:
            trip = self.for_transition(uow, Trip, trip_id, "trip", expected_version, status)
            file = self._file(uow, trip)
            if status == "under_way" and file.missing:
                raise Conflict(
                    "The delegation is not ready to leave: " + "; ".join(file.missing) + ".",
                    field="checklist",
                    reason="; ".join(file.missing),
                )
            self._check_dates(trip, status)
            if status == "reported":
                if not (report or trip.report):
                    raise InvalidInput(
                        "A report is needed after the return.",
                        field="report",
                        reason="Missing data for required field.",
                    )
                trip.report = report or trip.report
            trip.status = status
            uow.session.flush()
            return self._file(uow, trip)

    def _check_dates(self, trip: Trip, status: str) -> None:
        """A delegation leaves within its dates (returning early stays possible); leaving
        after the planned return is a change of dates first."""
        if status != "under_way":
            return
        today = self.today()
        if today < trip.departs_on:
            raise Conflict(
                f"The trip departs on {trip.departs_on.isoformat()}; today is "
                f"{today.isoformat()}: it cannot be {status} yet.",
                field="status",
                reason=f"{status} before the departure date",
            )
        if today > trip.returns_on:
            raise Conflict(
                f"The trip was to return on {trip.returns_on.isoformat()}; change "
                "its dates before it leaves.",
                field="status",
                reason="under_way after the return date",
            )

    def _replace_travellers(
        self, uow: UnitOfWork, trip: Trip, members: list[dict[str, Any]]
    ) -> None:
        if sum(bool(member.get("head")) for member in members) > 1:
            raise InvalidInput(
                "A delegation has one head.",
                field="members",
                reason="more than one member is the head",
            )
        uow.session.execute(delete(Traveller).where(Traveller.trip_id == trip.id))
        for member in members:
            uow.session.add(Traveller(id=new_id(), trip_id=trip.id, **member))
        uow.session.flush()

    def _audited_file(self, uow: UnitOfWork, trip: Trip, principal: Principal) -> TripFile:
        """The trip's file, its travellers' reading by ``principal`` recorded in the audit."""
        file = self._file(uow, trip)
        self.audit(
            uow,
            principal,
            "traveller",
            [t.id for t in file.travellers],
            people={t.id: t.name for t in file.travellers},
        )
        return file

    def _file(self, uow: UnitOfWork, trip: Trip) -> TripFile:
        travellers = repositories.travellers(uow.session, trip.id)
        passports = [
            travel.check_passport(
                t.name,
                t.passport_expires_on,
                trip.returns_on,
                trip.country,
                self.passport_margin_months,
            )
            for t in travellers
        ]
        allowance = travel.per_diem(trip.country, trip.departs_on, trip.returns_on, len(travellers))
        total = sum((Decimal(value) for value in trip.budget.values()), Decimal(0))
        return TripFile(trip, travellers, passports, allowance, total + allowance.total)
