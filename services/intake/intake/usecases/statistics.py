"""The statistics: incoming letters counted in the database per local period, never described."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import CTE, Date, String, and_, func, literal, select, union_all
from sqlalchemy.types import TypeEngine

from chancery.db import UTCDateTime
from chancery.principal import Principal
from intake.adapters.models import Letter, LetterTally
from intake.adapters.repositories import department_scope
from intake.domain import statistics
from intake.domain.statistics import Period
from intake.usecases import LetterUseCase


class Statistics(LetterUseCase):
    """Counts of incoming letters per local week or month (decision 40)."""

    def statistics(
        self, start: date, end: date, group: str, principal: Principal
    ) -> list[dict[str, Any]]:
        """Counts of incoming letters by kind, addressee, status and channel per week or month.

        Counts only, so the same for every reader of the same scope: protected
        letters are counted (never described) whatever the reader's clearance;
        a voided registration is not a letter and is not counted.
        """
        buckets = statistics.periods(start, end, group)
        if not buckets:
            return []
        if principal.sees_every_department:
            return self._from_tally(buckets)
        period = _ranges(buckets, "period", UTCDateTime(), self._day_start)
        counted = (Letter.kind, Letter.addressee_kind, Letter.status, Letter.channel)
        # Grouped in the database over the index on (registered_at, direction, status,
        # kind, addressee_kind, channel): one range scan per period, no letter loaded.
        query = department_scope(
            select(period.c.label, *counted, func.count())
            .select_from(Letter)
            .join(
                period,
                and_(Letter.registered_at >= period.c.starts, Letter.registered_at < period.c.ends),
            )
            .where(Letter.direction == "incoming", Letter.status != "voided"),
            principal,
        )
        query = query.group_by(period.c.label, *counted)
        with self._uow() as uow:
            groups = [statistics.TallyGroup(*row) for row in uow.session.execute(query)]
        return statistics.tally(groups)

    def _from_tally(self, buckets: list[Period]) -> list[dict[str, Any]]:
        """The counts summed from the daily tally (decision 0065): a few rows per day, not a
        row per letter. Its days are local, so a period is the days ``[first, after)``."""
        days = _ranges(buckets, "days", Date(), lambda day: day)
        query = (
            select(
                days.c.label,
                LetterTally.dimension,
                LetterTally.value,
                func.sum(LetterTally.letters),
            )
            .select_from(LetterTally)
            .join(days, and_(LetterTally.day >= days.c.starts, LetterTally.day < days.c.ends))
            .group_by(days.c.label, LetterTally.dimension, LetterTally.value)
        )
        with self._uow() as uow:
            rows = [statistics.Marginal(*row) for row in uow.session.execute(query)]
        return statistics.tally_of_marginals(rows)


def _ranges(
    buckets: list[Period], name: str, bound_type: TypeEngine[Any], bound: Callable[[date], Any]
) -> CTE:
    """The periods as rows ``(label, starts, ends)``, each bound ``bound(day)`` of
    ``bound_type``: UTC instants for the letters, local days for the tally.

    A UNION ALL of literal rows: SQLite has no VALUES with column names."""
    return union_all(
        *(
            select(
                literal(bucket.label, String()).label("label"),
                literal(bound(bucket.first), bound_type).label("starts"),
                literal(bound(bucket.after), bound_type).label("ends"),
            )
            for bucket in buckets
        )
    ).cte(name)
