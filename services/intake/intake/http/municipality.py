"""The municipality this deployment serves: languages, registers, departments."""

from __future__ import annotations

from typing import Any

from chancery.http import use_case
from chancery.http.resources import Resource
from intake.usecases.letters import Letters

_letters = use_case("letters", Letters)


municipality = Resource("municipality", __name__, "The municipality's registers and departments.")


@municipality.blueprint.route("", methods=["GET"])
@municipality.blueprint.doc(
    responses={
        "200": {
            "description": "Its code, names, country, languages, time zone, registers and "
            "departments.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    }
)
def describe_municipality() -> dict[str, Any]:
    """The municipality this deployment serves: languages, registers, departments."""
    profile = _letters().profile
    return {
        "code": profile.code,
        "name": profile.names,
        "country": profile.country,
        "languages": list(profile.languages),
        "time_zone": profile.time_zone,
        "registers": [
            {"code": r.code, "direction": r.direction, "name": r.names, "kinds": list(r.kinds)}
            for r in profile.registers
        ],
        "departments": [
            {"code": d.code, "kind": d.kind, "name": d.names, "parent": d.parent}
            for d in profile.departments
        ],
    }
