"""Every service mounts the audit API: the data protection officer reads and exports its trail."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from chancery.audited import record_access_in
from chancery.auth import issue_token
from chancery.config import DEV_JWT_SECRET
from chancery.principal import Principal
from chancery.runtime import web_app
from chancery.services import installed_services
from chancery_testing import migrated_service

pytestmark = pytest.mark.integration


def bearer(*roles: str, subject: str = "someone") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(DEV_JWT_SECRET, list(roles), subject=subject)}"}


@pytest.fixture(params=installed_services(), ids=lambda d: d.name)
def service(request, tmp_path):
    with migrated_service(request.param, tmp_path) as wiring:
        yield wiring, web_app(wiring).test_client()


def seed(wiring, actor: str, object_ids: list[str], people: dict[str, str]) -> None:
    with wiring.unit_of_work() as uow:
        record_access_in(
            uow, Principal(actor, frozenset({"registrar"})), "read", "letter", object_ids, people
        )
        uow.commit()


def test_the_officer_filters_pages_and_exports_the_trail(service):
    wiring, client = service
    letter = str(uuid.uuid4())
    seed(wiring, "clerk-ona", [letter, str(uuid.uuid4())], {letter: "Ona Žemaitytė"})
    seed(wiring, '=HYPERLINK("http://evil")', [letter], {letter: "Ona Žemaitytė"})
    dpo = f"dpo-{uuid.uuid4().hex[:6]}"
    officer = bearer("data_protection_officer", subject=dpo)

    assert (
        client.get(
            "/audit", headers=bearer("registrar", "operator", subject="curious-clerk")
        ).status_code
        == 403
    )
    page = client.get("/audit?person=ŽEMAITYTĖ&limit=1&with_total=true", headers=officer)
    assert page.status_code == 200, page.get_data(as_text=True)
    body = page.get_json()
    assert (body["total"], len(body["items"])) == (2, 1)
    [first] = body["items"]
    assert (first["actor"], first["object_id"], first["person"], first["outcome"]) == (
        "clerk-ona",
        letter,
        "ona žemaitytė",
        "allowed",
    )
    assert len(first["row_hash"]) == 64
    second = client.get(
        "/audit",
        query_string={"person": "žemaitytė", "limit": 1, "cursor": body["next_cursor"]},
        headers=officer,
    ).get_json()
    assert second["items"][0]["actor"].startswith("=HYPERLINK")
    assert (
        client.get(
            f"/audit?object={letter}&actor=clerk-ona&with_total=true", headers=officer
        ).get_json()["total"]
        == 1
    )
    assert (
        client.get("/audit?to=2001-01-01T00:00:00Z&with_total=true", headers=officer).get_json()[
            "total"
        ]
        == 0
    )

    export = client.get(f"/audit.csv?object={letter}", headers=officer)
    assert export.status_code == 200
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][:3] == ["id", "at", "actor"]
    assert [row[2] for row in rows[1:]] == ["clerk-ona", '\'=HYPERLINK("http://evil")']
    assert {row[7] for row in rows[1:]} == {"ona žemaitytė"}

    looked = client.get("/audit?object_type=audit_log", headers=officer).get_json()
    assert [
        (row["actor"], row["action"], row["person"], row["outcome"]) for row in looked["items"][:4]
    ] == [
        ("curious-clerk", "read", None, "refused"),
        (dpo, "read", "žemaitytė", "allowed"),
        (dpo, "read", "žemaitytė", "allowed"),
        (dpo, "read", None, "allowed"),
    ]


def test_bad_filters_are_named(service):
    _wiring, client = service
    officer = bearer("data_protection_officer")
    for query, field in (
        ("from=0001-01-01T00:00:00%2B02:00", "from"),
        ("limit=0", "limit"),
        ("offset=1", "offset"),
        ("cursor=x", "cursor"),
        ("colour=red", "colour"),
    ):
        response = client.get(f"/audit?{query}", headers=officer)
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
        assert [error["field"] for error in response.get_json()["errors"]] == [field], query
