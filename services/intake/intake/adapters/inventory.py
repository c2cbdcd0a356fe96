"""The archive transfer inventory as documents: CSV and a printable page.

The printable page is in the municipality's first language (lt, lv, ka, sq,
else English); titles and codes are printed as stored, escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

from chancery.csvexport import csv_lines
from intake.adapters.models import ArchiveTransfer

COLUMNS = (
    "code",
    "title",
    "department",
    "retention_years",
    "legal_basis",
    "medium",
    "letters",
    "first_day",
    "last_day",
)
LABELS = {
    "lt": (
        "Perduodamų į archyvą bylų apyrašas",
        "Metai",
        "Būsena",
        "Kodas",
        "Pavadinimas",
        "Skyrius",
        "Saugojimo terminas",
        "Pagrindas",
        "Laikmena",
        "Dokumentų",
        "Nuo",
        "Iki",
        "nuolat",
        "Sudarė",
        "Patvirtino",
        "Perdavė",
    ),
    "lv": (
        "Arhīvā nododamo lietu saraksts",
        "Gads",
        "Statuss",
        "Kods",
        "Nosaukums",
        "Struktūrvienība",
        "Glabāšanas termiņš",
        "Pamatojums",
        "Datu nesējs",
        "Dokumenti",
        "No",
        "Līdz",
        "pastāvīgi",
        "Sagatavoja",
        "Apstiprināja",
        "Nodeva",
    ),
    "ka": (
        "არქივში გადასაცემი საქმეების აღწერა",
        "წელი",
        "სტატუსი",
        "კოდი",
        "სათაური",
        "სამსახური",
        "შენახვის ვადა",
        "საფუძველი",
        "მატარებელი",
        "დოკუმენტები",
        "დან",
        "მდე",
        "მუდმივად",
        "შეადგინა",
        "დაამტკიცა",
        "გადასცა",
    ),
    "sq": (
        "Inventari i dosjeve që dorëzohen në arkiv",
        "Viti",
        "Gjendja",
        "Kodi",
        "Titulli",
        "Drejtoria",
        "Afati i ruajtjes",
        "Baza ligjore",
        "Mbajtësi",
        "Dokumente",
        "Nga",
        "Deri",
        "përgjithmonë",
        "Hartoi",
        "Miratoi",
        "Dorëzoi",
    ),
    "en": (
        "Inventory of files transferred to the archive",
        "Year",
        "Status",
        "Code",
        "Title",
        "Department",
        "Retention",
        "Legal basis",
        "Medium",
        "Letters",
        "From",
        "To",
        "permanent",
        "Drawn up by",
        "Approved by",
        "Transferred by",
    ),
}


def inventory_csv(transfer: ArchiveTransfer) -> Iterator[str]:
    """The inventory as CSV lines (UTF-8, header first; a permanent file's retention empty)."""
    return csv_lines(
        COLUMNS, [[_blank(item[column]) for column in COLUMNS] for item in transfer.items]
    )


def inventory_page(transfer: ArchiveTransfer, language: str, municipality: str) -> str:
    """The inventory as a printable HTML page in ``language`` (English when not known)."""
    labels = LABELS.get(language, LABELS["en"])
    (
        heading,
        year,
        status,
        code,
        title,
        department,
        retention,
        basis,
        medium,
        letters,
        first,
        last,
        permanent,
        drafted,
        approved,
        transferred,
    ) = labels
    lang = language if language in LABELS else "en"
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(value))}</td>"
            for value in (
                item["code"],
                item["title"],
                item["department"],
                permanent if item["retention_years"] is None else item["retention_years"],
                item["legal_basis"],
                item["medium"],
                item["letters"],
                _blank(item["first_day"]),
                _blank(item["last_day"]),
            )
        )
        + "</tr>"
        for item in transfer.items
    )
    signatures = "".join(
        f"<p>{label}: {escape(who or '')} {escape(when.date().isoformat() if when else '')}</p>"
        for label, who, when in (
            (drafted, transfer.drafted_by, transfer.drafted_at),
            (approved, transfer.approved_by, transfer.approved_at),
            (transferred, transfer.transferred_by, transfer.transferred_at),
        )
    )
    header = "".join(
        f'<th scope="col">{label}</th>'
        for label in (code, title, department, retention, basis, medium, letters, first, last)
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(heading)} {transfer.year}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "th,td{border:1px solid #000;padding:.2em .4em;text-align:left}</style></head>"
        f"<body><main><h1>{escape(heading)}</h1><p>{escape(municipality)}</p>"
        f"<p>{year}: {transfer.year}. {status}: {escape(transfer.status)}</p>"
        f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
        f"{signatures}</main></body></html>"
    )


def _blank(value: Any) -> Any:
    return "" if value is None else value
