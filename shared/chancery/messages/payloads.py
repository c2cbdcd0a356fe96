"""Typed payloads: a contract is a frozen dataclass, its wire schema derived from it.

Each field of a contract's dataclass is written once, as its Python type
annotated with the marshmallow field that reads and writes it on the wire::

    @payload_dataclass
    class LetterArchivedV1:
        letter_id: Annotated[UUID, fields.UUID(required=True)]
        file_reference: Annotated[str | None, fields.String(load_default=None, allow_none=True)]

:func:`payload_dataclass` makes the class a frozen, slotted, keyword-only
dataclass and :func:`payload` builds the marshmallow schema from those fields (decision
78): it validates, fills ``load_default`` s, ignores unknown fields
(:class:`~chancery.messages.contracts.PayloadSchema`) and loads into the
dataclass, so a handler reads ``message.payload.letter_id``. Dumping a dict
or a dataclass through it gives the same wire form, so producers may go on
building dicts. The field types contracts share are named once in
:mod:`chancery.messages.fieldtypes` (``letter_id: Id``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
import typing
from typing import Any, TypeVar, dataclass_transform

from marshmallow import fields, missing, post_load

from chancery.messages.contracts import PayloadSchema

T = TypeVar("T")

_SCHEMAS: dict[type[Any], type[PayloadSchema]] = {}
_VERSIONED = re.compile(r"V[0-9]+$")


def payload(cls: type[T]) -> type[T]:
    """Derive ``cls``'s wire schema from its fields (apply on top of ``@dataclass``).

    Every field's annotation must carry its marshmallow field, either
    ``required`` or with a ``load_default`` (a loaded payload has every
    field). The schema is named as a message's class (``LetterRoutedV1``)
    or, for a part nested in messages, the class's name and ``Schema``
    (``AddresseeSchema``); its docstring is the class's. Only the derived
    schema itself loads into ``cls``: a schema extending it (an HTTP edge
    reusing a part's rules) loads dicts, as before.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__}: @payload goes on top of @dataclass")
    hints = typing.get_type_hints(cls, include_extras=True)
    declared: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        wire = [
            extra
            for extra in getattr(hints[field.name], "__metadata__", ())
            if isinstance(extra, fields.Field)
        ]
        if len(wire) != 1:
            raise TypeError(f"{cls.__name__}.{field.name}: annotate it with one marshmallow field")
        if not wire[0].required and wire[0].load_default is missing:
            raise TypeError(f"{cls.__name__}.{field.name}: required or a load_default")
        # A shared field type (chancery.messages.fieldtypes) holds one field object for
        # all its uses; marshmallow binds a field to its name, so each use gets its own.
        declared[field.name] = copy.deepcopy(wire[0])

    def make(schema: PayloadSchema, data: dict[str, Any], **_kwargs: Any) -> Any:
        # An edge's schema extending this one (an HTTP body's part) loads a dict as before.
        return cls(**data) if type(schema) is derived else data

    name = cls.__name__ if _VERSIONED.search(cls.__name__) else f"{cls.__name__}Schema"
    derived = type(
        name,
        (PayloadSchema,),
        {
            **declared,
            "__doc__": cls.__doc__,
            "__module__": cls.__module__,
            "__qualname__": name,
            "_make_payload": post_load(make),
        },
    )
    _SCHEMAS[cls] = derived
    return cls


def schema_of(cls: type[Any]) -> type[PayloadSchema]:
    """The wire schema :func:`payload` derived from ``cls``."""
    try:
        return _SCHEMAS[cls]
    except KeyError:
        raise TypeError(f"{cls.__name__} is not a @payload dataclass") from None


def nested(cls: type[Any], **options: Any) -> fields.Nested:
    """The marshmallow field of a part (``cls``, a :func:`payload` dataclass) in a payload."""
    return fields.Nested(schema_of(cls), **options)


@dataclass_transform(kw_only_default=True, frozen_default=True)
def payload_dataclass(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, slotted, keyword-only dataclass and derive its schema.

    How every message contract and part is declared: ``@payload`` over
    ``@dataclass(frozen=True, slots=True, kw_only=True)`` in one line.
    """
    return payload(dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls))
