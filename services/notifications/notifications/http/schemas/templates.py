"""Templates: a new version, a preview, a template and a rendering as answered."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import LANGUAGE, required
from chancery.validation import StrictSchema, Text
from notifications.domain.templating import MAX_SOURCE_CHARS


def _body(part: str, description: str) -> Text:
    """A required, many-line template body, no longer than its part may be."""
    return required(
        Text, description, min_length=1, max_length=MAX_SOURCE_CHARS[part], single_line=False
    )


class TemplateIn(StrictSchema):
    subject = required(
        fields.String,
        "The notice's subject, a template (Jinja2, sandboxed).",
        validate=validate.Length(min=1, max=MAX_SOURCE_CHARS["subject"]),
    )
    text = _body("text", "The notice's plain-text body, a template.")
    html = _body("html", "The notice's HTML body, a template (optional).")


class PreviewIn(StrictSchema):
    language = required(
        fields.String, "The language to preview the template in.", validate=LANGUAGE
    )
    data = required(fields.Dict, "The data the template is filled in with.", keys=fields.String())


TemplateOut = answer_schema(
    "TemplateOut",
    "kind language version:int audience legal:bool variables:[str] subject text html "
    "created_at:datetime created_by",
)


RenderedOut = answer_schema("RenderedOut", "subject text html")
