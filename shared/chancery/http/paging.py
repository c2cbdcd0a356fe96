"""One page shape for every list of every service: the HTTP and SQL side of :mod:`chancery.paging`.

A list endpoint takes ``limit`` (1 to 200, 50 by default), ``cursor`` (the
``next_cursor`` of the page before), ``with_total`` (count the matches, only
when asked: counting costs what reading all rows costs) and, where a person
would sort, ``sort``. It answers::

    {"items": [...], "next_cursor": "eyJrIjpb...", "total": 1234}

with ``Link: <...same query...&cursor=eyJrIjpb...>; rel="next"`` while there is
a next page; ``next_cursor`` is null on the last one. A view is written::

    @letters.route("", methods=["GET"])
    @letters.arguments(LetterQuery(), location="query", unknown=RAISE)  # a PageQuery
    @paged_response(letters, schemas.LetterSummary)
    def list_letters(query):
        asked = page_request(query)
        return page_response(intake.search(LetterFilters(**query), asked), asked)

and the use case reads its rows with :func:`chancery.keyset.fetch_page`, a keyset
``WHERE (k1, k2) > (:last_k1, :last_k2) ORDER BY k1, k2 LIMIT n + 1``, so a deep
page costs what the first costs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from chancery.http.problems import validation_problem
from chancery.keyset import Ordering, after_key, fetch_page, order_of
from chancery.paging import (
    DEFAULT_LIMIT,
    MAX_CURSOR_LENGTH,
    MAX_LIMIT,
    InvalidCursor,
    Page,
    PageRequest,
    SortKey,
    decode_cursor,
    encode_cursor,
    page_of_rows,
)
from chancery.validation import BoundedInt, StrictSchema

# The SQL side, for views and tests that page a query themselves.
__all__ = [
    "LINK_HEADER_DOC",
    "Ordering",
    "PageQuery",
    "after_key",
    "answer_page",
    "fetch_page",
    "next_url",
    "order_of",
    "page_request",
    "page_response",
    "page_schema",
    "paged_response",
    "sortable",
]

LINK_HEADER_DOC = {
    "Link": {
        "description": 'The next page, ``<url>; rel="next"`` (RFC 8288), while there is '
        "one: the same query with the page's ``next_cursor``.",
        "schema": {"type": "string"},
    }
}


class PageQuery(StrictSchema):
    """The paging parameters every list takes; a list's query schema derives from it."""

    limit = BoundedInt(
        minimum=1,
        maximum=MAX_LIMIT,
        load_default=DEFAULT_LIMIT,
        metadata={
            "description": f"How many items at most (1 to {MAX_LIMIT}, {DEFAULT_LIMIT} if "
            "not said)."
        },
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=MAX_CURSOR_LENGTH),
        metadata={
            "description": "Where to go on: the ``next_cursor`` of the page before. Opaque; valid "
            "only for the same list and sort order."
        },
    )
    with_total = fields.Boolean(
        load_default=False,
        metadata={"description": "Count all matching items and answer the count as ``total``."},
    )


def sortable(*orders: str) -> type[PageQuery]:
    """A :class:`PageQuery` with ``sort``, one of ``orders`` (the first is the default).

    A leading ``-`` means newest or largest first, by convention.
    """
    sort = fields.String(
        load_default=orders[0],
        validate=validate.OneOf(orders),
        metadata={
            "description": "The order: "
            + ", ".join(f"``{order}``" for order in orders)
            + f" (``{orders[0]}`` if not said)."
        },
    )
    return type(
        f"PageQuerySortedBy{'_'.join(o.strip('-') for o in orders)}", (PageQuery,), {"sort": sort}
    )


class _PageSchema(Schema):
    next_cursor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The ``cursor`` for the next page; null on the last page."},
    )
    total = fields.Integer(
        metadata={
            "description": "How many items match in all; only when ``with_total=true`` was asked."
        }
    )


_PAGE_SCHEMAS: dict[type[Schema], type[Schema]] = {}


