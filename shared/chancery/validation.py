"""Validation at the edge: every field of every request refuses what makes no sense.

A request schema derives from :class:`StrictSchema` (or :class:`UpdateSchema`
for ``PUT``/``PATCH``). Besides refusing unknown fields, it gives every field
it binds a sane default, so a field declared without thinking of hostile input
is still safe:

- text (any ``fields.String``) is single-line: no control character at all,
  no lone surrogate, at most :data:`DEFAULT_MAX_LENGTH` characters unless the
  field says otherwise. Multi-line text is declared as
  ``Text(max_length=..., single_line=False)`` and allows ``\\n`` and ``\\t`` only;
- integers stay within a 32-bit signed range (what every database column holds),
  other numbers within :data:`NUMBER_MIN` .. :data:`NUMBER_MAX`;
- dates and times fall between :data:`EARLIEST` and :data:`LATEST` (year 1 or
  9999 overflow when converted to UTC or local time).

:class:`Text`, :class:`BoundedInt`, :class:`PlausibleDate` and
:class:`PlausibleDateTime` narrow these where a field knows better, e.g. a
letter's ``received_at`` never more than a few minutes ahead of now.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, cast

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

DEFAULT_MAX_LENGTH = 10_000
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Amounts: what the services' NUMERIC(14, 2) columns hold.
NUMBER_MIN, NUMBER_MAX = -(10**12 - 1), 10**12 - 1
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, lone surrogates.
_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# The same, but a tab and a line feed are text in a multi-line field.
_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def unsafe_character(text: str, *, single_line: bool = True) -> str | None:
    """Why ``text`` may not be stored, or None: the first forbidden character, named."""
    pattern = _SINGLE_LINE_FORBIDDEN if single_line else _MULTI_LINE_FORBIDDEN
    found = pattern.search(text)
    if found is None:
        return None
    return _describe(found.group(0), found.start(), single_line)


def _describe(char: str, position: int, single_line: bool) -> str:
    if "\ud800" <= char <= "\udfff":
        return f"contains a lone surrogate (U+{ord(char):04X}) at position {position}"
    if char == "\x00":
        return f"contains a NUL character at position {position}"
    allowed = "" if single_line else " (only line feeds and tabs are allowed)"
    return f"contains the control character U+{ord(char):04X} at position {position}{allowed}"


class CleanText(validate.Validator):
    """Refuses control characters (all of them on one line) and lone surrogates."""

    def __init__(self, *, single_line: bool = True) -> None:
        self.single_line = single_line

    def __call__(self, value: str) -> str:
        reason = unsafe_character(value, single_line=self.single_line)
        if reason is not None:
            raise ValidationError(reason)
        return value


class WithinDates(validate.Validator):
    """A date or datetime between two days, compared by calendar date (overflow-free).

    ``earliest`` and ``latest`` may be callables, for windows relative to today.
    """

    def __init__(
        self,
        earliest: date | Callable[[], date] = EARLIEST,
        latest: date | Callable[[], date] = LATEST,
    ) -> None:
        self.earliest = earliest
        self.latest = latest

    def bounds(self) -> tuple[date, date]:
        """The first and the last day allowed, today (a window may move with the date)."""
        return (
            self.earliest() if callable(self.earliest) else self.earliest,
            self.latest() if callable(self.latest) else self.latest,
        )

    def __call__(self, value: date) -> date:
        earliest, latest = self.bounds()
        # A datetime's own calendar date: no conversion, so year 1 cannot overflow.
        day = value.date() if isinstance(value, datetime) else value
        if not earliest <= day <= latest:
            raise ValidationError(
                f"must be between {earliest.isoformat()} and {latest.isoformat()}"
            )
        return value


class NotLaterThanNow(validate.Validator):
    """An aware datetime at most ``tolerance`` after the current time (clock skew)."""

    def __init__(self, tolerance: timedelta, clock: Callable[[], datetime]) -> None:
        self.tolerance = tolerance
        self.clock = clock

    def __call__(self, value: datetime) -> datetime:
        if value.tzinfo is not None and value > self.clock() + self.tolerance:
            raise ValidationError("must not be in the future")
        return value


class Text(fields.String):
    """Text with a maximum length; single-line by default, ``single_line=False`` for prose."""

    def __init__(
        self,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        min_length: int = 0,
        single_line: bool = True,
        **kwargs: Any,
    ) -> None:
        extra = kwargs.pop("validate", None)
        rules: list[Any] = [
            validate.Length(min=min_length, max=max_length),
            CleanText(single_line=single_line),
        ]
        rules += list(extra) if isinstance(extra, list | tuple) else [extra] if extra else []
        if not single_line:
            # Tells clients (in the OpenAPI document) that line feeds and tabs are text here.
            kwargs["metadata"] = {"x-multi-line": True, **kwargs.get("metadata", {})}
        super().__init__(validate=rules, **kwargs)


class BoundedInt(fields.Integer):
    """An integer within ``[minimum, maximum]``, e.g. an ``offset`` no database overflows on."""

    def __init__(self, *, minimum: int = INT_MIN, maximum: int = INT_MAX, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=minimum, max=maximum), **kwargs)


def _years_from_today(years: int) -> Callable[[], date]:
    def day() -> date:
        today = datetime.now(UTC).date()
        return today.replace(year=today.year + years, day=min(today.day, 28))

    return day


class PlausibleDate(fields.Date):
    """A day within a window: fixed days, or ``within_years`` of today."""

    def __init__(
        self,
        *,
        earliest: date = EARLIEST,
        latest: date = LATEST,
        within_years: int | None = None,
        **kwargs: Any,
    ) -> None:
        window = (
            WithinDates(_years_from_today(-within_years), _years_from_today(within_years))
            if within_years
            else WithinDates(earliest, latest)
        )
        super().__init__(validate=window, **kwargs)


class AnsweredLocally(fields.AwareDateTime):
    """An aware moment answered in the municipality's offset, the base of every moment field.

    :class:`chancery.http.times.LocalDateTime` (responses) and
    :class:`PlausibleDateTime` (requests) share this one conversion.
    """

    def _serialize(
        self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any
    ) -> str | None:
        # Imported here because chancery.http itself builds on this module.
        from chancery.http.times import to_local

        if value is None:
            return None
        return cast(str | None, super()._serialize(to_local(value), attr, obj, **kwargs))


class PlausibleDateTime(AnsweredLocally):
    """An aware moment within a window; ``max_future`` bounds how far ahead of now it may be."""

    def __init__(
        self,
        *,
        earliest: date = EARLIEST,
        latest: date = LATEST,
        within_years: int | None = None,
        max_future: timedelta | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        **kwargs: Any,
    ) -> None:
        rules: list[Any] = [
            WithinDates(_years_from_today(-within_years), _years_from_today(within_years))
            if within_years
            else WithinDates(earliest, latest)
        ]
        if max_future is not None:
            rules.append(NotLaterThanNow(max_future, clock))
        super().__init__(validate=rules, **kwargs)


def _has(field: fields.Field[Any], kind: type) -> bool:
    return any(isinstance(rule, kind) for rule in field.validators)


def apply_defaults(field: fields.Field[Any]) -> None:
    """Give ``field`` (and the fields inside a list or mapping) the edge's default rules.

    ``field`` is the schema instance's own copy, but marshmallow copies fields
    shallowly: the validator list is replaced, never appended to, so the
    declaring class (and a contract schema a request schema extends) keeps its own.
    """
    if isinstance(field, fields.String) and not isinstance(field, Text):
        rules: list[Any] = [CleanText(single_line=True)]
        if not _has(field, validate.Length):
            rules.append(validate.Length(max=DEFAULT_MAX_LENGTH))
        field.validators = [*field.validators, *rules]
    elif isinstance(field, fields.Integer) and not isinstance(field, BoundedInt):
        field.validators = [*field.validators, validate.Range(min=INT_MIN, max=INT_MAX)]
    elif isinstance(field, fields.Number) and not isinstance(field, fields.Integer):
        field.validators = [*field.validators, validate.Range(min=NUMBER_MIN, max=NUMBER_MAX)]
    elif isinstance(field, fields.DateTime | fields.Date) and not _has(field, WithinDates):
        field.validators = [*field.validators, WithinDates()]
    for inner in _inner_fields(field):
        apply_defaults(inner)


def _inner_fields(field: fields.Field[Any]) -> Iterator[fields.Field[Any]]:
    if isinstance(field, fields.List):
        yield field.inner  # copied when the list was bound
    elif isinstance(field, fields.Tuple):
        yield from field.tuple_fields  # copied when the tuple was bound
    elif isinstance(field, fields.Mapping):
        if field.key_field is not None:
            # Binding copies the value field but shares the key field: copy it here.
            field.key_field = copy.copy(field.key_field)
            yield field.key_field
        if field.value_field is not None:
            yield field.value_field


def _json_type_error(field: fields.Field[Any] | None, raw: Any) -> str | None:
    """Why a raw JSON number cannot stand for ``field``'s documented type, or None."""
    if field is None or isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if isinstance(field, fields.Boolean):
        return "must be true or false"
    if isinstance(field, fields.Decimal) and field.as_string:
        return 'must be a decimal number as text, e.g. "12.50"'
    if isinstance(field, fields.Integer) and isinstance(raw, float) and not raw.is_integer():
        return "must be a whole number"
    return None


