"""The file plan: importing it, filing letters in it, and the year-end closing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from werkzeug.test import TestResponse

from chancery.errors import Conflict, Forbidden, InvalidInput
from chancery.principal import Principal
from chancery.profiles.loading import load_profile
from chancery_testing import ONA, someone
from intake.domain import file_plan
from intake.usecases.letters import RegisterLetter

ALYTUS = load_profile("alytus")
HEADER = ",".join(file_plan.COLUMNS)
SHIPPED = ("alytus", "prienai", "daugavpils", "lagodekhi", "vlora")


def _staff(department: str) -> Principal:
    return someone("department_staff", department=department)


def _letter(kind: str, department: str | None, subject: str, **changes: Any) -> RegisterLetter:
    """Ona's e-mailed ``kind`` letter to ``department`` (the mayor if none); ``changes`` win."""
    addressee = (
        {"kind": "department", "department_code": department} if department else {"kind": "mayor"}
    )
    fields = {
        "direction": "incoming",
        "kind": kind,
        "language": "lt",
        "subject": subject,
        "correspondent": ONA,
        "channel": "email",
        "addressee": addressee,
    }
    return RegisterLetter(**(fields | changes))


def _complaint(department: str | None = "LEGAL", **changes: Any) -> RegisterLetter:
    return _letter("complaint", department, "Dėl neišvežtų šiukšlių Žalgirio gatvėje", **changes)


@pytest.fixture
def system(make_system, clock):
    """Intake's production wiring on the test's clock."""
    return make_system(clock=clock)


@pytest.fixture
def records(system):
    """Intake's and the file plan's use cases on one database, on the test's clock."""
    plans = system.wiring.extensions["file_plans"]
    plans.import_shipped_plan(2026)
    return system, plans


# The plan as CSV -----------------------------------------------------------------------


@pytest.mark.parametrize("code", SHIPPED)
def test_every_profile_ships_a_plan_whose_departments_it_has(code: str) -> None:
    profile = load_profile(code)
    planned = file_plan.parse_plan(file_plan.shipped_plan(profile), profile)
    assert {item.department for item in planned} <= {d.code for d in profile.departments}
    assert any(item.retention_years is None for item in planned)
    assert any(item.retention_years and item.retention_years <= 10 for item in planned)


def test_a_shipped_plan_keeps_its_titles_byte_for_byte() -> None:
    lagodekhi = load_profile("lagodekhi")
    titles = {
        item.code: item.title
        for item in file_plan.parse_plan(file_plan.shipped_plan(lagodekhi), lagodekhi)
    }
    assert titles["03-01"] == "მოქალაქეთა საჩივრები"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("9,,Byla,NOPE,5,Rodyklė 1 p.,paper,", "row 3.department"),
        ("9,,Byla,DOC,five,Rodyklė 1 p.,paper,", "row 3.retention"),
        ("9,,Byla,DOC,0,Rodyklė 1 p.,paper,", "row 3.retention"),
        ("9,77,Byla,DOC,5,Rodyklė 1 p.,paper,", "row 3.parent"),
        ("1,,Byla,DOC,5,Rodyklė 1 p.,paper,", "row 3.code"),
        ("9,,Byla,DOC,5,Rodyklė 1 p.,papyrus,", "row 3.medium"),
        ("9,,Byla,DOC,5,Rodyklė 1 p.,paper,parcel", "row 3.kinds"),
        ("9,,Byla,DOC,5,,paper,", "row 3.legal_basis"),
        ("9,,Byla,DOC,5", "row 3.row"),
    ],
)
def test_a_wrong_cell_is_named_by_row_and_column(row: str, field: str) -> None:
    text = f"{HEADER}\n1,,Dokumentų valdymas,DOC,permanent,Rodyklė 1 p.,mixed,\n{row}\n"
    with pytest.raises(InvalidInput) as refused:
        file_plan.parse_plan(text, ALYTUS)
    assert refused.value.field == field


def test_a_plan_needs_the_header_and_a_file() -> None:
    with pytest.raises(InvalidInput) as no_header:
        file_plan.parse_plan("kodas,pavadinimas\n1,Byla\n", ALYTUS)
    with pytest.raises(InvalidInput) as empty:
        file_plan.parse_plan(HEADER + "\n", ALYTUS)
    assert (no_header.value.field, empty.value.field) == ("header", "row 2")


