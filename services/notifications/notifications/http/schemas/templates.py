"""Templates: a new version, a preview, a template and a rendering as answered."""

from __future__ import annotations

from marshmallow import fields, validate

from chancery.http.answers import answer_schema
from chancery.http.schemas import LANGUAGE
from chancery.validation import StrictSchema, Text
from notifications.domain.templating import MAX_SOURCE_CHARS


def _body(part: str, description: str) -> Text:
    """A required, many-line template body, no longer than its part may be."""
    return Text(
        min_length=1,
        max_length=MAX_SOURCE_CHARS[part],
        single_line=False,
        required=True,
        metadata={"description": description},
    )


class TemplateIn(StrictSchema):
    subject = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_SOURCE_CHARS["subject"]),
        metadata={"description": "The notice's subject, a template (Jinja2, sandboxed)."},
    )
    text = _body("text", "The notice's plain-text body, a template.")
    html = _body("html", "The notice's HTML body, a template (optional).")


class PreviewIn(StrictSchema):
    language = fields.String(
        required=True,
        validate=LANGUAGE,
        metadata={"description": "The language to preview the template in."},
    )
    data = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "The data the template is filled in with."},
    )


TemplateOut = answer_schema(
    "TemplateOut",
    "kind language version:int audience legal:bool variables:[str] subject text html "
    "created_at:datetime created_by",
)


RenderedOut = answer_schema("RenderedOut", "subject text html")
