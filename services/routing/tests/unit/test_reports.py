"""Execution-control reports: on-time rate, average handling days, open and overdue counts."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from routing.adapters.models import Assignment, WorkflowLetter
from routing.usecases.reports import DueLine, ReportLine, due_lines, report_lines

VILNIUS = ZoneInfo("Europe/Vilnius")


def _local(moment: datetime) -> date:
    return moment.astimezone(VILNIUS).date()


def _letter(
    department: str | None,
    received: datetime,
    due: date | None,
    status: str,
    answered: datetime | None = None,
) -> WorkflowLetter:
    return WorkflowLetter(
        id=str(uuid.uuid4()),
        registration_number="P-2026-00001",
        kind="application",
        language="lt",
        subject="Dėl atliekų",
        confidentiality="normal",
        received_at=received,
        status=status,
        status_changed_at=received,
        department_code=department,
        copy_departments=",",
        due_date=due,
        forward_by=received.date(),
        answered_at=answered,
    )


def _at(day: int, month: int = 3, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_report_lines_per_department_and_month():
    letters = [
        # MUNI, answered in March: 18 days on time, 28 days on the due date, 31 days late.
        _letter("MUNI", _at(2), date(2026, 3, 30), "answered", _at(20)),
        _letter("MUNI", _at(3), date(2026, 3, 31), "closed", _at(31, hour=12)),
        _letter("MUNI", _at(2, month=2), date(2026, 3, 2), "answered", _at(5)),
        # 22:30 UTC on 31 March is already 1 April in Vilnius: an April answer, on time.
        _letter("MUNI", _at(4), date(2026, 4, 1), "answered", _at(31, hour=22, minute=30)),
        # SOC answered a day late in April: 29 days.
        _letter("SOC", _at(10), date(2026, 4, 7), "answered", _at(8, month=4)),
        # Open now (15 April): two in each department, one of each overdue.
        _letter("MUNI", _at(20), date(2026, 4, 20), "routed"),
        _letter("MUNI", _at(12), date(2026, 4, 10), "in_progress"),
        _letter("SOC", _at(16), date(2026, 4, 14), "awaiting_endorsement"),
        _letter("SOC", _at(17), date(2026, 4, 15), "routed"),
        # Waiting for triage: no department yet.
        _letter(None, _at(14, month=4), None, "registered"),
        # Neither open nor answered: not counted.
        _letter("MUNI", _at(5), date(2026, 4, 2), "voided"),
        _letter("SOC", _at(5), date(2026, 4, 2), "not_ours"),
        # Answered outside the period.
        _letter("MUNI", _at(2, month=1), date(2026, 1, 30), "answered", _at(27, month=2)),
        _letter("SOC", _at(2, month=4), date(2026, 5, 4), "answered", _at(2, month=5)),
    ]
    lines = report_lines(letters, date(2026, 3, 1), date(2026, 4, 30), date(2026, 4, 15), _local)
    # Department, month, answered, on time, on-time rate, average days, open, overdue.
    assert lines == [
        ReportLine("MUNI", "2026-03", 3, 2, 0.667, 25.7, 0, 0),
        ReportLine("MUNI", "2026-04", 1, 1, 1.0, 28.0, 2, 1),
        ReportLine("SOC", "2026-04", 1, 0, 0.0, 29.0, 2, 1),
        ReportLine("—", "2026-04", 0, 0, None, None, 1, 0),
    ]


def test_an_answer_without_a_due_date_counts_as_on_time():
    lines = report_lines(
        [_letter("COMM", _at(2), None, "answered", _at(12))],
        date(2026, 3, 1),
        date(2026, 3, 31),
        date(2026, 3, 31),
        _local,
    )
    assert lines == [ReportLine("COMM", "2026-03", 1, 1, 1.0, 10.0, 0, 0)]


def test_the_period_bounds_are_inclusive_local_days():
    letters = [
        # 23:30 UTC on 28 Feb is 1 March in Vilnius: inside.
        _letter(
            "FIN",
            _at(20, month=2),
            date(2026, 3, 20),
            "answered",
            datetime(2026, 2, 28, 23, 30, tzinfo=UTC),
        ),
        # Summer time since 29 March: 20:59 UTC on 31 March is 23:59 in Vilnius: inside;
        # 21:00 UTC is already 1 April: outside.
        _letter("FIN", _at(2), date(2026, 3, 30), "answered", _at(31, hour=20, minute=59)),
        _letter("FIN", _at(2), date(2026, 3, 30), "answered", _at(31, hour=21)),
    ]
    lines = report_lines(letters, date(2026, 3, 1), date(2026, 3, 31), date(2026, 5, 5), _local)
    assert lines == [ReportLine("FIN", "2026-03", 2, 1, 0.5, 19.0, 0, 0)]


def test_nothing_to_report():
    assert report_lines([], date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 31), _local) == []


# Through the API ---------------------------------------------------------------------------


def _answered_system(make_system):
    """MUNI answers one letter on time in March and one late in April; SOC's is overdue."""
    system = make_system(now=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    # Received Monday 2 March, 10:00 in Vilnius: 20 working days end on 31 March.
    on_time = system.register(subject="Dėl neišvežtų atliekų", received_at=_at(2, hour=8))
    late = system.register(subject="Dėl gatvės duobių", received_at=_at(2, hour=8))
    system.clock.now = _at(10, hour=8)
    overdue = system.register(subject="Prašymas skirti pašalpą", received_at=_at(10, hour=7))
    assert [system.letter(i).due_date for i in (on_time, late, overdue)] == [
        date(2026, 3, 31),
        date(2026, 3, 31),
        date(2026, 4, 9),
    ]
    system.reply(on_time, registered_at=_at(20, hour=10))
    system.reply(late, registered_at=_at(2, month=4, hour=10))
    system.clock.now = _at(15, month=4, hour=8)
    return system


def test_the_report_as_json(make_system):
    system = _answered_system(make_system)
    response = system.client.get(
        "/reports/deadlines?from=2026-03-01&to=2026-04-30", headers=system.headers("mayor_office")
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json()["items"] == [
        {
            "department": "MUNI",
            "month": "2026-03",
            "answered": 1,
            "on_time": 1,
            "on_time_rate": 1.0,
            "average_days": 18.0,
            "open": 0,
            "overdue": 0,
        },
        {
            "department": "MUNI",
            "month": "2026-04",
            "answered": 1,
            "on_time": 0,
            "on_time_rate": 0.0,
            "average_days": 31.0,
            "open": 0,
            "overdue": 0,
        },
        {
            "department": "SOC",
            "month": "2026-04",
            "answered": 0,
            "on_time": 0,
            "on_time_rate": None,
            "average_days": None,
            "open": 1,
            "overdue": 1,
        },
    ]


def test_a_head_reads_only_the_own_departments_lines(make_system):
    system = _answered_system(make_system)
    response = system.client.get(
        "/reports/deadlines?from=2026-03-01&to=2026-04-30",
        headers=system.headers("department_head", department="MUNI"),
    )
    assert response.status_code == 200
    assert [(line["department"], line["month"]) for line in response.get_json()["items"]] == [
        ("MUNI", "2026-03"),
        ("MUNI", "2026-04"),
    ]


def test_the_report_as_csv(make_system):
    system = _answered_system(make_system)
    response = system.client.get(
        "/reports/deadlines?from=2026-03-01&to=2026-04-30&format=csv",
        headers=system.headers("registrar"),
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="deadlines-2026-03-01-2026-04-30.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [
        [
            "department",
            "month",
            "answered",
            "on_time",
            "on_time_rate",
            "average_days",
            "open",
            "overdue",
        ],
        ["MUNI", "2026-03", "1", "1", "1.0", "18.0", "0", "0"],
        ["MUNI", "2026-04", "1", "0", "0.0", "31.0", "0", "0"],
        ["SOC", "2026-04", "0", "0", "", "", "1", "1"],
    ]


def test_bad_report_requests(system):
    headers = system.headers("registrar")
    cases = {
        "/reports/deadlines?from=2026-04-01&to=2026-03-01": ("to", "must not be before 'from'"),
        "/reports/deadlines?from=2026-03-01": ("to", "Missing data for required field."),
        "/reports/deadlines?from=2026-03-01&to=2026-03-31&format=xlsx": (
            "format",
            "Must be one of: json, csv.",
        ),
        "/reports/deadlines?from=2026-03-01&to=2026-03-31&department=MUNI": (
            "department",
            "Unknown field.",
        ),
        "/reports/deadlines?from=2026-02-30&to=2026-03-31": ("from", "Not a valid date."),
    }
    for url, (field, reason) in cases.items():
        response = system.client.get(url, headers=headers)
        assert response.status_code == 422, url
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"] == [
            {"field": field, "location": "query", "reason": reason}
        ], url
    staff = system.client.get(
        "/reports/deadlines?from=2026-03-01&to=2026-03-31",
        headers=system.headers("department_staff", department="MUNI"),
    )
    assert staff.status_code == 403


def _task(department: str, due: date) -> Assignment:
    return Assignment(
        id=str(uuid.uuid4()),
        title="Patikrinti šaligatvį",
        department_code=department,
        assigned_by="mayor-office",
        due_date=due,
        status="open",
        created_at=_at(1),
    )


def test_due_lines_count_overdue_and_due_soon_work_per_department():
    today = date(2026, 3, 10)
    letters = [
        _letter("MUNI", _at(1), date(2026, 3, 9), "in_progress"),  # overdue
        _letter("MUNI", _at(1), date(2026, 3, 13), "routed"),  # due in 3 days
        _letter("MUNI", _at(1), date(2026, 3, 14), "routed"),  # 4 days: not yet
        _letter("SOC", _at(1), None, "registered"),
    ]
    tasks = [_task("SOC", date(2026, 3, 10)), _task("SOC", date(2026, 3, 1))]
    assert due_lines(letters, tasks, today) == [
        DueLine(
            "MUNI",
            letters_overdue=1,
            letters_due_soon=1,
            assignments_overdue=0,
            assignments_due_soon=0,
        ),
        DueLine(
            "SOC",
            letters_overdue=0,
            letters_due_soon=0,
            assignments_overdue=1,
            assignments_due_soon=1,
        ),
    ]