def test_retention_counts_from_the_first_of_january_after_the_year() -> None:
    assert file_plan.retention_starts(2026) == date(2027, 1, 1)
    assert file_plan.retention_ends(2026, 5) == date(2032, 1, 1)
    assert file_plan.retention_ends(2026, None) is None
    assert [file_plan.goes_to_archive(years) for years in (None, 50, 10, 5)] == [
        True,
        True,
        False,
        False,
    ]


# Filing letters -------------------------------------------------------------------------


def test_a_letter_is_filed_where_its_department_and_kind_propose(records) -> None:
    intake, _ = records
    complaint = intake.register(_complaint("LEGAL")).letter
    application = intake.register(
        _letter("application", "SOC", "Prašymas dėl socialinės pašalpos", channel="post"),
    ).letter
    general = intake.register(_complaint("FIN")).letter
    assert (complaint.file_reference, application.file_reference, general.file_reference) == (
        "3.1",
        "5",
        "4",
    )


def test_a_letter_to_the_mayor_is_filed_once_routing_gives_it_a_department(records, system) -> None:
    intake, _ = records
    letter = intake.register(_complaint(None)).letter
    assert letter.file_reference is None
    with system.wiring.unit_of_work() as uow:
        intake.workflow.follow_routing(
            uow.session,
            letter.id,
            "LEGAL",
            [],
            date(2026, 4, 7),
            datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
        )
        uow.commit()
    assert system.letter(letter.id).file_reference == "3.1"


def test_a_reply_follows_the_letter_it_answers(records) -> None:
    intake, _ = records
    asked = intake.register(_complaint("LEGAL")).letter
    intake.letters.file(asked.id, "3", someone("registrar"))
    reply = intake.register(
        RegisterLetter(
            direction="outgoing",
            kind="reply",
            language="lt",
            subject="Atsakymas dėl šiukšlių",
            correspondent=ONA,
            in_reply_to=asked.registration_number,
        ),
        _staff("LEGAL"),
    ).letter
    assert reply.file_reference == "3"


def test_a_made_up_file_is_refused_at_registration_and_when_refiled(records, system) -> None:
    intake, _ = records
    with pytest.raises(InvalidInput) as at_registration:
        intake.register(_complaint("LEGAL", file_reference="99.9"))
    letter = intake.register(_complaint("LEGAL", file_reference="3")).letter
    with pytest.raises(InvalidInput) as refiled:
        intake.letters.file(letter.id, "3.1.7", someone("registrar"))
    assert (at_registration.value.field, refiled.value.field) == (
        "file_reference",
        "file_reference",
    )
    assert letter.file_reference == "3"
    assert system.letter(letter.id).file_reference == "3"


def test_the_department_refiles_its_own_letters_only(records, system) -> None:
    intake, _ = records
    letter = intake.register(_complaint("LEGAL")).letter
    assert intake.letters.file(letter.id, "3", _staff("LEGAL")).file_reference == "3"
    with pytest.raises(Forbidden):
        intake.letters.file(letter.id, "3.1", _staff("FIN"))
    assert system.letter(letter.id).file_reference == "3"


def test_the_plan_cannot_be_replaced_once_letters_are_filed_in_it(records) -> None:
    intake, plans = records
    intake.register(_complaint("LEGAL"))
    with pytest.raises(Conflict):
        plans.import_shipped_plan(2026)
    summary = {item.case_file.code: item.letters for item in plans.plan(2026)}
    assert (summary["3.1"], summary["3"]) == (1, 0)


# The year-end closing ----------------------------------------------------------------


