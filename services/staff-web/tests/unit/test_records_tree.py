"""The file plan as the records pages show it: a tree, the files a letter may go to, and
the import's wrong cells by row and column."""

from __future__ import annotations

from staff_web.records_tree import CellError, cell_errors, fileable, plan_tree


def _file(code: str, parent: str | None = None, closed: bool = False) -> dict:
    return {
        "code": code,
        "parent": parent,
        "title": f"Byla {code}",
        "closed_at": "2027-01-05T10:00:00+02:00" if closed else None,
    }


PLAN = [_file("1"), _file("1.1", "1"), _file("1.2", "1"), _file("1.2.1", "1.2"), _file("2")]


def test_each_file_sits_under_its_parent_in_the_plans_order():
    tree = plan_tree(PLAN)
    assert [node.file["code"] for node in tree] == ["1", "2"]
    assert [node.file["code"] for node in tree[0].children] == ["1.1", "1.2"]
    assert [node.file["code"] for node in tree[0].children[1].children] == ["1.2.1"]
    assert (tree[0].is_heading, tree[1].is_heading) == (True, False)


def test_a_file_whose_parent_is_missing_is_shown_at_the_top_not_lost():
    assert [node.file["code"] for node in plan_tree([_file("7.1", "7")])] == ["7.1"]


def test_letters_go_to_open_files_that_are_not_headings():
    plan = [*PLAN, _file("3", closed=True)]
    assert [item["code"] for item in fileable(plan)] == ["1.1", "1.2.1", "2"]


def test_the_imports_refusals_name_their_cell_in_row_order():
    errors = {
        "import.row 7.retention": ["whole years 1–100 or permanent"],
        "import.row 3": ["needs exactly 8 cells"],
        "import.header": ["must be code,parent,…"],
        "close._schema": ["not over"],
    }
    assert cell_errors(errors) == [
        CellError(3, None, ["needs exactly 8 cells"]),
        CellError(7, "retention", ["whole years 1–100 or permanent"]),
    ]


# What intake's plan import says of a wrong cell (intake.domain.file_plan), each a known reason.
PLAN_REASONS = [
    "needs exactly 8 cells",
    "letters, digits, '.' and '-', at most 50",
    "3.1 is listed twice",
    "9 is not a file listed above",
    "required, at most 500 characters",
    "no department ZOO in alytus",
    "one of paper, electronic, mixed",
    "space-separated letter kinds: application, complaint",
    "whole years 1–100 or permanent",
    "must be code,parent,title,department,retention,legal_basis,medium,kinds",
]


def test_the_imports_reasons_are_told_in_the_persons_language():
    from flask import Flask

    from staff_web.i18n import install, reason_text

    app = Flask("records-reasons")
    app.secret_key = "test"
    install(app, "lt", "Europe/Vilnius")
    with app.test_request_context("/?lang=lv"):
        told = [reason_text(reason) for reason in PLAN_REASONS]
    assert not set(told) & set(PLAN_REASONS), "every reason translated"
    assert told[2] == "3.1 norādīts divreiz"
    assert told[5] == "pašvaldībai nav nodaļas ZOO"
    assert told[8] == "veseli gadi no 1 līdz 100 vai permanent"
