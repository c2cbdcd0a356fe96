"""Answer schemas declared by a spec: the field names in order, each with its kind.

An answer schema (a service's ``...Out``) is mostly plain fields of a few kinds:
texts, texts that may be null, whole numbers, moments. Written one field a
line, every answer read like every other (the services held some seventy of
them) and hid what is particular to one: a description, a computed field.
:func:`answer_schema` takes a line of words instead, ``"id name email? version:int"``,
which reads like the JSON it describes; the particular fields are given by keyword
and listed by name where they stand. What the OpenAPI document says of each field
is what the field itself says, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from marshmallow import Schema, fields

from chancery.http.times import LocalDateTime

ANSWER_KINDS: dict[str, Callable[..., fields.Field[Any]]] = {
    "str": fields.String,
    "int": fields.Integer,
    "bool": fields.Boolean,
    "date": fields.Date,
    "time": partial(fields.Time, format="%H:%M"),
    "datetime": LocalDateTime,
    "aware": fields.AwareDateTime,
    "decimal": partial(fields.Decimal, as_string=True),
    "dict": fields.Dict,
    "[str]": partial(fields.List, fields.String),
    "[dict]": partial(fields.List, fields.Dict),
}
"""The kinds of value an answer's field holds, by the name a spec gives them."""


def answer_schema(
    name: str,
    spec: str,
    *,
    base: type[Schema] = Schema,
    doc: str | None = None,
    notes: Mapping[str, str] | None = None,
    **described: fields.Field[Any],
) -> type[Schema]:
    """An answer schema class ``name`` (its OpenAPI component's), its fields in order by ``spec``.

    Each word of ``spec`` is ``field[:kind][?]``: ``kind`` one of ``str`` (the
    default), ``int``, ``bool``, ``date``, ``time`` (hours:minutes), ``datetime``
    (in local time, :class:`~chancery.http.times.LocalDateTime`), ``aware`` (an
    instant with its offset as stored), ``decimal`` (as a string), ``dict``,
    ``[str]`` or ``[dict]``; ``?`` when the value may be null. A field that needs
    more (a description, a nested schema, a computed value) is given in
    ``described`` and listed in ``spec`` by its name alone, where it stands.
    ``base`` gives the fields it declares first (an answer that extends another);
    ``doc`` is the class's docstring; ``notes`` maps a field of ``spec`` that needs
    no more than a description to its text in the document (its kind still given
    by ``spec``).

    Raises :class:`KeyError` for a kind not in :data:`ANSWER_KINDS` and
    :class:`TypeError` for a described field or a note ``spec`` does not list.
    """
    declared: dict[str, Any] = {"__doc__": doc}
    unused_notes = dict(notes or {})
    for word in spec.split():
        field, _, kind = word.removesuffix("?").partition(":")
        if field in described:
            declared[field] = described.pop(field)
            continue
        options: dict[str, Any] = {"allow_none": True} if word.endswith("?") else {}
        if field in unused_notes:
            options["metadata"] = {"description": unused_notes.pop(field)}
        declared[field] = ANSWER_KINDS[kind or "str"](**options)
    if described or unused_notes:
        unlisted = ", ".join([*described, *unused_notes])
        raise TypeError(f"{name}: {unlisted} given but not listed in its spec")
    return type(name, (base,), declared)
