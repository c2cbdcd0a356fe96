"""The statistics' periods and tallies: local weeks or months, counts per dimension
(decision 40)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """One bucket of the statistics: its label and its local days ``[first, after)``."""

    label: str
    first: date
    after: date


@dataclass(frozen=True)
class TallyGroup:
    """How many letters of one period share a kind, addressee, status and channel."""

    period: str
    kind: str
    addressee_kind: str | None
    status: str
    channel: str | None
    count: int


def period_of(day: date, group: str) -> str:
    """The bucket a day falls in: ISO week ``2026-W47`` or month ``2026-11``."""
    if group == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{day.year}-{day.month:02d}"


def periods(start: date, end: date, group: str) -> list[Period]:
    """The weeks (Monday first) or months covering ``start``..``end``, cut to that range.

    Local days, oldest first: the database counts each period between the UTC
    instants of its first local midnight and the next period's, so a letter
    falls in the period of its local date whatever the UTC offset that day.
    """
    found = []
    first = start
    while first <= end:
        if group == "week":
            after = first + timedelta(days=7 - first.weekday())
        else:
            after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        after = min(after, end + timedelta(days=1))
        found.append(Period(period_of(first, group), first, after))
        first = after
    return found


def tally(groups: Iterable[TallyGroup]) -> list[dict]:
    """Counts by kind, addressee, status and channel per period, oldest first."""
    return tally_of_marginals(
        Marginal(group.period, dimension, value, group.count)
        for group in groups
        for dimension, value in (
            ("kind", group.kind),
            ("addressee", group.addressee_kind or "none"),
            ("status", group.status),
            ("channel", group.channel or "none"),
        )
    )


# The daily tally (decision 0065): what a letter adds to the counts, kept on every write.
DIMENSIONS = ("kind", "addressee", "status", "channel")
Counted = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CountedColumns:
    """The columns of a letter the statistics count it by."""

    direction: str
    status: str
    kind: str
    addressee_kind: str | None
    channel: str | None


def counted(columns: CountedColumns | None) -> Counted:
    """The (dimension, value) pairs a letter adds one to: none when it is outgoing, voided
    or absent (``None``: not yet written, or deleted)."""
    if columns is None or columns.direction != "incoming" or columns.status == "voided":
        return ()
    return (
        ("kind", columns.kind),
        ("addressee", columns.addressee_kind or "none"),
        ("status", columns.status),
        ("channel", columns.channel or "none"),
    )


def changes(before: CountedColumns | None, after: CountedColumns | None) -> Counter:
    """What a write changes in the tally: +1 or -1 per (dimension, value), zeros left out."""
    delta: Counter = Counter(counted(after))
    delta.subtract(Counter(counted(before)))
    return Counter({pair: count for pair, count in delta.items() if count})


@dataclass(frozen=True)
class Marginal:
    """How many letters of one period have one value of one dimension (the tally's sums)."""

    period: str
    dimension: str
    value: str
    count: int


def tally_of_marginals(marginals: Iterable[Marginal]) -> list[dict]:
    """The same counts as :func:`tally`, from the daily tally's sums per period; a
    period's total is the sum over its kinds (every counted letter has one)."""
    buckets: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {dimension: Counter() for dimension in DIMENSIONS}
    )
    for marginal in marginals:
        if marginal.count:
            buckets[marginal.period][marginal.dimension][marginal.value] += marginal.count
    return [
        {
            "period": period,
            "total": sum(buckets[period]["kind"].values()),
            **{name: dict(sorted(counter.items())) for name, counter in buckets[period].items()},
        }
        for period in sorted(buckets)
    ]
