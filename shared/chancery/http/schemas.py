"""What every service's HTTP schemas are built of: fields, validators and periods.

A service's ``schemas.py`` declares its resources with these instead of
writing its own: the base classes (:class:`~chancery.validation.StrictSchema`,
:class:`~chancery.validation.UpdateSchema`) are in :mod:`chancery.validation`,
which also gives every field the edge's default rules; this module adds the
pieces the services had each written again (a department code, a country, a
language, short and multi-line text, optional fields, text ids, a period).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

from marshmallow import ValidationError, fields, validate, validates_schema

from chancery.http.paging import PageQuery
from chancery.validation import StrictSchema, Text
from chancery.vocabulary import LANGUAGE_PATTERN

FieldT = TypeVar("FieldT", bound=fields.Field[Any])

DEPARTMENT_CODE = validate.Regexp(r"^[A-Z][A-Z0-9_]{0,49}$", error="an upper-case department code")
"""A department's code as the staff directory keeps it, e.g. ``MUNI`` or ``EDU_2``."""

COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error="an ISO 3166-1 alpha-2 country code, e.g. LV")
"""A country, its ISO 3166-1 alpha-2 code in capitals."""

LANGUAGE = validate.Regexp(
    LANGUAGE_PATTERN, error="a two-letter ISO 639-1 code, e.g. lt, lv, ka, sq"
)
"""A language, its two-letter ISO 639-1 code (``lt``, ``lv``, ``ka``, ``sq``, ``en``, ...)."""

PHONE = validate.Regexp(
    r"^\+?[0-9 ()-]{5,30}$", error="a phone number: digits, spaces, +, -, ( and ) only"
)
"""A phone number as people write it: 5 to 30 digits, spaces, ``+``, ``-``, ``(`` and ``)``."""

SHORT_TEXT_LENGTH = 300


def text(max_length: int, *, min_length: int = 1, **kwargs: Any) -> Text:
    """Single-line text that is not empty (unless ``min_length=0``), at most ``max_length``."""
    return Text(min_length=min_length, max_length=max_length, **kwargs)


def short_text(**kwargs: Any) -> Text:
    """A name, a place, a title: one line of 1 to :data:`SHORT_TEXT_LENGTH` characters."""
    return Text(min_length=1, max_length=SHORT_TEXT_LENGTH, **kwargs)


def prose(max_length: int, *, min_length: int = 1, **kwargs: Any) -> Text:
    """Multi-line text (a note, a reason, a summary): line feeds and tabs are text here."""
    return Text(min_length=min_length, max_length=max_length, single_line=False, **kwargs)


def optional(field: Callable[..., FieldT], **kwargs: Any) -> FieldT:
    """``field`` that may be absent or null; absent, it loads as None."""
    return field(load_default=None, allow_none=True, **kwargs)


class Id(fields.UUID):
    """A UUID loaded as its text form (the services' ids are text columns).

    Documented as marshmallow's UUID (``format: uuid``); it loads the ``str`` of it.
    """

    # Narrower than the UUID marshmallow declares: the text the database's id columns hold.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs))


class PeriodQuery(StrictSchema):
    """A period of days, ``from`` to ``to`` inclusive, ``to`` not before ``from``.

    A period with a longest span says so in :attr:`MAX_YEARS` (as 366-day years);
    the span is a relation of two values that no OpenAPI document can state, so
    only the answer (422 on ``to``) tells a client.
    """

    MAX_YEARS: ClassVar[int | None] = None

    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("must not be before 'from'", "to")
        if self.MAX_YEARS is not None and (data["end"] - data["start"]).days > 366 * self.MAX_YEARS:
            raise ValidationError(f"a period is at most {self.MAX_YEARS} years", "to")


class ReportPeriodQuery(PeriodQuery, PageQuery):
    """A report's period; as JSON a page of lines, as CSV (``format=csv``) all of them."""

    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


def one_of(choices: Sequence[str], description: str, **kwargs: Any) -> fields.String:
    """A string that must be one of ``choices``, with its ``description`` for the document
    (``kwargs`` as for ``fields.String``: ``required``, ``load_default``, ...)."""
    return fields.String(
        validate=validate.OneOf(choices), metadata={"description": description}, **kwargs
    )


def required(field: Callable[..., FieldT], description: str, **kwargs: Any) -> FieldT:
    """``field`` that a request must give, ``description`` its text in the OpenAPI document
    (``kwargs`` as for ``field``: ``validate``, a length, ...)."""
    return field(required=True, metadata={"description": description}, **kwargs)


def any_of_given(alternatives: Mapping[str, str]) -> dict[str, Any]:
    """A ``JSON_SCHEMA`` for a request that must give at least one of some text fields.

    ``alternatives`` maps each field to the title of its alternative, in the order
    the document lists them, e.g. ``{"email": "Reachable by e-mail", ...}``; the
    schema's own ``validates_schema`` check is what enforces it, this states it.
    """
    return {
        "anyOf": [
            {"title": title, "required": [field], "properties": {field: {"type": "string"}}}
            for field, title in alternatives.items()
        ]
    }


def required_list(
    item: fields.Field[Any],
    description: str,
    *,
    at_least: int | None = None,
    at_most: int | None = None,
) -> fields.List[Any]:
    """A list of ``item`` that a request must give, with ``at_least`` to ``at_most`` entries
    (either bound may be left out), ``description`` its text in the OpenAPI document."""
    return fields.List(
        item,
        required=True,
        validate=validate.Length(min=at_least, max=at_most),
        metadata={"description": description},
    )
