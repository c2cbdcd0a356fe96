"""The mayor's reports and dashboard as CSV (UTF-8 with a BOM) and XLSX: the figures of the
page's tables, headers in the reader's language (a real intake and routing over HTTP, the
staff app's test client)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from staff_web import municipality

LETTERS_TO_THE_MAYOR = 3
TASKS_DUE_SOON = 2
EXECUTOR = "ruta.kazlauskiene"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture
def office(harness):
    """The mayor's office signed in, reading Lithuanian, with letters to the mayor at intake
    and assignments due soon at routing."""
    intake = harness.serve("intake")
    intake.register_incoming(*(f"Skundas merui Nr. {n}" for n in range(LETTERS_TO_THE_MAYOR)))
    routing = harness.serve("routing", CHANCERY_PROFILE="alytus")
    routing.add_staff(EXECUTOR, "Rūta Kazlauskienė", "LEGAL")
    tomorrow = date.today() + timedelta(days=1)
    routing.give_assignments(
        EXECUTOR, {f"Pavedimas Nr. {n}": tomorrow for n in range(TASKS_DUE_SOON)}
    )
    client = harness.signed_in("mayor-office", INTAKE_URL=intake.url, ROUTING_URL=routing.url)
    client.get("/?lang=lt")
    return client


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(response) -> list[list[str | int]]:
    """The first worksheet's rows: shared strings as text, numbers as numbers."""
    assert response.status_code == 200
    assert response.mimetype == XLSX
    with zipfile.ZipFile(io.BytesIO(response.data)) as workbook:
        strings = [
            node.text or ""
            for node in ElementTree.fromstring(workbook.read("xl/sharedStrings.xml")).iterfind(
                ".//x:t", SHEET_NS
            )
        ]
        sheet = ElementTree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
    return [
        [
            strings[int(cell.findtext("x:v", namespaces=SHEET_NS))]
            if cell.get("t") == "s"
            else int(cell.findtext("x:v", namespaces=SHEET_NS))
            for cell in row.iterfind("x:c", SHEET_NS)
        ]
        for row in sheet.iterfind(".//x:sheetData/x:row", SHEET_NS)
    ]


def _municipal_today(client) -> date:
    """The municipality's day, which the letters were registered on (a UTC server is a day
    behind Vilnius from 22:00 or 21:00)."""
    with client.application.app_context():
        return municipality.today()


def test_the_report_on_letters_to_the_leadership_downloads_as_csv_and_xlsx(office):
    day = _municipal_today(office).isoformat()
    query = f"?from={day}&to={day}&group=month"
    page = office.get(f"/mayor/reports{query}").text
    assert "/mayor/reports.csv?" in page
    assert "/mayor/reports.xlsx?" in page

    header, *rows = _csv(office.get(f"/mayor/reports.csv{query}"))
    assert header == [
        "Laikotarpis",
        "Meras",
        "Mero pavaduotojas",
        "Tarybos pirmininkas",
        "Administracijos direktorius",
    ]
    assert [row[1:] for row in rows] == [[str(LETTERS_TO_THE_MAYOR), "0", "0", "0"]]

    sheet = _xlsx(office.get(f"/mayor/reports.xlsx{query}"))
    assert sheet[0] == header
    assert [row[1:] for row in sheet[1:]] == [[LETTERS_TO_THE_MAYOR, 0, 0, 0]]  # numbers
    assert sheet[1][0] == rows[0][0]


def test_a_period_intake_refuses_is_the_page_with_the_reason_not_a_file(office):
    refused = office.get("/mayor/reports.csv?from=2026-12-31&to=2026-01-01&group=month")
    assert refused.status_code == 422
    assert refused.mimetype == "text/html"


def test_the_dashboards_figures_download_as_csv_and_xlsx(office):
    page = office.get("/mayor/dashboard").text
    for link in (
        "/mayor/dashboard/due.csv",
        "/mayor/dashboard/due.xlsx",
        "/mayor/dashboard/on-time.csv",
        "/mayor/dashboard/on-time.xlsx",
    ):
        assert link in page

    header, *rows = _csv(office.get("/mayor/dashboard/due.csv"))
    assert header[:2] == ["Skyrius", "Pavėluoti raštai"]
    assert header[-1] == "Pavedimai, kurių terminas artėja"
    assert ["Teisės skyrius", "0", "0", "0", str(TASKS_DUE_SOON)] in rows
    sheet = _xlsx(office.get("/mayor/dashboard/due.xlsx"))
    assert ["Teisės skyrius", 0, 0, 0, TASKS_DUE_SOON] in sheet

    on_time_header, *_ = _csv(office.get("/mayor/dashboard/on-time.csv"))
    assert on_time_header[:2] == ["Skyrius", "Mėnuo"]
    assert _xlsx(office.get("/mayor/dashboard/on-time.xlsx"))[0] == on_time_header
