"""Protocol-events benchmark: reception slots for 20 officials over a year, against baselines.

Each of 20 officials has three weekly windows (one crossing the lunch break,
one on the short Friday, one plain morning; 15 to 30-minute slots), laid on
the Alytus calendar (Lithuanian holidays, Friday 08:00–15:45, lunch
12:00–12:45) for the whole of 2026. Per round it times, in the same process:

- service: ``generate_slots`` for every official with one shared ``DayPeriods``
  (a day's working periods computed once for all officials), as the service
  does;
- no day cache: the same generator with a fresh ``DayPeriods`` per official;
- naive: a plain loop asking ``WorkingCalendar.working_periods`` for every
  window of every day and stepping minute by minute.

Prints slots/s, p50/p95/p99 per official-year and the ratios.

    .venv/bin/python bench/slot_generation.py --rounds 20
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from chancery.calendar import WorkingCalendar
from chancery.profiles.loading import load_profile
from protocol_events.domain.slots import DayPeriods, ReceptionWindow, generate_slots

OFFICIALS = 20
FIRST, LAST = date(2026, 1, 1), date(2026, 12, 31)


def windows_of(official: int) -> list[ReceptionWindow]:
    """Three weekly windows, varied per official."""
    minutes = (15, 20, 30)[official % 3]
    return [
        ReceptionWindow(official % 4, clock(11, 0), clock(14, 0), minutes),
        ReceptionWindow(4, clock(13, 0), clock(16, 0), minutes),
        ReceptionWindow((official + 2) % 4, clock(8, 0), clock(10, 0), minutes),
    ]


def naive(calendar: WorkingCalendar, windows: Sequence[ReceptionWindow]) -> int:
    """The obvious loop: ask the calendar per window and day, step a minute at a time."""
    zone = ZoneInfo(calendar.time_zone)
    count, day = 0, FIRST
    while day <= LAST:
        for window in windows:
            if not window.applies(day):
                continue
            periods = calendar.working_periods(day)
            moment = datetime.combine(day, window.start, tzinfo=zone)
            closes = datetime.combine(day, window.end, tzinfo=zone)
            while moment + timedelta(minutes=window.slot_minutes) <= closes:
                end = moment + timedelta(minutes=window.slot_minutes)
                if any(start <= moment and end <= stop for start, stop in periods):
                    count += 1
                    moment = end
                else:
                    moment += timedelta(minutes=1)
        day += timedelta(days=1)
    return count


def run(label: str, rounds: int, one: Callable[[int], int]) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    slots = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for official in range(OFFICIALS):
            t0 = time.perf_counter()
            slots += one(official)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    rate = slots / elapsed
    print(
        f"{label:<14} {rate:>12,.0f} slots/s   per official-year p50 "
        f"{percentile(latencies, 0.5) * 1000:6.2f} ms  p95 "
        f"{percentile(latencies, 0.95) * 1000:6.2f} ms  p99 "
        f"{percentile(latencies, 0.99) * 1000:6.2f} ms   ({slots // rounds:,} slots/round)"
    )
    return rate, latencies, slots // rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    profile = load_profile("alytus")
    calendar = profile.calendar()
    windows = [windows_of(i) for i in range(OFFICIALS)]
    for year in (2025, 2026):  # load the holiday tables once, outside the timing
        calendar.is_working_day(date(year, 6, 1))

    shared = DayPeriods(calendar)
    service, _, per_round = run(
        "service", args.rounds, lambda i: len(generate_slots(shared, windows[i], FIRST, LAST).slots)
    )
    uncached, _, check = run(
        "no day cache",
        args.rounds,
        lambda i: len(generate_slots(DayPeriods(calendar), windows[i], FIRST, LAST).slots),
    )
    baseline, _, naive_count = run(
        "naive loop", max(1, args.rounds // 4), lambda i: naive(calendar, windows[i])
    )
    assert per_round == check == naive_count, (per_round, check, naive_count)
    print(f"ratio service / no day cache: {service / uncached:.2f}")
    print(f"ratio service / naive loop:   {service / baseline:.2f}")


if __name__ == "__main__":
    main()
