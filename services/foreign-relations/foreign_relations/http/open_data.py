"""The open data of partner cities, as JSON and CSV, without login and without people."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import use_case
from chancery.http.csv_files import csv_file
from chancery.http.openapi import file_responses
from chancery.http.resources import Resource
from foreign_relations.domain.partners import PUBLIC_FIELDS
from foreign_relations.http.schemas import open_data as schemas
from foreign_relations.usecases.partners import Partners

open_data = Resource(
    "open-data", __name__, "The public list of partner cities, without any person.", public=True
)

_partners = use_case("partners", Partners)


@open_data.reading("/partners.json", schemas.PublicPartnerOut(many=True))
def partners_json() -> Any:
    """Partner cities as open data (JSON), without authentication and without people."""
    return _partners().open_data()


@open_data.operation(
    "GET",
    "/partners.csv",
    (),
    open_data.doc(**file_responses("The partner cities as CSV (UTF-8, a header row).", "text/csv")),
)
def partners_csv() -> Response:
    """Partner cities as open data (CSV, UTF-8; lists separated by ``;``)."""
    rows = [
        [";".join(value) if isinstance(value, list) else value for value in partner.values()]
        for partner in _partners().open_data()
    ]
    return csv_file(PUBLIC_FIELDS, rows, "partner-cities.csv")
