"""The shared OpenAPI corrections: statuses from the view's shape, roles, ids, money."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from openapi_spec_validator import validate as validate_document

from chancery.http.openapi import may_answer
from chancery.http.security import require
from chancery_testing import blueprint_app


class PriceSchema(Schema):
    amount = fields.Decimal(places=2, required=True, as_string=True, validate=validate.Range(min=0))
    page = fields.Url(allow_none=True)


def _app(*blueprints: Blueprint) -> Flask:
    return blueprint_app(*blueprints)


def _prices() -> Blueprint:
    blp = Blueprint("prices", __name__, url_prefix="/prices")

    @blp.route("/<uuid:price_id>", methods=["PUT"])
    @require("operator")
    @blp.arguments(PriceSchema)
    @blp.response(200, PriceSchema)
    def replace_price(data: dict[str, Any], price_id: Any) -> dict[str, Any]:
        return data

    @blp.route("/lookup", methods=["GET"])
    @blp.response(200, PriceSchema)
    @may_answer(429)
    def look_up() -> dict[str, Any]:
        return {}

    return blp


def _document(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/openapi.json").get_json()


def test_statuses_roles_and_ids_come_from_the_view() -> None:
    document = _document(_app(_prices()))
    validate_document(document)
    replace = document["paths"]["/prices/{price_id}"]["put"]
    assert replace["operationId"] == "prices_replace_price"
    assert set(replace["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "422",
        "default",
    }
    assert replace["description"].endswith("one of the roles: ``operator``.")
    look_up = document["paths"]["/prices/lookup"]["get"]
    assert set(look_up["responses"]) == {"200", "429", "default"}
    assert "Open to anyone" in look_up["description"]


def test_money_is_a_decimal_string_and_urls_are_uris() -> None:
    properties = _document(_app(_prices()))["components"]["schemas"]["Price"]["properties"]
    assert properties["amount"]["type"] == "string"
    assert properties["amount"]["format"] == "decimal"
    assert "minimum" not in properties["amount"]
    assert "at least 0.00" in properties["amount"]["description"]
    assert properties["page"]["type"] == ["string", "null"]
    assert properties["page"]["format"] == "uri"
    assert properties["page"]["pattern"].startswith("^https?://")


def test_two_operations_of_one_id_are_refused() -> None:
    # ``prices_list.everything`` and ``prices.list_everything`` both become one id.
    nested, flat = Blueprint("prices_list", __name__), Blueprint("prices", __name__)

    @nested.route("/a", methods=["GET"])
    @nested.response(200)
    def everything() -> dict[str, Any]:
        return {}

    @flat.route("/b", methods=["GET"])
    @flat.response(200)
    def list_everything() -> dict[str, Any]:
        return {}

    with pytest.raises(ValueError, match="prices_list_everything is used twice"):
        _app(nested, flat)
