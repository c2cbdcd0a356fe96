"""``/templates``: texts per kind and language, versioned, with a preview."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE

from chancery.http import use_case
from chancery.http.paging import PageQuery, answer_page, paged_response
from chancery.http.security import principal, require
from notifications.http.schemas.templates import PreviewIn, RenderedOut, TemplateIn, TemplateOut
from notifications.permissions import OPERATORS, SENDERS
from notifications.usecases.templates import Templates

templates = Blueprint(
    "templates",
    __name__,
    url_prefix="/templates",
    description="Texts per kind and language, versioned, with a preview.",
)
_templates = use_case("templates", Templates)


@templates.route("", methods=["GET"])
@require(*SENDERS)
@templates.arguments(PageQuery(), location="query", unknown=RAISE)
@paged_response(templates, TemplateOut)
def list_templates(query: dict[str, Any]) -> Any:
    """The newest version of every template, by kind and language."""
    return answer_page(
        _templates().newest(), query, lambda template: (template.kind, template.language)
    )


@templates.route("/<string:kind>/<string:language>", methods=["POST"])
@require(*OPERATORS)
@templates.arguments(TemplateIn())
@templates.response(201, TemplateOut)
def new_template_version(data: dict[str, Any], kind: str, language: str) -> Any:
    """Store a new version of a kind's texts in a language."""
    return _templates().new_version(
        kind, language, data["subject"], data["text"], data["html"], principal()
    )


@templates.route("/<string:kind>/preview", methods=["POST"])
@require(*SENDERS)
@templates.arguments(PreviewIn())
@templates.response(200, RenderedOut)
def preview(data: dict[str, Any], kind: str) -> Any:
    """Fill a template in with sample data; nothing is sent."""
    return _templates().preview(kind, data["language"], data["data"])