def test_the_year_end_closing_closes_the_files_and_retention_starts_next_january(
    records, clock
) -> None:
    intake, plans = records
    filed = intake.register(_complaint("LEGAL")).letter
    with pytest.raises(Conflict):
        plans.close_year(2026)  # March 2026: the year is not over
    clock.now = datetime(2026, 12, 31, 21, 30, tzinfo=UTC)  # 23:30 in Vilnius
    with pytest.raises(Conflict):
        plans.close_year(2026)
    clock.now = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 January in Vilnius
    closed = plans.close_year(2026)
    assert (closed.files_closed, closed.letters_filed, closed.retention_starts) == (
        14,
        1,
        date(2027, 1, 1),
    )
    files = {item.case_file.code: item for item in plans.plan(2026)}
    assert all(item.case_file.closed_at == clock.now for item in files.values())
    assert (files["3.1"].retention_ends, files["7"].retention_ends) == (date(2032, 1, 1), None)
    with pytest.raises(InvalidInput) as into_closed:
        intake.letters.file(filed.id, "3", someone("registrar"))
    assert into_closed.value.reason == "the file is closed"
    with pytest.raises(Conflict):
        plans.close_year(2026)


def test_after_the_closing_letters_go_to_the_new_years_plan(records, clock) -> None:
    intake, plans = records
    clock.now = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
    plans.close_year(2026)
    unplanned = intake.register(_complaint("LEGAL")).letter
    plans.import_shipped_plan(2027)
    planned = intake.register(_complaint("LEGAL")).letter
    assert (unplanned.year, unplanned.file_reference) == (2027, None)
    assert (planned.year, planned.file_reference) == (2027, "3.1")


# Over HTTP ---------------------------------------------------------------------------


def test_the_plan_is_imported_as_csv_and_read_over_http(system) -> None:
    clerk = system.headers("registrar")
    year = datetime.now(UTC).year + 1  # a future year: nothing is filed in it
    plan = (
        f"{HEADER}\n1,,Dokumentų valdymas,DOC,permanent,Rodyklė 1 p.,mixed,\n"
        f"1.1,1,Gaunami raštai,DOC,5,Rodyklė 15 p.,electronic,letter other\n"
    )
    imported = system.client.put(
        f"/file-plan/{year}", data=plan.encode(), content_type="text/csv", headers=clerk
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)
    read = system.client.get(f"/file-plan/{year}", headers=clerk).get_json()
    assert [
        (f["code"], f["parent"], f["retention_years"], f["kinds"], f["letters"])
        for f in read["files"]
    ] == [("1", None, None, [], 0), ("1.1", "1", 5, ["letter", "other"], 0)]
    assert read["files"][1]["retention_ends"] == f"{year + 6}-01-01"


def test_bad_plans_and_made_up_files_are_problems_over_http(system) -> None:
    clerk = system.headers("registrar")
    year = datetime.now(UTC).year
    wrong = system.client.put(
        f"/file-plan/{year}",
        data=f"{HEADER}\n1,,Byla,NOPE,5,R,paper,\n",
        content_type="text/csv",
        headers=clerk,
    )
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"][0]["field"] == "row 2.department"
    assert (
        system.client.put(
            f"/file-plan/{year}", data=b"\xff\xfe", content_type="text/csv", headers=clerk
        ).status_code
        == 422
    )
    assert system.client.post(f"/file-plan/{year}/shipped", headers=clerk).status_code == 200
    body = {
        "kind": "complaint",
        "channel": "email",
        "language": "lt",
        "subject": "Skundas",
        "sender": ONA,
        "addressee": {"kind": "department", "department_code": "LEGAL"},
    }
    made_up = system.client.post(
        "/letters", json={**body, "file_reference": "3.1.9"}, headers=clerk
    )
    assert made_up.status_code == 422
    assert made_up.get_json()["errors"][0]["field"] == "file_reference"
    letter = system.client.post("/letters", json=body, headers=clerk).get_json()
    assert letter["file_reference"] == "3.1"

    def refile(reference: str, headers: dict[str, str] = clerk) -> TestResponse:
        return system.client.put(
            f"/letters/{letter['id']}/file", json={"file_reference": reference}, headers=headers
        )

    refiled = refile("3")
    assert (refiled.status_code, refiled.get_json()["file_reference"]) == (200, "3")
    assert refile("x").status_code == 422
    stranger = system.headers("department_staff", department="FIN")
    assert refile("3", stranger).status_code == 403
    assert system.client.post(f"/file-plan/{year}/close", headers=clerk).status_code == 409
    assert system.client.get("/file-plan/1999", headers=clerk).status_code == 404
    assert system.client.get(f"/file-plan/{year + 5}", headers=clerk).status_code == 404


