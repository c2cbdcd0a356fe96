"""``/templates``: texts per kind and language, versioned, with a preview."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page
from chancery.http.resources import Resource
from chancery.http.security import principal
from notifications.http.schemas.templates import PreviewIn, RenderedOut, TemplateIn, TemplateOut
from notifications.permissions import OPERATORS, SENDERS
from notifications.usecases.templates import Templates

templates = Resource(
    "templates", __name__, "Texts per kind and language, versioned, with a preview."
)
_templates = use_case("templates", Templates)


@templates.listing(PageQuery, TemplateOut, roles=SENDERS)
def list_templates(query: dict[str, Any]) -> Any:
    """The newest version of every template, by kind and language."""
    return answer_page(
        _templates().newest(), query, lambda template: (template.kind, template.language)
    )


@templates.action(
    "/<string:kind>/<string:language>", TemplateIn, TemplateOut, roles=OPERATORS, status=201
)
def new_template_version(data: dict[str, Any], kind: str, language: str) -> Any:
    """Store a new version of a kind's texts in a language."""
    return _templates().new_version(
        kind, language, data["subject"], data["text"], data["html"], principal()
    )


@templates.action("/<string:kind>/preview", PreviewIn, RenderedOut, roles=SENDERS)
def preview(data: dict[str, Any], kind: str) -> Any:
    """Fill a template in with sample data; nothing is sent."""
    return _templates().preview(kind, data["language"], data["data"])
