"""Translation tasks over HTTP: ordered, replied, moved on."""

from __future__ import annotations

from typing import Any

from flask import Response

from chancery.http import if_match, stored_response, use_case
from chancery.http.openapi import versioned_read
from chancery.http.resources import Resource
from chancery.http.security import principal
from foreign_relations.http.answers import (
    created,
    created_once,
    idempotent,
    listed_page,
    versioned_row,
)
from foreign_relations.http.schemas import translations as schemas
from foreign_relations.permissions import CREATORS, OFFICER, READERS
from foreign_relations.usecases.translations import Translations

translations = Resource(
    "translations",
    __name__,
    "Translation tasks for correspondence with foreign cities.",
    readers=READERS,
    editors=OFFICER,
)
ONE = "/<uuid:task_id>"

TRANSLATION_OUT = schemas.TranslationOut()
_translations = use_case("translations", Translations)


@translations.listing(schemas.TranslationQuery, schemas.TranslationOut)
def list_translations(query: dict[str, Any]) -> Any:
    """Translation tasks by due date; a translator's queue; a letter's translations."""
    return listed_page(_translations().tasks, query)


@translations.creation(schemas.TranslationIn, schemas.TranslationOut, roles=CREATORS)
def order_translation(data: dict[str, Any]) -> Response:
    """Queue a translation, due in working days of the municipality's calendar."""
    return created_once(_translations().order, data, TRANSLATION_OUT, "/translations")


@translations.reading(ONE, schemas.TranslationOut, marks=(versioned_read,))
def read_translation(task_id: Any) -> Response:
    """One task with its texts and how its due date was computed."""
    return versioned_row(TRANSLATION_OUT, _translations().task(str(task_id)))


@translations.creation(
    schemas.ReplyDraftIn, schemas.TranslationOut, roles=CREATORS, path=f"{ONE}/reply"
)
def translate_reply(data: dict[str, Any], task_id: Any) -> Response:
    """Send the reply draft back through translation, into the original's language."""
    return stored_response(
        _translations().reply(
            str(task_id),
            data,
            idempotent(f"POST /translations/{task_id}/reply"),
            created(TRANSLATION_OUT, "/translations"),
        )
    )


@translations.action(
    f"{ONE}/status", schemas.TranslationStatusIn, schemas.TranslationOut, roles=OFFICER
)
def move_translation(data: dict[str, Any], task_id: Any) -> Response:
    """queued → in_progress → done (with the text); or cancelled."""
    return versioned_row(
        TRANSLATION_OUT,
        _translations().move(
            str(task_id),
            data["status"],
            data["translator"],
            data["translated_text"],
            principal(),
            if_match(),
        ),
    )
