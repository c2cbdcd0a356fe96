"""Every e-mail field of every service's API and every contract uses the one validator."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest
from marshmallow import Schema, fields

from chancery.emails import EmailAddress
from chancery.messages.catalogue import CATALOGUE
from chancery.services import installed_services


def _schemas(module) -> list[type[Schema]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Schema)
    ]


def _api_schema_modules(package: str) -> list[ModuleType]:
    """A service's request and answer schemas: ``http/schemas/<resource>.py`` in the one
    shape (decision 77), ``schemas.py`` in a service not moved there yet."""
    try:
        schemas = importlib.import_module(f"{package}.http.schemas")
    except ModuleNotFoundError:
        return [importlib.import_module(f"{package}.schemas")]
    return [
        schemas,
        *(
            importlib.import_module(info.name)
            for info in pkgutil.iter_modules(schemas.__path__, f"{schemas.__name__}.")
        ),
    ]


def _loaded_email_fields(schema: type[Schema]):
    """Fields that load an address: ``Email`` fields and ``email`` fields of request schemas."""
    for name, field in schema._declared_fields.items():
        if isinstance(field, fields.Email) or (
            "mail" in name
            and not field.dump_only
            and schema.__name__.endswith(("In", "Patch", "Schema"))
        ):
            yield f"{schema.__name__}.{name}", field


@pytest.mark.parametrize("definition", installed_services(), ids=lambda d: d.name)
def test_every_api_field_for_an_address_is_checked_by_the_shared_validator(definition):
    found = [
        (where, field)
        for module in _api_schema_modules(definition.module)
        for schema in _schemas(module)
        for where, field in _loaded_email_fields(schema)
    ]
    assert found, f"{definition.name} takes no e-mail address?"
    assert [where for where, field in found if not isinstance(field, EmailAddress)] == []


def test_every_contract_schema_uses_the_shared_validator():
    modules = {type(entry.payload_schema).__module__ for entry in CATALOGUE}
    found = [
        (where, field)
        for name in sorted(modules)
        for schema in _schemas(importlib.import_module(name))
        for where, field in _loaded_email_fields(schema)
    ]
    assert len(found) >= 5
    assert [where for where, field in found if not isinstance(field, EmailAddress)] == []
