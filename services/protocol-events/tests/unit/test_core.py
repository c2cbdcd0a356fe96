"""The plain core: the event's life, resource clashes, slots and precedence (no server)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from chancery.profiles.loading import load_profile
from protocol_events.domain import lifecycle
from protocol_events.domain.conflicts import Booking, clashes, describe_clash, overlaps
from protocol_events.domain.precedence import Precedence, Rank, Seatable, default_ranks, ranks_from
from protocol_events.domain.slots import DayPeriods, ReceptionWindow, generate_slots

ALYTUS = load_profile("alytus")


# The event's life ------------------------------------------------------------------------


def test_the_happy_path_runs_from_draft_to_reported():
    status = "draft"
    for target in ("planned", "confirmed", "held", "reported"):
        lifecycle.EVENT.check(status, target)
        status = target
    assert lifecycle.allowed_moves("reported") == ()


@pytest.mark.parametrize("current", ["draft", "planned", "confirmed"])
def test_an_event_can_be_cancelled_until_it_is_held(current):
    lifecycle.EVENT.check(current, "cancelled")


def test_an_impossible_move_names_the_current_status_and_the_possible_moves():
    with pytest.raises(lifecycle.ImpossibleTransition) as refused:
        lifecycle.EVENT.check("draft", "held")
    assert refused.value.status == 409
    assert "An event that is draft cannot become held" in refused.value.detail
    assert "planned, cancelled" in refused.value.detail


@pytest.mark.parametrize(
    ("current", "target"),
    [("held", "cancelled"), ("cancelled", "planned"), ("reported", "held"), ("confirmed", "draft")],
)
def test_moves_out_of_order_are_refused(current, target):
    with pytest.raises(lifecycle.ImpossibleTransition):
        lifecycle.EVENT.check(current, target)


def test_final_statuses_say_so():
    with pytest.raises(lifecycle.ImpossibleTransition, match="nothing \\(it is final\\)"):
        lifecycle.EVENT.check("cancelled", "confirmed")


# Resource clashes ------------------------------------------------------------------------

T0 = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)


def booking(
    booking_id: str, hours: tuple[float, float], resource: str = "hall", item: str | None = None
) -> Booking:
    return Booking(
        booking_id,
        resource,
        f"event-{booking_id}",
        f"Priėmimas {booking_id}",
        T0 + timedelta(hours=hours[0]),
        T0 + timedelta(hours=hours[1]),
        item,
        "Pietūs" if item else None,
    )


def test_back_to_back_bookings_do_not_overlap():
    assert not overlaps(
        T0, T0 + timedelta(hours=1), T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    )
    assert overlaps(
        T0, T0 + timedelta(hours=1), T0 + timedelta(minutes=59), T0 + timedelta(hours=2)
    )


def test_clashes_are_the_overlapping_bookings_of_the_same_resource_earliest_first():
    existing = [
        booking("b", (3, 5)),
        booking("a", (0, 2)),
        booking("c", (0, 9), "car"),
        booking("d", (6, 7)),
    ]
    found = clashes(existing, "hall", T0 + timedelta(hours=1), T0 + timedelta(hours=4))
    assert [b.booking_id for b in found] == ["a", "b"]
    assert (
        clashes(
            existing, "hall", T0 + timedelta(hours=1), T0 + timedelta(hours=4), ignore=["a", "b"]
        )
        == []
    )


def test_a_clash_names_the_event_or_item_and_the_times():
    sentence = describe_clash(
        "Posėdžių salė", booking("x", (1, 2), item="item-7"), ZoneInfo("Europe/Vilnius")
    )
    # Names and the municipality's local time, never ids or UTC.
    assert sentence == (
        "Posėdžių salė is already booked by programme item “Pietūs” of event "
        "“Priėmimas x” on 2026-05-04 from 11:00 to 12:00 (EEST)."
    )


# Slots -----------------------------------------------------------------------------------


def local_times(plan, day: date) -> list[str]:
    return [
        f"{s.starts_at:%H:%M}-{s.ends_at:%H:%M}" for s in plan.slots if s.starts_at.date() == day
    ]


def test_slots_skip_a_public_holiday_and_say_why():
    days = DayPeriods(ALYTUS.calendar())
    wednesday = ReceptionWindow(2, time(9, 0), time(11, 0), 30)
    plan = generate_slots(days, [wednesday], date(2026, 3, 9), date(2026, 3, 22))
    # 11 March (Restoration of Independence Day) is closed; 18 March has its four slots.
    assert local_times(plan, date(2026, 3, 11)) == []
    assert local_times(plan, date(2026, 3, 18)) == [
        "09:00-09:30",
        "09:30-10:00",
        "10:00-10:30",
        "10:30-11:00",
    ]
    assert [(d, r.startswith("public holiday")) for d, r in plan.closed_days] == [
        (date(2026, 3, 11), True)
    ]


def test_slots_end_with_the_short_friday_and_go_round_lunch():
    days = DayPeriods(ALYTUS.calendar())
    windows = [
        ReceptionWindow(4, time(14, 0), time(16, 0), 20),
        ReceptionWindow(0, time(11, 0), time(14, 0), 30),
    ]
    plan = generate_slots(days, windows, date(2026, 3, 9), date(2026, 3, 13))
    # Friday closes at 15:45: the 15:40 slot would run past it.
    assert local_times(plan, date(2026, 3, 13)) == [
        "14:00-14:20",
        "14:20-14:40",
        "14:40-15:00",
        "15:00-15:20",
        "15:20-15:40",
    ]
    # Lunch is 12:00-12:45: reception continues right after it.
    assert local_times(plan, date(2026, 3, 9)) == [
        "11:00-11:30",
        "11:30-12:00",
        "12:45-13:15",
        "13:15-13:45",
    ]
    assert all(s.starts_at.utcoffset() == timedelta(hours=2) for s in plan.slots)


def test_a_window_outside_its_validity_gives_no_slots_and_weekends_none():
    days = DayPeriods(ALYTUS.calendar())
    windows = [
        ReceptionWindow(0, time(9, 0), time(10, 0), 30, valid_from=date(2026, 3, 16)),
        ReceptionWindow(5, time(9, 0), time(10, 0), 30),
    ]
    plan = generate_slots(days, windows, date(2026, 3, 9), date(2026, 3, 16))
    assert [f"{s.starts_at:%d %H:%M}" for s in plan.slots] == ["16 09:00", "16 09:30"]
    assert plan.closed_days == [(date(2026, 3, 14), "Saturday")]


def test_a_window_refuses_nonsense():
    with pytest.raises(ValueError, match="start before it ends"):
        ReceptionWindow(0, time(10, 0), time(9, 0), 30)
    with pytest.raises(ValueError, match="5 to 240"):
        ReceptionWindow(0, time(9, 0), time(10, 0), 1)


# Precedence ------------------------------------------------------------------------------


def person(pid: str, name: str, rank: str | None, guest: bool = True, **flags: bool) -> Seatable:
    return Seatable(pid, name, rank, guest, **flags)


def test_seating_explains_every_place():
    precedence = Precedence(default_ranks())
    people = [
        person("dm", "Ilze Ozoliņa", "deputy_mayor", guest=False),
        person("amb", "Arbër Hoxha", "ambassador"),
        person("host", "Rimantas Vaitkūnas", "mayor", guest=False, host=True),
        person("goh", "გიორგი ბერიძე", "foreign_mayor", guest_of_honour=True),
    ]
    seating = precedence.seating(people)
    assert [p.participant_id for p in seating] == ["host", "goh", "amb", "dm"]
    assert [p.seat for p in seating] == ["centre", "right 1", "left 1", "right 2"]
    assert seating[0].reason == "1st: the host (mayor) sits at the centre"
    assert seating[1].reason.startswith("2nd: the host's guest of honour")
    assert seating[1].reason.endswith("seated right of the host")
    assert seating[2].reason == (
        "3rd: ambassador ranks above deputy mayor in the protocol list; seated left of the host"
    )
    assert seating[3].reason == (
        "4th: deputy mayor ranks below ambassador in the protocol "
        "list; seated 2nd to the right of the host"
    )


def test_at_equal_rank_guests_come_first_then_names_in_a_sensible_order():
    precedence = Precedence(default_ranks())
    people = [
        person("z", "Zigmas Žukauskas", "council_member", guest=False),
        person("c2", "Čepaitė Rūta", "council_member", guest=False),
        person("c1", "Cepaitė Asta", "council_member", guest=False),
        person("g", "Ģirts Ābele", "council_member", guest=True),
    ]
    ordered = [p.participant_id for p in precedence.ordered(people)]
    # The guest first; "Č" sorts with "C", not after "Z".
    assert ordered == ["g", "c1", "c2", "z"]
    seating = precedence.seating(people)
    assert "guests precede their hosts" in seating[0].reason
    assert "alphabetical order of names" in seating[1].reason
    assert seating[0].seat == "centre"


def test_georgian_names_sort_in_their_alphabet_and_latin_letters_with_their_base():
    # Mkhedruli's code points follow the alphabet; a letter with a diacritic sorts with its
    # base letter (no per-language collation: Albanian "ë" is not placed after "e").
    precedence = Precedence(default_ranks())
    names = ["ნინო", "ანა", "გიორგი", "Erion", "Dritë", "Arta", "Ūla"]
    people = [person(str(i), name, "guest") for i, name in enumerate(names)]
    assert [p.name for p in precedence.ordered(people)] == [
        "Arta",
        "Dritë",
        "Erion",
        "Ūla",
        "ანა",
        "გიორგი",
        "ნინო",
    ]


def test_an_unknown_rank_goes_last_with_the_reason():
    precedence = Precedence(default_ranks())
    seating = precedence.seating(
        [person("x", "Anna", "court_jester"), person("y", "Berta", "guest")]
    )
    assert [p.participant_id for p in seating] == ["y", "x"]
    assert "rank “court_jester” is not in the protocol list" in seating[1].reason


def test_speaking_order_the_host_opens_then_speakers_by_precedence():
    precedence = Precedence(default_ranks())
    speaking = precedence.speaking(
        [
            person("m", "Mayor", "mayor", guest=False, host=True),
            person("d", "Deputy", "deputy_mayor", guest=False, speaks=True),
            person("a", "Ambassador", "ambassador", speaks=True),
            person("q", "Quiet", "minister"),
        ]
    )
    assert [p.participant_id for p in speaking] == ["m", "a", "d"]
    assert speaking[0].reason == "1st: the host opens"
    assert speaking[1].reason == "2nd: ambassador ranks above deputy mayor in the protocol list"


def test_a_replaced_list_changes_the_order_and_repeated_codes_are_refused():
    custom = Precedence(
        [Rank("deputy_mayor", {"en": "deputy mayor"}), Rank("ambassador", {"en": "ambassador"})]
    )
    people = [person("a", "A", "ambassador"), person("d", "D", "deputy_mayor", guest=False)]
    assert [p.participant_id for p in custom.ordered(people)] == ["d", "a"]
    with pytest.raises(ValueError, match="repeat: mayor"):
        ranks_from([{"code": "mayor"}, {"code": "mayor"}])


def test_a_participant_sharing_the_guest_of_honours_rank_is_not_called_the_only_one():
    precedence = Precedence(default_ranks())
    seating = precedence.seating(
        [
            person("host", "Rimantas Vaitkūnas", "mayor", guest=False, host=True),
            person("goh", "გიორგი ბერიძე", "foreign_mayor", guest_of_honour=True),
            person("other", "Arbër Hoxha", "foreign_mayor"),
        ]
    )
    assert [p.participant_id for p in seating] == ["host", "goh", "other"]
    assert "the only participant" not in seating[2].reason
    assert seating[2].reason.startswith(
        "3rd: same rank as გიორგი ბერიძე (mayor of a partner city), the host's guest of honour"
    )
    # Alone at a rank, the old wording stays true.
    alone = precedence.seating(
        [
            person("goh", "გიორგი ბერიძე", "foreign_mayor", guest_of_honour=True),
            person("amb", "Arbër Hoxha", "ambassador"),
        ]
    )
    assert alone[1].reason.startswith("2nd: ambassador, the only participant of a listed rank")


def test_slots_end_with_the_day_shortened_before_a_public_holiday():
    # 24 December is a public holiday in Lithuania: Wednesday 23 December 2026 ends an hour
    # early (16:00), so no slot at 16:40; the Wednesday before keeps its full day.
    days = DayPeriods(ALYTUS.calendar())
    wednesday = ReceptionWindow(2, time(15, 0), time(17, 0), 20)
    plan = generate_slots(days, [wednesday], date(2026, 12, 16), date(2026, 12, 23))
    assert local_times(plan, date(2026, 12, 23)) == ["15:00-15:20", "15:20-15:40", "15:40-16:00"]
    assert "16:40-17:00" in local_times(plan, date(2026, 12, 16))


def test_a_places_reason_is_also_given_as_codes_with_rank_names_in_every_language():
    precedence = Precedence(default_ranks())
    seating = precedence.seating(
        [
            Seatable("h", "Rasa Kairienė", "mayor", guest=False, host=True),
            Seatable("a", "ნინო ბერიძე", "ambassador", guest=True),
            Seatable("d", "Jonas Jonaitis", "deputy_mayor", guest=False),
        ]
    )
    host, first, second = (place.explanation for place in seating)
    assert host["why"] == "host"
    assert host["rank"]["en"] == "mayor"
    assert (first["position"], first["why"], first["where"], first["side"], first["of"]) == (
        2,
        "ranks_above",
        "beside",
        "right",
        "host",
    )
    assert first["other_rank"]["en"] == "deputy mayor"
    assert len(first["rank"]) > 1, "the rank's names in the list's languages, not English only"
    assert (second["why"], second["where"], second["side"]) == ("ranks_below", "beside", "left")
