"""Tests for the shared CSV writer: no cell a citizen typed opens as a formula."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from chancery.csvexport import csv_chunks, csv_lines, csv_text, safe_cell


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example","Spausti")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(typed):
    assert safe_cell(typed) == "'" + typed
    [row] = list(csv.reader(io.StringIO(csv_text(["subject"], [[typed]]))))[1:]
    assert row == ["'" + typed]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Dėl gatvės apšvietimo", "Dėl gatvės apšvietimo"),
        ("ნინო ბერიძე", "ნინო ბერიძე"),
        ("a = b", "a = b"),
        (None, ""),
        (-5, "-5"),
        (Decimal("-12.50"), "-12.50"),
        (date(2026, 3, 10), "2026-03-10"),
        (0.75, "0.75"),
    ],
)
def test_other_cells_are_written_as_they_are(value, written):
    assert safe_cell(value) == written


def test_lines_stream_one_row_each_and_keep_quotes_commas_and_scripts():
    rows = [["P-2026-00001", 'Skundas, dėl "Žalgirio" gatvės'], ["P-2026-00002", "Kërkesë"]]
    lines = list(csv_lines(["number", "subject"], rows))
    assert len(lines) == 3
    assert lines[0] == "number,subject\r\n"
    assert list(csv.reader(io.StringIO("".join(lines)))) == [["number", "subject"], *rows]


def test_chunks_write_one_text_per_chunk_as_the_lines_would():
    rows = [
        ["P-2026-00001", 'Skundas, dėl "Žalgirio" gatvės'],
        ["P-2026-00002", "=SUM(A1)"],
        ["P-2026-00003", "წერილი მერს"],
    ]
    pieces = list(csv_chunks(["number", "subject"], [rows[:2], [], rows[2:]]))
    assert len(pieces) == 3  # the header, then one text per chunk with rows
    assert "".join(pieces) == "".join(csv_lines(["number", "subject"], rows))
    assert "'=SUM(A1)" in pieces[1]
