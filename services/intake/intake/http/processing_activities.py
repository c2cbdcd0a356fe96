"""The record of processing activities (GDPR Art. 30), as JSON and printable."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import use_case
from chancery.http.resources import Resource
from chancery.processing import record_of_processing
from intake.adapters.people_documents import processing_page
from intake.http.answers import document, first_language
from intake.http.schemas import processing_activities as schemas
from intake.permissions import DATA_PROTECTION
from intake.usecases.records import FilePlans

_file_plans = use_case("file_plans", FilePlans)


processing = Resource(
    "processing-activities", __name__, "The record of processing activities (GDPR Art. 30)."
)


def _processing_record() -> dict[str, Any]:
    profile = _file_plans().profile
    return record_of_processing(first_language()[1], profile.country)


@processing.reading("", schemas.RecordOfProcessingOut, roles=DATA_PROTECTION)
def read_processing_activities() -> dict[str, Any]:
    """The record of processing activities: the municipality as controller and each
    service's own description of the personal data it keeps."""
    return _processing_record()


@document(processing, "/document.html", DATA_PROTECTION, "a printable page", "text/html")
def print_processing_activities() -> Response:
    """The record of processing activities as a printable page."""
    return Response(
        processing_page(_processing_record(), first_language()[0]), mimetype="text/html"
    )
