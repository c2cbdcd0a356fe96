"""A resource's default roles: given once, used where an operation names none."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import Schema, fields

from chancery.http.openapi import IF_MATCH_REQUIRED_ATTRIBUTE, ROLES_ATTRIBUTE
from chancery.http.paging import PageQuery
from chancery.http.resources import Resource


class Thing(Schema):
    id = fields.String()


def _view(**_: Any) -> None:
    """A view whose body the test never calls."""


def test_reads_and_changes_take_the_resources_roles_unless_they_name_their_own() -> None:
    things = Resource("things", __name__, "Things.", readers=("reader",), editors=("editor",))
    read = things.reading("/<thing_id>", Thing)(_view)
    listed = things.listing(PageQuery, Thing, roles=("auditor",))(_view)
    changed = things.change("/<thing_id>", Thing, Thing)(_view)
    assert getattr(read, ROLES_ATTRIBUTE) == ("reader",)
    assert getattr(listed, ROLES_ATTRIBUTE) == ("auditor",)
    assert getattr(changed, ROLES_ATTRIBUTE) == ("editor",)
    assert getattr(changed, IF_MATCH_REQUIRED_ATTRIBUTE) is True


def test_an_operation_without_roles_and_without_a_default_is_refused() -> None:
    things = Resource("things", __name__, "Things.")
    with pytest.raises(TypeError, match="things: a reading needs roles"):
        things.reading("/<thing_id>", Thing)


def test_a_public_resources_operations_take_no_token_and_name_no_roles() -> None:
    links = Resource("links", __name__, "Links.", public=True)
    read = links.reading("/<token>", Thing)(_view)
    assert not hasattr(read, ROLES_ATTRIBUTE)
    with pytest.raises(TypeError, match="links: a public reading takes no roles"):
        links.reading("/<token>", Thing, roles=("reader",))


def test_an_action_without_roles_on_a_resource_that_is_not_public_is_refused() -> None:
    things = Resource("things", __name__, "Things.")
    with pytest.raises(TypeError, match="things: a action needs roles"):
        things.action("/<thing_id>/go", None, Thing)