# The archive transfer -----------------------------------------------------------------


def _invitation() -> RegisterLetter:
    return _letter("invitation", "COMM", "Kvietimas į miestų partnerių forumą")


def test_a_transfer_inventory_lists_the_closed_years_permanent_and_long_term_files(
    records, clock, system
) -> None:
    intake, plans = records
    first = intake.register(_invitation()).letter
    clock.advance(days=30)
    intake.register(_invitation())
    intake.register(_complaint("LEGAL"))  # five years: destroyed later, not transferred
    clerk, director = (
        someone("registrar"),
        Principal(subject="director-ona", roles=frozenset({"mayor_office"})),
    )
    with pytest.raises(Conflict):
        plans.draft_transfer(2026, clerk)  # not closed yet
    clock.now = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    plans.close_year(2026)
    transfer = plans.draft_transfer(2026, clerk)
    items = {item["code"]: item for item in transfer.items}
    assert first.file_reference == "2.1"
    assert set(items) == {"1", "1.3", "2", "2.1", "5", "7"}
    assert (items["2.1"]["letters"], items["2.1"]["first_day"], items["2.1"]["last_day"]) == (
        2,
        "2026-03-10",
        "2026-04-09",
    )
    assert (items["5"]["retention_years"], items["5"]["letters"]) == (50, 0)
    with pytest.raises(Forbidden):
        plans.approve_transfer(2026, clerk)
    approved = plans.approve_transfer(2026, director)
    assert (approved.status, approved.approved_by) == ("approved", "director-ona")
    with pytest.raises(Conflict):
        plans.draft_transfer(2026, clerk)
    transferred = plans.mark_transferred(2026, clerk)
    assert transferred.status == "transferred"
    marked = {item.case_file.code: item.case_file.transferred_at for item in plans.plan(2026)}
    assert (marked["2.1"], marked["3.1"]) == (clock.now, None)
    with pytest.raises(Conflict):
        plans.mark_transferred(2026, clerk)


def test_the_inventory_is_exported_as_csv_and_a_printable_page(records, clock, system) -> None:
    intake, plans = records
    intake.register(_invitation())
    clock.now = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    plans.close_year(2026)
    clerk = system.headers("registrar")
    assert system.client.get("/archive-transfers/2026", headers=clerk).status_code == 404
    drafted = system.client.post("/archive-transfers/2026", headers=clerk)
    assert drafted.status_code == 200, drafted.get_data(as_text=True)
    assert system.client.post("/archive-transfers/2026/approve", headers=clerk).status_code == 403
    director = system.headers("mayor_office")
    assert (
        system.client.post("/archive-transfers/2026/approve", headers=director).get_json()["status"]
        == "approved"
    )
    exported = system.client.get("/archive-transfers/2026/inventory.csv", headers=director)
    lines = exported.get_data(as_text=True).splitlines()
    assert lines[0] == (
        "code,title,department,retention_years,legal_basis,medium,letters,first_day,last_day"
    )
    assert any(
        line.startswith("2.1,Bendradarbiavimo su miestais partneriais dokumentai,COMM,,")
        and line.endswith(",1,2026-03-10,2026-03-10")
        for line in lines
    )
    page = system.client.get("/archive-transfers/2026/inventory.html", headers=director)
    text = page.get_data(as_text=True)
    assert page.mimetype == "text/html"
    assert '<html lang="lt">' in text
    assert "Perduodamų į archyvą bylų apyrašas" in text
    assert "Alytaus miesto savivaldybė" in text
    assert "nuolat" in text
    assert (
        system.client.post("/archive-transfers/2026/transferred", headers=clerk).get_json()[
            "status"
        ]
        == "transferred"
    )


