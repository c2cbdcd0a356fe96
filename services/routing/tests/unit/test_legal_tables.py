"""Each country's legal calendar against cases computed by hand, the reasoning beside each.

The profiles' rules (see docs/municipalities.md):

* Lithuania (Alytus): 20 working days (complaints +10, information requests +20 counted
  from the due date); forwarding 5 working days; Mon-Thu 08:00-17:00, Fri until 15:45,
  one hour shorter the working day before a public holiday; a letter after hours or on a
  closed day counts from the next working day.
* Latvia (Daugavpils): until 2026-02-28 one month, extendable to four months from receipt,
  forwarding 7 working days; from 2026-03-01 ten working days, a complex case one month
  from receipt, forwarding 5 working days; information requests 15 calendar days; Mon
  08:00-18:00, Tue-Thu until 17:00, Fri until 16:00, one hour shorter before a public
  holiday; Saturdays 2026-01-17 and 2026-06-27 are worked for 2026-01-02 and 2026-06-22;
  after hours or closed days count from the next working day, and the law in force is the
  one of that day.
* Georgia (Lagodekhi): applications 15 calendar days (one month from the application where
  third parties are affected), complaints one month, public information 10 days, other
  letters 15 days, forwarding 5 days; 2026-01-05 and 2026-01-06 are days off by decree;
  counting runs from the arrival date even when it is a closed day.
* Albania (Vlora): applications, complaints and other letters 30 calendar days,
  information requests 10 working days (+5), forwarding 10 calendar days; counting runs
  from the arrival date.

Holidays (holidays package, checked against the calendars): LT 2026-01-01, 02-16, 03-11,
04-05/06, 05-01, 06-24, 07-06, 08-15 (Sat), 11-01/02, 12-24/25/26, 2027-01-01, 02-16,
03-11. LV 2026-01-01, 01-02 (day off), 04-03, 04-05/06, 05-01, 05-04, 06-22 (day off),
06-23/24, 11-18, 12-24/25/26, 12-31, 2027-01-01. GE 2026-01-01/02, 01-07, 01-19, 03-03,
03-08, 04-09, 04-10..13, 05-09, 05-12, 05-17, 05-26, 08-28, 10-14, 11-23, 2027-01-01/02,
01-07. AL 2026-01-01/02, 03-14, 03-16, 03-20, 03-22/23, 04-05/06, 04-12/13, 05-01, 05-27,
09-05, 09-07, 11-22/23, 11-28..12-01, 12-08, 12-25, 2027-01-01, 01-02, 01-04.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from chancery.calendar import DayException, WorkingCalendar
from chancery.profiles import Profile
from chancery.profiles.loading import load_profile
from routing.domain.deadlines import answer_deadline, extended, forwarding_deadline


@dataclass(frozen=True)
class Case:
    """One hand-computed case: ``op`` is answer, forward or extend (answer, then extended)."""

    op: str
    kind: str
    received: str  # local wall-clock time, "YYYY-MM-DD HH:MM"
    due: str
    why: str
    declared: tuple[DayException, ...] = ()


def off(day: str, reason: str = "Day off by government decision") -> DayException:
    return DayException(date.fromisoformat(day), False, reason, "Decree No. 1 (test)")


def worked(day: str, reason: str = "Working day by government decision") -> DayException:
    return DayException(date.fromisoformat(day), True, reason, "Decree No. 2 (test)")


LITHUANIA = [
    Case(
        "answer",
        "application",
        "2026-12-23 10:00",
        "2027-01-25",
        "23 Dec is a working day (short, until 16:00); Dec 24-27 closed; Dec 28-31 (4), "
        "Jan 1 holiday, Jan 4-8 (9), 11-15 (14), 18-22 (19), Jan 25 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-12-23 16:30",
        "2027-01-26",
        "16:30 is after the shortened day's 16:00: counts from Mon Dec 28; Dec 29-31 (3), "
        "Jan 4-8 (8), 11-15 (13), 18-22 (18), 25 (19), 26 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-12-23 15:59",
        "2027-01-25",
        "one minute before the shortened close: received on 23 Dec",
    ),
    Case(
        "answer",
        "application",
        "2026-12-22 16:30",
        "2027-01-22",
        "22 Dec is a full day (until 17:00): Dec 23 (1), 28-31 (5), Jan 4-8 (10), 11-15 (15), "
        "18-22 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-03-14 11:00",
        "2026-04-14",
        "Saturday: counts from Mon Mar 16; Mar 17-20 (4), 23-27 (9), 30-Apr 3 (14), Easter "
        "Monday Apr 6 skipped, Apr 7-10 (18), 13, 14 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-03-16 07:00",
        "2026-04-14",
        "before opening: in the office when work starts, received that day",
    ),
    Case(
        "answer",
        "application",
        "2026-03-16 12:20",
        "2026-04-14",
        "in the lunch break: still before the day's close, received that day",
    ),
    Case(
        "forward",
        "application",
        "2026-03-10 09:30",
        "2026-03-18",
        "Mar 11 holiday; Mar 12, 13, 16, 17, 18 (5)",
    ),
    Case(
        "forward",
        "application",
        "2026-03-10 16:15",
        "2026-03-19",
        "10 Mar closes at 16:00 before the 11 Mar holiday: counts from Thu Mar 12; "
        "Mar 13, 16, 17, 18, 19 (5)",
    ),
    Case(
        "answer",
        "application",
        "2026-03-10 16:15",
        "2026-04-10",
        "counts from Mar 12; Mar 13 (1), 16-20 (6), 23-27 (11), 30-Apr 3 (16), Apr 6 "
        "skipped, 7-10 (20)",
    ),
    Case(
        "answer",
        "complaint",
        "2026-08-14 15:00",
        "2026-09-14",
        "Fri 14 Aug is the day before Assumption Day (Sat 15 Aug): closes 14:45, so counts "
        "from Mon Aug 17; Aug 18-21 (4), 24-28 (9), Aug 31-Sep 4 (14), 7-11 (19), 14 (20)",
    ),
    Case(
        "answer",
        "complaint",
        "2026-08-21 15:00",
        "2026-09-18",
        "an ordinary Friday (until 15:45): Aug 24-28 (5), Aug 31-Sep 4 (10), 7-11 (15), 14-18 (20)",
    ),
    Case(
        "extend",
        "complaint",
        "2026-12-23 10:00",
        "2027-02-08",
        "due Jan 25; ten more working days from Jan 26: 26-29 (4), Feb 1-5 (9), Feb 8 (10)",
    ),
    Case(
        "answer",
        "information_request",
        "2026-06-22 10:00",
        "2026-07-22",
        "Jun 23 (1), Jun 24 holiday, 25, 26 (3), Jun 29-Jul 3 (8), Jul 6 Statehood Day, "
        "7-10 (12), 13-17 (17), 20-22 (20)",
    ),
    Case(
        "answer",
        "information_request",
        "2026-06-23 16:30",
        "2026-07-24",
        "23 Jun closes at 16:00 before St John's Day: counts from Thu Jun 25; Jun 26 (1), "
        "Jun 29-Jul 3 (6), Jul 6 skipped, 7-10 (10), 13-17 (15), 20-24 (20)",
    ),
    Case(
        "extend",
        "information_request",
        "2026-06-22 10:00",
        "2026-08-19",
        "due Jul 22; 20 more working days: Jul 23, 24 (2), 27-31 (7), Aug 3-7 (12), "
        "10-14 (17), 17-19 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-04-30 16:30",
        "2026-06-01",
        "30 Apr closes at 16:00 before 1 May: counts from Mon May 4; May 5-8 (4), 11-15 "
        "(9), 18-22 (14), 25-29 (19), Jun 1 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-04-30 15:30",
        "2026-05-29",
        "before the shortened close: received 30 Apr; May 1 holiday, May 4-8 (5), 11-15 "
        "(10), 18-22 (15), 25-29 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-12-31 16:30",
        "2027-02-01",
        "31 Dec closes at 16:00 before New Year: counts from Mon Jan 4; Jan 5-8 (4), 11-15 "
        "(9), 18-22 (14), 25-29 (19), Feb 1 (20)",
    ),
    Case(
        "answer",
        "application",
        "2027-02-15 16:30",
        "2027-03-18",
        "15 Feb closes at 16:00 before 16 Feb: counts from Wed Feb 17; Feb 18, 19 (2), "
        "22-26 (7), Mar 1-5 (12), 8-10 (15), Mar 11 holiday, 12 (16), 15-18 (20)",
    ),
    Case(
        "answer",
        "application",
        "2026-11-01 10:00",
        "2026-12-01",
        "All Saints' Day, then All Souls' Day: counts from Tue Nov 3; Nov 4-6 (3), 9-13 "
        "(8), 16-20 (13), 23-27 (18), Nov 30, Dec 1 (20)",
    ),
    Case(
        "forward", "application", "2026-12-23 10:00", "2027-01-04", "Dec 28, 29, 30, 31, Jan 4 (5)"
    ),
    Case(
        "answer",
        "application",
        "2026-03-10 09:30",
        "2026-04-10",
        "a day off by government decision on Fri 20 Mar moves the 20th working day from "
        "Apr 9 to Apr 10",
        (off("2026-03-20"),),
    ),
]

LATVIA = [
    Case(
        "answer",
        "application",
        "2026-02-27 10:00",
        "2026-03-27",
        "old law: one month from 27 Feb, Fri 27 Mar",
    ),
    Case(
        "answer",
        "application",
        "2026-02-28 10:00",
        "2026-03-16",
        "Saturday 28 Feb counts as received Mon 2 Mar, under the new law: ten working days, "
        "Mar 3-6 (4), 9-13 (9), 16 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-03-02 10:00",
        "2026-03-16",
        "new law: Mar 3-6 (4), 9-13 (9), 16 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-01-30 10:00",
        "2026-03-02",
        "one month from 30 Jan: February has no 30th, so Sat 28 Feb; rolls to Mon 2 Mar",
    ),
    Case(
        "answer",
        "application",
        "2026-01-31 10:00",
        "2026-03-02",
        "Saturday: counts from Mon 2 Feb (still the old law); one month: Mon 2 Mar",
    ),
    Case(
        "extend",
        "application",
        "2026-02-27 10:00",
        "2026-06-27",
        "old law: at most four months from receipt, 27 Jun, the Saturday worked for Mon 22 "
        "Jun: a working day",
    ),
    Case(
        "extend",
        "application",
        "2026-01-30 10:00",
        "2026-06-01",
        "four months from 30 Jan: Sat 30 May, rolls over Sunday to Mon 1 Jun (not three "
        "months after the first due date 2 Mar, which would be 2 Jun)",
    ),
    Case(
        "extend",
        "application",
        "2026-03-02 10:00",
        "2026-04-02",
        "new law, complex case: one month from receipt, Thu 2 Apr (not a month after the "
        "ten working days)",
    ),
    Case(
        "answer",
        "application",
        "2026-06-19 10:00",
        "2026-07-07",
        "Jun 22 day off, 23-24 holidays; Jun 25, 26 (2), Sat 27 worked (3), 29, 30 (5), "
        "Jul 1-3 (8), 6, 7 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-06-27 10:00",
        "2026-07-10",
        "received on the worked Saturday (Monday's hours 08-18): Jun 29, 30 (2), Jul 1-3 "
        "(5), 6-10 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-06-27 18:30",
        "2026-07-13",
        "after the worked Saturday's 18:00: counts from Mon Jun 29; Jun 30 (1), Jul 1-3 "
        "(4), 6-10 (9), 13 (10)",
    ),
    Case(
        "forward",
        "application",
        "2026-01-14 10:00",
        "2026-01-22",
        "old law, seven working days: Jan 15, 16, Sat 17 worked (3), 19-22 (7)",
    ),
    Case(
        "forward",
        "application",
        "2026-02-27 10:00",
        "2026-03-10",
        "old law, seven working days: Mar 2-6 (5), 9, 10 (7)",
    ),
    Case(
        "forward",
        "application",
        "2026-11-17 16:30",
        "2026-11-26",
        "17 Nov closes at 16:00 before Proclamation Day: counts from Thu Nov 19; five "
        "working days Nov 20, 23-26",
    ),
    Case(
        "answer",
        "application",
        "2026-11-17 16:30",
        "2026-12-03",
        "counts from Nov 19: Nov 20 (1), 23-27 (6), Nov 30-Dec 3 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-11-17 15:30",
        "2026-12-02",
        "before the shortened close: Nov 18 holiday, 19, 20 (2), 23-27 (7), Nov 30-Dec 2 (10)",
    ),
    Case(
        "answer",
        "information_request",
        "2026-12-23 16:30",
        "2027-01-12",
        "23 Dec closes at 16:00: counts from Mon Dec 28; 15 calendar days: Tue 12 Jan",
    ),
    Case(
        "answer",
        "information_request",
        "2026-12-11 10:00",
        "2026-12-28",
        "15 calendar days: Sat 26 Dec (Second Day of Christmas), Sunday, Mon 28 Dec",
    ),
    Case(
        "answer",
        "application",
        "2026-12-23 10:00",
        "2027-01-12",
        "Dec 24-27 closed, 28-30 (3), Dec 31 and Jan 1 holidays, Jan 4-8 (8), 11, 12 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-01-01 12:00",
        "2026-02-05",
        "New Year's Day, then the 2 Jan day off and the weekend: counts from Mon 5 Jan; "
        "one month: Thu 5 Feb",
    ),
    Case(
        "answer",
        "application",
        "2026-04-02 16:30",
        "2026-04-21",
        "2 Apr closes at 16:00 before Good Friday: counts from Tue Apr 7; Apr 8-10 (3), "
        "13-17 (8), 20, 21 (10)",
    ),
    Case(
        "answer",
        "application",
        "2026-03-02 10:00",
        "2026-03-17",
        "a day off by government decision on Mon 9 Mar: Mar 3-6 (4), 10-13 (8), 16, 17 (10)",
        (off("2026-03-09"),),
    ),
]

GEORGIA = [
    Case(
        "answer",
        "application",
        "2026-04-09 11:00",
        "2026-04-24",
        "National Unity Day: counts from the arrival date; 15 days: Fri 24 Apr",
    ),
    Case(
        "answer",
        "application",
        "2026-01-03 10:00",
        "2026-01-20",
        "Saturday arrival counts; 15 days: Sun 18 Jan, then Epiphany 19 Jan: Tue 20 Jan",
    ),
    Case(
        "answer",
        "information_request",
        "2026-01-02 10:00",
        "2026-01-12",
        "a holiday arrival counts; 10 days: Mon 12 Jan",
    ),
    Case(
        "answer",
        "information_request",
        "2025-12-26 10:00",
        "2026-01-08",
        "10 days: Mon 5 Jan, a day off by decree, so is 6 Jan, 7 Jan is Christmas: Thu 8 Jan",
    ),
    Case(
        "answer",
        "information_request",
        "2026-01-01 10:00",
        "2026-01-12",
        "10 days: Sun 11 Jan, rolls to Mon 12 Jan",
    ),
    Case(
        "answer",
        "information_request",
        "2026-12-29 10:00",
        "2027-01-08",
        "10 days: Fri 8 Jan 2027 (7 Jan Christmas is not the last day)",
    ),
    Case("answer", "complaint", "2026-03-02 10:00", "2026-04-02", "one month: Thu 2 Apr"),
    Case(
        "answer",
        "complaint",
        "2026-03-31 10:00",
        "2026-04-30",
        "one month from 31 Mar: April has no 31st, Thu 30 Apr",
    ),
    Case(
        "answer",
        "complaint",
        "2026-01-31 10:00",
        "2026-03-02",
        "Saturday arrival counts; one month: Sat 28 Feb (clamped), Sunday, Mon 2 Mar",
    ),
    Case(
        "answer",
        "complaint",
        "2026-02-03 10:00",
        "2026-03-04",
        "one month: Tue 3 Mar, Mother's Day: Wed 4 Mar",
    ),
    Case(
        "answer",
        "application",
        "2026-04-24 10:00",
        "2026-05-11",
        "15 days: Sat 9 May (Victory Day), Sunday, Mon 11 May",
    ),
    Case(
        "extend",
        "application",
        "2026-04-09 11:00",
        "2026-05-11",
        "third parties affected: one month from the application, Sat 9 May, so Mon 11 May",
    ),
    Case(
        "answer",
        "application",
        "2026-04-27 10:00",
        "2026-05-13",
        "15 days: Tue 12 May, St Andrew's Day: Wed 13 May",
    ),
    Case("forward", "application", "2026-05-22 10:00", "2026-05-27", "5 days: Wed 27 May"),
    Case(
        "forward",
        "application",
        "2026-05-21 10:00",
        "2026-05-27",
        "5 days: Tue 26 May, Independence Day: Wed 27 May",
    ),
    Case(
        "answer",
        "letter",
        "2026-08-14 20:00",
        "2026-08-31",
        "after hours still counts from the arrival date; 15 days: Sat 29 Aug, Sunday, Mon 31 Aug",
    ),
    Case(
        "answer",
        "letter",
        "2026-08-13 10:00",
        "2026-08-31",
        "15 days: Fri 28 Aug, Dormition, then the weekend: Mon 31 Aug",
    ),
    Case(
        "answer",
        "information_request",
        "2026-10-04 10:00",
        "2026-10-15",
        "10 days: Wed 14 Oct, Svetitskhovloba: Thu 15 Oct",
    ),
    Case(
        "answer",
        "information_request",
        "2026-10-04 10:00",
        "2026-10-16",
        "an operator's decree day off on Thu 15 Oct: Fri 16 Oct",
        (off("2026-10-15"),),
    ),
    Case(
        "answer",
        "application",
        "2026-11-08 10:00",
        "2026-11-24",
        "15 days: Mon 23 Nov, St George's Day: Tue 24 Nov",
    ),
    Case("answer", "complaint", "2026-12-08 10:00", "2027-01-08", "one month: Fri 8 Jan 2027"),
    Case(
        "answer", "complaint", "2026-12-31 20:00", "2027-02-01", "one month: Sun 31 Jan, Mon 1 Feb"
    ),
    Case(
        "answer",
        "information_request",
        "2026-03-25 10:00",
        "2026-04-06",
        "10 days: Sat 4 Apr, Sunday, Mon 6 Apr",
    ),
    Case(
        "answer",
        "information_request",
        "2026-03-25 10:00",
        "2026-04-04",
        "Sat 4 Apr declared a working day: the term ends that day",
        (worked("2026-04-04"),),
    ),
]

ALBANIA = [
    Case(
        "answer",
        "application",
        "2026-03-14 10:00",
        "2026-04-14",
        "Summer Day arrival counts; 30 days: Mon 13 Apr (Orthodox Easter observed): Tue 14 Apr",
    ),
    Case(
        "answer",
        "application",
        "2026-03-13 15:00",
        "2026-04-14",
        "after Friday's 14:00 still counts from 13 Mar; 30 days: Sun 12 Apr (Orthodox "
        "Easter), Mon 13 Apr observed: Tue 14 Apr",
    ),
    Case("answer", "application", "2026-03-02 10:00", "2026-04-01", "30 days: Wed 1 Apr"),
    Case(
        "answer",
        "application",
        "2026-03-06 10:00",
        "2026-04-07",
        "30 days: Sun 5 Apr (Catholic Easter), Mon 6 Apr observed: Tue 7 Apr",
    ),
    Case(
        "answer",
        "complaint",
        "2026-04-27 10:00",
        "2026-05-28",
        "30 days: Wed 27 May, Eid al-Adha (estimated): Thu 28 May",
    ),
    Case(
        "answer",
        "complaint",
        "2026-04-01 10:00",
        "2026-05-04",
        "30 days: Fri 1 May, then the weekend: Mon 4 May",
    ),
    Case(
        "answer",
        "information_request",
        "2026-11-19 10:00",
        "2026-12-09",
        "ten working days: Nov 20 (1), 23 observed, 24-27 (5), Nov 30 and Dec 1 observed, "
        "Dec 2-4 (8), 7 (9), 8 Youth Day, 9 (10)",
    ),
    Case(
        "extend",
        "information_request",
        "2026-11-19 10:00",
        "2026-12-16",
        "due 9 Dec; five more working days: Dec 10, 11, 14, 15, 16",
    ),
    Case(
        "answer",
        "information_request",
        "2026-11-22 10:00",
        "2026-12-10",
        "Alphabet Day arrival counts: Nov 23 observed, 24-27 (4), Nov 30 and Dec 1 "
        "observed, Dec 2-4 (7), 7 (8), 8 holiday, 9, 10 (10)",
    ),
    Case(
        "answer",
        "information_request",
        "2026-03-13 15:00",
        "2026-04-01",
        "after hours counts from 13 Mar: Mar 16 observed, 17-19 (3), 20 Eid al-Fitr, 23 "
        "observed, 24-27 (7), 30, 31, Apr 1 (10)",
    ),
    Case(
        "forward",
        "application",
        "2026-12-19 10:00",
        "2026-12-29",
        "Saturday arrival counts; 10 days: Tue 29 Dec",
    ),
    Case(
        "forward",
        "application",
        "2026-12-15 10:00",
        "2026-12-28",
        "10 days: Fri 25 Dec (Christmas), then the weekend: Mon 28 Dec",
    ),
    Case(
        "answer",
        "letter",
        "2026-12-01 10:00",
        "2026-12-31",
        "an observed holiday's arrival counts; 30 days: Thu 31 Dec",
    ),
    Case(
        "answer",
        "letter",
        "2026-12-02 10:00",
        "2027-01-05",
        "30 days: Fri 1 Jan, Sat 2 Jan holidays, Sunday, Mon 4 Jan observed: Tue 5 Jan",
    ),
    Case(
        "answer",
        "application",
        "2026-01-31 10:00",
        "2026-03-02",
        "30 days from Sat 31 Jan: Mon 2 Mar",
    ),
    Case(
        "answer",
        "application",
        "2026-01-29 10:00",
        "2026-03-02",
        "30 days: Sat 28 Feb, Sunday: Mon 2 Mar",
    ),
    Case(
        "answer",
        "application",
        "2026-08-08 10:00",
        "2026-09-08",
        "30 days: Mon 7 Sep, Mother Teresa Day observed: Tue 8 Sep",
    ),
    Case(
        "answer",
        "application",
        "2026-03-02 10:00",
        "2026-04-02",
        "an operator's decree day off on Wed 1 Apr: Thu 2 Apr",
        (off("2026-04-01"),),
    ),
    Case(
        "answer",
        "complaint",
        "2026-10-29 10:00",
        "2026-12-02",
        "30 days: Sat 28 Nov (Flag Day), Sun 29 (Liberation Day), Mon 30 Nov and Tue 1 Dec "
        "observed: Wed 2 Dec",
    ),
    Case(
        "answer",
        "information_request",
        "2026-05-25 10:00",
        "2026-06-09",
        "May 26 (1), 27 Eid al-Adha, 28, 29 (3), Jun 1-5 (8), 8, 9 (10)",
    ),
    Case(
        "answer",
        "information_request",
        "2026-05-25 10:00",
        "2026-06-08",
        "Sat 6 Jun declared a working day: May 26 (1), 28, 29 (3), Jun 1-5 (8), Sat 6 (9), "
        "Mon 8 (10)",
        (worked("2026-06-06"),),
    ),
    Case(
        "forward",
        "application",
        "2026-09-25 20:00",
        "2026-10-05",
        "after hours counts from 25 Sep; 10 days: Mon 5 Oct",
    ),
]

TABLES = {"alytus": LITHUANIA, "daugavpils": LATVIA, "lagodekhi": GEORGIA, "vlora": ALBANIA}


@cache
def _profile(code: str) -> Profile:
    return load_profile(code)


def _due(profile: Profile, calendar: WorkingCalendar, case: Case) -> date:
    received = datetime.fromisoformat(case.received).replace(tzinfo=ZoneInfo(profile.time_zone))
    if case.op == "forward":
        return forwarding_deadline(profile, calendar, received).due
    deadline = answer_deadline(profile, calendar, case.kind, received)
    if case.op == "answer":
        return deadline.due
    return extended(calendar, received, deadline.due, deadline.extension, False).due


@pytest.mark.parametrize(
    ("code", "case"),
    [
        pytest.param(code, case, id=f"{code}-{case.op}-{case.kind}-{case.received}-{case.due}")
        for code, cases in TABLES.items()
        for case in cases
    ],
)
def test_hand_computed_case(code: str, case: Case) -> None:
    profile = _profile(code)
    calendar = profile.calendar(case.declared)
    assert _due(profile, calendar, case).isoformat() == case.due, case.why


@pytest.mark.parametrize("code", sorted(TABLES))
def test_every_country_has_at_least_twenty_cases(code: str) -> None:
    assert len(TABLES[code]) >= 20