def page_schema(item: type[Schema]) -> type[Schema]:
    """The page schema of ``item`` (``{items, next_cursor, total?}``), named ``<Item>Page``."""
    if item not in _PAGE_SCHEMAS:
        name = item.__name__.removesuffix("Schema").removesuffix("Out") + "Page"
        _PAGE_SCHEMAS[item] = type(
            name,
            (_PageSchema,),
            {
                "__doc__": f"A page of {item.__name__} (keyset paging, see docs/api.md).",
                "items": fields.List(
                    fields.Nested(item),
                    required=True,
                    metadata={"description": "This page's items, in the list's order."},
                ),
            },
        )
    return _PAGE_SCHEMAS[item]


def paged_response(
    blueprint: Blueprint, item: type[Schema], **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@blueprint.response(200, <Item>Page)`` with the ``Link`` header documented."""
    decorate: Callable[[Callable[..., Any]], Callable[..., Any]] = blueprint.response(
        200, page_schema(item), headers=LINK_HEADER_DOC, **kwargs
    )
    return decorate


def page_request(arguments: dict[str, Any]) -> PageRequest:
    """The :class:`PageRequest` of a :class:`PageQuery`'s parsed arguments (422 on a bad cursor).

    Takes ``limit``, ``cursor``, ``with_total`` and ``sort`` out of ``arguments``,
    leaving the list's own filters.
    """
    sort = arguments.pop("sort", None)
    cursor = arguments.pop("cursor", None)
    after = None
    if cursor is not None:
        try:
            after = decode_cursor(_scope(sort), cursor)
        except InvalidCursor as error:
            raise validation_problem(
                {"cursor": str(error)}, "query", "The cursor is not one of this list."
            ) from error
    return PageRequest(
        limit=arguments.pop("limit", DEFAULT_LIMIT),
        after=after,
        sort=sort,
        with_total=arguments.pop("with_total", False),
    )


def page_response(
    page: Page[Any], asked: PageRequest
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """What a paged view returns: the body for ``<Item>Page`` and the ``Link`` header.

    ``asked`` is the request's :func:`page_request`: the next cursor is for its sort order.
    """
    body: dict[str, Any] = {"items": page.items, "next_cursor": None}
    if page.total is not None:
        body["total"] = page.total
    headers: dict[str, str] = {}
    if page.next_key is not None:
        cursor = encode_cursor(_scope(asked.sort), page.next_key)
        body["next_cursor"] = cursor
        headers["Link"] = f'<{next_url(cursor)}>; rel="next"'
    return body, 200, headers


def next_url(cursor: str) -> str:
    """This request's URL with ``cursor`` in place of its own."""
    arguments = [
        (name, value) for name, value in request.args.items(multi=True) if name != "cursor"
    ]
    return f"{request.base_url}?{urlencode([*arguments, ('cursor', cursor)])}"


def _scope(sort: str | None) -> str:
    # A cursor belongs to one list (the view) in one order.
    return f"{request.endpoint} {sort or ''}"


def answer_page(
    rows: Sequence[Any],
    arguments: dict[str, Any] | PageRequest,
    key: Callable[[Any], SortKey] | None = None,
    *,
    descending: bool = False,
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A paged view's answer for a short list already in memory (one record's rounds, the
    rules, the declared days): the same page, cursors and ``Link`` as a SQL list.

    ``key`` must be unique per row and sort as the list is meant to be read. Without
    one, the list keeps the order it came in (an order computed, e.g. by protocol
    precedence) and the cursor holds the position. ``arguments`` are the view's parsed
    query, or the :func:`page_request` already taken out of them.
    """
    asked = arguments if isinstance(arguments, PageRequest) else page_request(arguments)
    if key is None:
        positioned = page_of_rows(list(enumerate(rows)), asked, lambda pair: (pair[0],))
        return page_response(positioned.map(lambda pair: pair[1]), asked)
    return page_response(page_of_rows(rows, asked, key, descending=descending), asked)