# Destruction acts -----------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def test_a_destruction_act_destroys_scans_and_personal_data_but_keeps_the_numbers(
    records, clock, system
) -> None:
    intake, plans = records
    complaint = intake.register(_complaint("LEGAL")).letter
    kept = intake.register(_invitation()).letter  # a permanent file: not destroyed
    intake.attachments.attach(complaint.id, "skundas.pdf", io.BytesIO(PDF), someone("registrar"))
    assert len(system.files()) == 1
    clock.now = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    plans.close_year(2026)
    destruction = system.wiring.extensions["destruction"]
    with pytest.raises(Conflict):
        destruction.draft(date(2031, 12, 31), someone("registrar"))  # five years not over yet
    clock.now = datetime(2032, 1, 12, 8, 0, tzinfo=UTC)
    clerk = someone("registrar")
    act = destruction.draft(date(2032, 1, 12), clerk)
    assert {(item["code"], item["letters"]) for item in act.items} >= {("3.1", 1)}
    assert "2.1" not in {item["code"] for item in act.items}
    with pytest.raises(Conflict):
        destruction.execute(act.number, clerk, "c")  # not approved
    destruction.approve(act.number, "registrar", clerk)
    with pytest.raises(Forbidden):
        destruction.approve(act.number, "data_protection_officer", clerk)  # not their role
    with pytest.raises(Conflict):
        destruction.approve(act.number, "registrar", someone("registrar"))
    officer = Principal(subject="dpo-rasa", roles=frozenset({"data_protection_officer"}))
    assert destruction.approve(act.number, "data_protection_officer", officer).status == "approved"
    executed = destruction.execute(act.number, clerk, "c-destroy")
    assert (executed.status, executed.letters_destroyed) == ("executed", 1)

    destroyed = system.letter(complaint.id)
    assert (
        destroyed.registration_number,
        destroyed.year,
        destroyed.file_reference,
        destroyed.kind,
    ) == (complaint.registration_number, 2026, "3.1", "complaint")
    assert destroyed.correspondent == {"type": "person", "name": "—"}
    # The stored data subject key the export lists follows the correspondent (decision 0087).
    assert (destroyed.person_key, system.letter(kept.id).person_key) == ("—", ONA["email"])
    assert (destroyed.subject, destroyed.summary, destroyed.access_code_hash) == ("—", None, None)
    assert system.files() == []
    assert system.snapshot()["attachments"] == 0
    assert system.letter(kept.id).correspondent == ONA
    assert "zemaityte" not in destroyed.search_text, "nor findable by name"
    sent = system.outbox("destruction.executed")[-1]["envelope"]["payload"]
    assert (sent["act_number"], sent["letter_ids"], sent["registration_numbers"]) == (
        act.number,
        [complaint.id],
        [complaint.registration_number],
    )
    assert any(
        row["action"] == "destroy" and row["object_id"] == complaint.id for row in system.audit()
    )
    with pytest.raises(Conflict):
        destruction.execute(act.number, clerk, "c")
    with pytest.raises(Conflict):
        destruction.draft(date(2032, 1, 12), clerk)  # its files are destroyed already


def test_destruction_acts_over_http_need_both_roles(records, clock, system) -> None:
    intake, plans = records
    intake.register(_complaint("LEGAL"))
    clock.now = datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
    plans.close_year(2026)
    clerk = system.headers("registrar")

    def post(path: str, body: Any = None, headers: dict[str, str] = clerk) -> TestResponse:
        return system.client.post(f"/destruction-acts{path}", json=body, headers=headers)

    assert post("", {"as_of": "1999-01-01"}).status_code == 422
    drafted = post("", {"as_of": "2032-01-01"})
    assert drafted.status_code == 201, drafted.get_data(as_text=True)
    number = drafted.get_json()["number"]
    assert post(f"/{number}/execute").status_code == 409
    assert post(f"/{number}/approve", {"role": "mayor"}).status_code == 422
    assert post(f"/{number}/approve", {"role": "registrar"}).status_code == 200
    officer = system.headers("data_protection_officer")
    approved = post(f"/{number}/approve", {"role": "data_protection_officer"}, officer)
    assert approved.get_json()["status"] == "approved"
    assert post(f"/{number}/execute", headers=officer).status_code == 403
    executed = post(f"/{number}/execute")
    assert (executed.status_code, executed.get_json()["letters_destroyed"]) == (200, 1)
    assert system.client.get("/destruction-acts/99", headers=clerk).status_code == 404
