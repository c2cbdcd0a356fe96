"""How a service's views are declared: a resource and one decorator per kind of operation.

A view module's operations repeat the same stacks of flask-smorest decorators:
the route, the marks the OpenAPI document reads (:func:`chancery.http.openapi.versioned_read`,
:func:`chancery.http.auditing.personal_data`), the roles, the arguments, the answer and
the ``Idempotency-Key`` and ``If-Match`` documentation. A :class:`Resource` writes each
stack once, one decorator per kind of operation (a listing, a creation, a reading, a
change, any other action); the view module names what differs (paths, schemas, roles)
and keeps its view functions, whose bodies call the use case. Each stack is applied in
the order the views wrote by hand (route, marks, roles, ``If-Match``, arguments, answer,
``Idempotency-Key``, ``also``), so the OpenAPI document stays the same (decision 85).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema

from chancery.http.openapi import idempotency_key, if_match_required
from chancery.http.paging import paged_response
from chancery.http.security import require

View = Callable[..., Any]
Decorator = Callable[[View], View]


def stacked(*decorators: Decorator) -> Decorator:
    """The decorators applied as if written one above the other, the first on top."""

    def decorate(view: View) -> View:
        for decorator in reversed(decorators):
            view = decorator(view)
        return view

    return decorate


class Resource:
    """One resource's blueprint (mounted at ``url_prefix``, ``/<name>`` by default) and the
    decorators of its operations.

    ``readers`` are the roles a listing or a reading allows when it names none, ``editors``
    those of a change; a service whose resources share their roles gives them once here.
    ``url_prefix=""`` mounts the resource at the root (its paths name their own parts).
    ``public``: its operations take no token and name no roles (a resident's link, a feed
    whose URL is the secret); on any other resource an operation without roles is refused.
    """

    def __init__(
        self,
        name: str,
        import_name: str,
        description: str,
        *,
        url_prefix: str | None = None,
        readers: Sequence[str] = (),
        editors: Sequence[str] = (),
        public: bool = False,
    ) -> None:
        self.blueprint = Blueprint(
            name,
            import_name,
            url_prefix=f"/{name}" if url_prefix is None else url_prefix,
            description=description,
        )
        self.readers = tuple(readers)
        self.editors = tuple(editors)
        self.public = public

    def _roles(
        self, roles: Sequence[str] | None, default: tuple[str, ...], kind: str
    ) -> Sequence[str]:
        # No roles at all would let any signed-in caller in: a forgotten default must fail loudly.
        if self.public:
            if roles:
                raise TypeError(f"{self.blueprint.name}: a public {kind} takes no roles")
            return ()
        if roles is not None:
            return roles
        if not default:
            raise TypeError(f"{self.blueprint.name}: a {kind} needs roles (none given, no default)")
        return default

    def _idempotency(self, idempotent: bool, retried: str | None) -> tuple[Decorator, ...]:
        if retried:
            return (self.doc(**idempotency_key(retried)),)
        return (self.doc(**idempotency_key()),) if idempotent else ()

    def doc(self, **documentation: Any) -> Decorator:
        """More of an operation's OpenAPI document (flask-smorest's ``Blueprint.doc``)."""
        decorate: Decorator = self.blueprint.doc(**documentation)
        return decorate

    def operation(
        self,
        method: str,
        path: str,
        roles: Sequence[str],
        *guarded: Decorator,
        marks: Sequence[Decorator] = (),
    ) -> Decorator:
        """The route, its ``marks``, the roles (none on a public resource), then ``guarded``
        (arguments, answer, ...)."""
        guard = () if self.public else (require(*self._roles(roles, (), "operation")),)
        return stacked(self.blueprint.route(path, methods=[method]), *marks, *guard, *guarded)

    def listing(
        self,
        query: type[Schema],
        item: type[Schema],
        *,
        roles: Sequence[str] | None = None,
        path: str = "",
        marks: Sequence[Decorator] = (),
        also: Sequence[Decorator] = (),
    ) -> Decorator:
        """``GET``: a page of ``item`` filtered by the query string ``query``."""
        return self.operation(
            "GET",
            path,
            self._roles(roles, self.readers, "listing"),
            self.blueprint.arguments(query(), location="query", unknown=RAISE),
            paged_response(self.blueprint, item),
            *also,
            marks=marks,
        )

    def reading(
        self,
        path: str,
        answer: type[Schema] | Schema,
        *,
        roles: Sequence[str] | None = None,
        query: type[Schema] | None = None,
        marks: Sequence[Decorator] = (),
    ) -> Decorator:
        """``GET`` one record as ``answer``, with the query string ``query`` when given."""
        arguments = (
            (self.blueprint.arguments(query(), location="query", unknown=RAISE),) if query else ()
        )
        return self.operation(
            "GET",
            path,
            self._roles(roles, self.readers, "reading"),
            *arguments,
            self.blueprint.response(200, answer),
            marks=marks,
        )

    def creation(
        self,
        body: type[Schema],
        answer: type[Schema],
        *,
        roles: Sequence[str] | None = None,
        path: str = "",
        idempotent: bool = True,
        retried: str | None = None,
        example: Any = None,
        answer_example: Any = None,
    ) -> Decorator:
        """``POST`` a ``body``, answered ``201`` with ``answer``; ``idempotent``: it takes an
        ``Idempotency-Key`` (the view keeps the first result, e.g. with ``created_once``),
        ``retried`` says what a request retried with the key does when it is not "returns the
        first result and creates nothing new"."""
        return self.action(
            path,
            body,
            answer,
            roles=roles,
            status=201,
            example=example,
            answer_example=answer_example,
            idempotent=idempotent,
            retried=retried,
        )

    def change(
        self,
        path: str,
        body: type[Schema],
        answer: type[Schema],
        *,
        roles: Sequence[str] | None = None,
    ) -> Decorator:
        """``PATCH`` a record people edit together: ``If-Match`` required, ``answer`` back
        (the view still reads the version with :func:`chancery.http.if_match`)."""
        return self.operation(
            "PATCH",
            path,
            self._roles(roles, self.editors, "change"),
            if_match_required,
            self.blueprint.arguments(body()),
            self.blueprint.response(200, answer),
        )

    def action(
        self,
        path: str,
        body: type[Schema] | None,
        answer: type[Schema] | Schema | None,
        *,
        roles: Sequence[str] | None = None,
        method: str = "POST",
        status: int = 200,
        body_required: bool = True,
        idempotent: bool = False,
        retried: str | None = None,
        example: Any = None,
        answer_example: Any = None,
        also: Sequence[Decorator] = (),
    ) -> Decorator:
        """Any other operation on ``path``: a ``body`` (or none; ``body_required=False``: it
        may be left out) in, ``answer`` (a schema, an instance such as ``Out(many=True)``, or
        none) out with ``status``; ``idempotent``: it takes an ``Idempotency-Key`` (``retried``:
        and what a request retried with the key does); then ``also`` (more of the document,
        e.g. ``may_answer(429)``)."""
        arguments = (
            (self.blueprint.arguments(body(), required=body_required, example=example),)
            if body
            else ()
        )
        answered = self.blueprint.response(status, answer, example=answer_example)
        return self.operation(
            method,
            path,
            self._roles(roles, (), "action"),
            *arguments,
            answered,
            *self._idempotency(idempotent, retried),
            *also,
        )