class StrictSchema(Schema):
    """A request schema: unknown fields are refused and every field gets the edge's rules."""

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:  # noqa: ARG002
        """Apply the default rules to each field as it is bound (see the module's doc)."""
        apply_defaults(field_obj)

    @pre_load
    def _json_types_as_documented(self, data: Any, **_: Any) -> Any:
        """A JSON number is no boolean and no decimal string, as the document says.

        marshmallow takes ``0`` for ``false`` and ``12.5`` for ``"12.50"``; the
        document promises a boolean and a decimal string, so a client generated
        from it must not come to rely on either. Query strings (text) pass on to
        the fields, which read ``true`` and ``12.50`` there.
        """
        if not isinstance(data, Mapping):
            return data
        errors: dict[str, list[str]] = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            raw = data.get(key)
            values = (
                raw.values()
                if isinstance(raw, Mapping) and isinstance(field, fields.Mapping)
                else (raw,)
            )
            inner = field.value_field if isinstance(field, fields.Mapping) else field
            reason = next(
                (
                    _json_type_error(inner, value)
                    for value in values
                    if _json_type_error(inner, value)
                ),
                None,
            )
            if reason:
                errors[key] = [reason]
        if errors:
            raise ValidationError(errors)
        return data


class UpdateSchema(StrictSchema):
    """The body of a ``PUT`` or ``PATCH``: an empty one is refused, never taken as a reset."""

    # Stated in the document (chancery.http.openapi.add_schema_keywords).
    JSON_SCHEMA: ClassVar[dict[str, Any]] = {"minProperties": 1}

    @pre_load
    def _not_empty(self, data: Any, **_: Any) -> Any:
        # With required fields, marshmallow already names each one that is missing.
        required = any(field.required for field in self.load_fields.values())
        if isinstance(data, dict) and not data and not required:
            raise ValidationError(
                "an update needs at least one field; an empty body "
                "changes nothing and resets nothing",
                "body",
            )
        return data


def find_unstorable(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, reason) for every string in a parsed JSON document no database can store.

    Lone surrogates cannot be encoded as UTF-8 and PostgreSQL refuses NUL in
    text and JSON; both are refused wherever they appear, keys included.
    """
    if isinstance(value, str):
        reason = _unstorable(value)
        if reason:
            yield path or "body", reason
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            reason = _unstorable(key)
            if reason:
                yield (path or "body"), f"a key {reason}"
            else:
                yield from find_unstorable(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_unstorable(item, f"{path}[{index}]")


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    return None if found is None else _describe(found.group(0), found.start(), False)


MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(body: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, counted without parsing it.

    Python's parser recurses once per level (100,000 ``[`` raise
    RecursionError), so the depth is measured on the raw bytes first: strings
    are removed, then the brackets left are counted.
    """
    depth = deepest = 0
    for bracket in _NOT_A_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest
