"""The desks' plain rules: due dates, the endorsement circuit from history, the dashboard."""

from __future__ import annotations

from datetime import date

from staff_web.charts import Chart, Series
from staff_web.work import circuit_rounds, due_state, namings, on_time_series

TODAY = date(2026, 12, 1)


def test_due_dates_are_overdue_due_soon_or_nothing():
    assert due_state("2026-11-30", TODAY) == "overdue"
    assert due_state("2026-12-01", TODAY) == "due_soon"
    assert due_state("2026-12-04", TODAY) == "due_soon"
    assert due_state("2026-12-05", TODAY) is None
    assert due_state(None, TODAY) is None


def test_finished_work_is_never_overdue():
    assert due_state("2026-11-01", TODAY, "answered") is None
    assert due_state("2026-11-01", TODAY, "done") is None
    assert due_state("2026-11-01", TODAY, "in_progress") == "overdue"


def _status(at: str, old: str, new: str, reason: str | None = None) -> dict:
    return {
        "at": at,
        "actor": "x",
        "action": "status",
        "details": {"from": old, "to": new, "reason": reason},
    }


def test_a_returned_and_then_approved_draft_makes_two_rounds():
    history = [
        _status("t1", "routed", "in_progress"),
        _status("t2", "in_progress", "awaiting_endorsement"),
        {
            "at": "t3",
            "actor": "head",
            "action": "endorsed",
            "details": {"step": 1, "role": "department_head"},
        },
        _status("t4", "awaiting_endorsement", "in_progress", "Pievienojiet likuma pantu."),
        _status("t5", "in_progress", "awaiting_endorsement"),
        {
            "at": "t6",
            "actor": "head",
            "action": "endorsed",
            "details": {"step": 1, "role": "department_head"},
        },
        {
            "at": "t7",
            "actor": "dir",
            "action": "endorsed",
            "details": {"step": 2, "role": "director"},
        },
        {"at": "t8", "actor": "dir", "action": "reply_approved", "details": {}},
    ]
    first, second = circuit_rounds(history)
    assert first.returned == {"actor": "x", "at": "t4", "comment": "Pievienojiet likuma pantu."}
    assert [a["step"] for a in first.approvals] == [1]
    assert not first.approved
    assert [a["role"] for a in second.approvals] == ["department_head", "director"]
    assert second.approved
    assert second.returned is None


def test_nothing_before_the_first_draft_counts():
    assert circuit_rounds([_status("t1", "routed", "in_progress")]) == []


def test_on_time_rates_are_whole_percent_per_month_with_gaps():
    lines = [
        {"department": "SOC", "month": "2026-11", "on_time_rate": 0.667},
        {"department": "ECO", "month": "2026-12", "on_time_rate": None},
        {"department": "SOC", "month": "2026-12", "on_time_rate": 1.0},
    ]
    months, rates = on_time_series(lines)
    assert months == ["2026-11", "2026-12"]
    assert rates == {"ECO": [None, None], "SOC": [67, 100]}


def test_the_on_time_chart_draws_a_bar_per_department_and_month():
    svg = Chart(
        "Laiku", ["2026-11", "2026-12"], [Series("SOC", [67, 100]), Series("ECO", [None, 50])]
    ).grouped()
    assert svg.startswith("<svg")
    assert "<title>Laiku</title>" in svg
    assert svg.count("<rect") == 3 + 2  # three bars, two legend keys
    assert "2026-12: ECO 50" in svg


def test_namings_are_newest_first_and_start_again_in_another_department():
    history = [
        {"action": "routed", "at": "2026-11-02T09:00", "actor": "routing", "details": {}},
        {
            "action": "assigned",
            "at": "2026-11-02T10:00",
            "actor": "head-a",
            "details": {
                "executor": "ieva",
                "previous_executor": None,
                "due_date": "2026-11-20",
                "instructions": None,
            },
        },
        {"action": "routed", "at": "2026-11-03T09:00", "actor": "clerk", "details": {}},
        {
            "action": "assigned",
            "at": "2026-11-03T10:00",
            "actor": "head-b",
            "details": {
                "executor": "rūta",
                "previous_executor": None,
                "due_date": "2026-11-25",
                "instructions": "Pasitarti su Žaliakalniu",
            },
        },
        {
            "action": "assigned",
            "at": "2026-11-04T10:00",
            "actor": "head-b",
            "details": {
                "executor": "tomas",
                "previous_executor": "rūta",
                "due_date": "2026-11-24",
                "instructions": None,
            },
        },
    ]
    found = namings(history)
    assert [(n["executor"], n["previous_executor"], n["due_date"]) for n in found] == [
        ("tomas", "rūta", "2026-11-24"),
        ("rūta", None, "2026-11-25"),
    ]
    assert found[1]["instructions"] == "Pasitarti su Žaliakalniu"
    assert namings([]) == []
