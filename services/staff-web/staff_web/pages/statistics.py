"""Statistics: incoming letters per week or month by kind, addressee and channel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext
from markupsafe import Markup

from staff_web import municipality
from staff_web.api_client import ApiError
from staff_web.charts import Chart, Series
from staff_web.permissions import STATISTICS_READERS
from staff_web.security import api, signed_in
from staff_web.vocabulary_labels import label

blueprint = Blueprint("statistics", __name__, url_prefix="/statistics")
DIMENSIONS = ("kind", "addressee", "channel")


def _period() -> dict[str, str]:
    today = municipality.today()
    return {
        "from": request.args.get("from") or (today - timedelta(days=180)).isoformat(),
        "to": request.args.get("to") or today.isoformat(),
        "group": request.args.get("group") or "month",
    }


def _tables(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tables = []
    titles = {
        "kind": gettext("By kind"),
        "addressee": gettext("By addressee"),
        "channel": gettext("By channel"),
    }
    for dimension in DIMENSIONS:
        keys = sorted({key for period in periods for key in period[dimension]})
        series = [
            Series(label(dimension, key), [p[dimension].get(key, 0) for p in periods])
            for key in keys
        ]
        chart = Chart(titles[dimension], [p["period"] for p in periods], series).stacked()
        tables.append(
            {
                "dimension": dimension,
                "title": titles[dimension],
                "keys": keys,
                "chart": Markup(chart),
            }
        )
    return tables


@blueprint.get("")
@signed_in(*STATISTICS_READERS)
def page() -> tuple[str, int]:
    """Charts (SVG drawn here) and the same figures as tables."""
    query = _period()
    errors: dict[str, list[str]] = {}
    periods: list[dict[str, Any]] = []
    try:
        periods = api().get("intake", "/statistics", query)["periods"]
    except ApiError as error:
        if error.status != 422:
            raise
        errors = error.field_errors
    return render_template(
        "statistics.html", query=query, periods=periods, errors=errors, tables=_tables(periods)
    ), 422 if errors else 200
