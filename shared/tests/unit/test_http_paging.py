"""Tests for the shared list shape: query parameters, page body, Link header, keyset SQL."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields
from sqlalchemy import DateTime, String, desc, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chancery.db import make_base, make_engine
from chancery.http.paging import (
    PageQuery,
    after_key,
    answer_page,
    fetch_page,
    order_of,
    page_request,
    page_response,
    paged_response,
    sortable,
)
from chancery.paging import PageRequest
from chancery_testing import blueprint_app

Base = make_base()
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Letter(Base):
    __tablename__ = "letter"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LetterOut(Schema):
    subject = fields.String()


class LetterQuery(sortable("-registered", "subject")):
    subject = fields.String()


ORDERS = {
    "-registered": order_of(desc(Letter.registered_at), desc(Letter.id)),
    "subject": order_of(Letter.subject, Letter.id),
}


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'paging.sqlite3'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        # Ties on registered_at on purpose: the id breaks them.
        for n in range(23):
            session.add(
                Letter(
                    id=str(uuid.uuid4()),
                    subject=f"Laiškas {n:02d} – Žemaitė",
                    registered_at=START + timedelta(hours=n // 2),
                )
            )
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def client(engine) -> FlaskClient:
    blueprint = Blueprint("letters", __name__, url_prefix="/letters")

    @blueprint.route("", methods=["GET"])
    @blueprint.arguments(LetterQuery(), location="query", unknown=RAISE)
    @paged_response(blueprint, LetterOut)
    def list_letters(query: dict[str, Any]) -> Any:
        asked = page_request(query)
        with Session(engine) as session:
            selected = select(Letter)
            if "subject" in query:
                selected = selected.where(Letter.subject.contains(query["subject"]))
            page = fetch_page(session, selected, ORDERS[asked.sort], asked)
            return page_response(page, asked)

    @blueprint.route("/other", methods=["GET"])
    @blueprint.arguments(LetterQuery(), location="query", unknown=RAISE)
    @paged_response(blueprint, LetterOut)
    def other_list(query: dict[str, Any]) -> Any:
        asked = page_request(query)
        with Session(engine) as session:
            return page_response(
                fetch_page(session, select(Letter), ORDERS["-registered"], asked), asked
            )

    app = blueprint_app(blueprint)
    return app.test_client()


def _walk(client: FlaskClient, url: str) -> list[dict]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body)
        link = response.headers.get("Link")
        assert (link is None) == (body["next_cursor"] is None)
        url = link[1 : link.index(">")] if link else None
        if url:
            assert parse_qs(urlsplit(url).query)["cursor"] == [body["next_cursor"]]
    return pages


def test_default_page_is_50_newest_first_without_total(client: FlaskClient) -> None:
    body = client.get("/letters").get_json()
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    assert body["items"][0]["subject"].startswith("Laiškas 22")


def test_walking_the_link_headers_sees_every_row_once_in_order(client: FlaskClient) -> None:
    pages = _walk(client, "/letters?limit=5&subject=%C5%BDemait%C4%97")
    assert [len(page["items"]) for page in pages] == [5, 5, 5, 5, 3]
    subjects = [item["subject"] for page in pages for item in page["items"]]
    assert len(set(subjects)) == 23
    numbers = [int(subject.split()[1]) for subject in subjects]
    # Newest first; within one hour (a tie on registered_at) any fixed order by id.
    assert [n // 2 for n in numbers] == sorted((n // 2 for n in numbers), reverse=True)


def test_the_link_keeps_the_filters_and_the_sort(client: FlaskClient) -> None:
    response = client.get("/letters?limit=2&sort=subject&subject=Laiškas")
    query = parse_qs(urlsplit(response.headers["Link"][1:].split(">")[0]).query)
    assert query["sort"] == ["subject"]
    assert query["subject"] == ["Laiškas"]
    pages = _walk(client, "/letters?limit=10&sort=subject")
    subjects = [item["subject"] for page in pages for item in page["items"]]
    assert subjects == sorted(subjects)


def test_total_only_when_asked(client: FlaskClient) -> None:
    body = client.get("/letters?limit=1&with_total=true&subject=Laiškas 1").get_json()
    assert body["total"] == 10
    assert len(body["items"]) == 1


@pytest.mark.parametrize("limit", ["0", "201", "-1", "many"])
def test_limit_outside_1_to_200_is_422_on_limit(client: FlaskClient, limit: str) -> None:
    response = client.get(f"/letters?limit={limit}")
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["limit"]


def test_limit_200_is_allowed(client: FlaskClient) -> None:
    assert client.get("/letters?limit=200").status_code == 200


def test_tampered_cursor_is_422_on_cursor(client: FlaskClient) -> None:
    cursor = client.get("/letters?limit=2").get_json()["next_cursor"]
    response = client.get(f"/letters?limit=2&cursor={cursor[:-3]}AAA")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [
        {
            "field": "cursor",
            "location": "query",
            "reason": response.get_json()["errors"][0]["reason"],
        }
    ]


def test_cursor_of_another_sort_or_list_is_422(client: FlaskClient) -> None:
    cursor = client.get("/letters?limit=2").get_json()["next_cursor"]
    assert client.get(f"/letters?sort=subject&cursor={cursor}").status_code == 422
    assert client.get(f"/letters/other?cursor={cursor}").status_code == 422


def test_unknown_sort_is_422(client: FlaskClient) -> None:
    response = client.get("/letters?sort=id")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "sort"


def test_openapi_documents_the_page_and_its_parameters(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    operation = document["paths"]["/letters"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"limit", "cursor", "with_total", "sort", "subject"} <= names
    ok = operation["responses"]["200"]
    assert "Link" in ok["headers"]
    page = document["components"]["schemas"]["LetterPage"]
    assert set(page["properties"]) == {"items", "next_cursor", "total"}
    assert set(page["required"]) == {"items", "next_cursor"}


def test_keyset_condition_is_a_row_value_comparison_in_one_direction() -> None:
    orderings = order_of(desc(Letter.registered_at), desc(Letter.id))
    sql = str(after_key(orderings, (START, "x")).compile())
    assert "(letter.registered_at, letter.id) <" in sql


def test_mixed_directions_page_correctly(engine) -> None:
    orderings = order_of(desc(Letter.registered_at), Letter.subject)
    seen, after = [], None
    with Session(engine) as session:
        while True:
            page = fetch_page(session, select(Letter), orderings, PageRequest(limit=4, after=after))
            seen += [(letter.registered_at, letter.subject) for letter in page.items]
            if page.next_key is None:
                break
            after = page.next_key
    assert len(seen) == 23
    assert seen == sorted(seen, key=lambda pair: (-pair[0].timestamp(), pair[1]))


def test_a_list_in_memory_pages_in_its_own_order_without_a_key() -> None:
    blueprint = Blueprint("places", __name__, url_prefix="/places")
    # A computed order (precedence) no column holds.
    places = [{"name": name} for name in ("Meras", "Ambasadorius", "Vicemeras", "Seniūnas")]

    @blueprint.route("", methods=["GET"])
    @blueprint.arguments(PageQuery(), location="query", unknown=RAISE)
    @paged_response(blueprint, LetterOut)
    def list_places(query: dict[str, Any]) -> Any:
        return answer_page([{"subject": p["name"]} for p in places], query)

    app = blueprint_app(blueprint)
    pages = _walk(app.test_client(), "/places?limit=3")
    assert [item["subject"] for page in pages for item in page["items"]] == [
        "Meras",
        "Ambasadorius",
        "Vicemeras",
        "Seniūnas",
    ]
    assert len(pages) == 2
