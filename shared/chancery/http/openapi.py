"""The OpenAPI document of every service, made true once for all of them.

flask-smorest writes the document from the views and schemas; this module
corrects and completes it from what the code declares, so the document
cannot drift from the behaviour:

- errors are ``application/problem+json`` with their real schema
  (:class:`ProblemSchema`), for every status an operation can answer,
  derived from the view: a bearer-token guard answers 401 (and 403 when it
  names roles), a path parameter 404, a body 400/413/415/422, query
  parameters 422, ``Idempotency-Key`` 409, ``If-Match`` 412 (and 428 where
  :func:`if_match_required`), writes on an existing record 409; anything
  else (503 while the database is down) is the ``default`` problem;
- concurrency: a view that honours ``If-Match`` documents the header; a read
  marked :func:`versioned_read` documents its ``ETag``, ``If-None-Match`` and
  the ``304`` it answers when nothing changed;
- every operation has a stable ``operationId`` (``<blueprint>_<function>``,
  the HTTP method appended when one view serves several), checked unique, and a
  description that says who may call it, read from ``require(...)``;
- money (``fields.Decimal``) is a decimal string (``type: string, format:
  decimal``), never a number with string bounds;
- URLs are ``format: uri``;
- keys of dictionaries are constrained like their key field
  (``propertyNames``), e.g. the five languages of a language-keyed title;
- rules across fields that a schema checks in code (``@validates_schema``)
  are stated in JSON Schema too: a request schema's ``JSON_SCHEMA`` class
  attribute (``oneOf`` per direction, ``anyOf`` of the ways to reach someone,
  ``contains`` for "exactly one head") is merged into its component.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Flask
from marshmallow import INCLUDE, Schema, fields, validate

from chancery.http.problems import PROBLEM_JSON

ROLES_ATTRIBUTE = "_chancery_roles"
STATUSES_ATTRIBUTE = "_chancery_statuses"
VERSIONED_READ_ATTRIBUTE = "_chancery_versioned_read"
ALSO_ANSWERS_ATTRIBUTE = "_chancery_also_answers"
IF_MATCH_REQUIRED_ATTRIBUTE = "_chancery_if_match_required"
ETAG_HEADER = {
    "description": 'The record\'s version, e.g. ``"3"``: send it back in '
    "``If-Match`` to change it, or in ``If-None-Match`` to read it "
    "only when it changed.",
    "schema": {"type": "string", "example": '"3"'},
}
# Names a view calls when it honours If-Match (chancery.http.if_match and what it calls).
IF_MATCH_READERS = frozenset({"expected_version", "if_match"})
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
URL_PATTERN = (
    r"^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(:[0-9]{1,5})?(/[^\s]*)?$"
)
WRITE_METHODS = ("post", "put", "patch", "delete")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Why each status happens, shown with the problem response of every operation that can answer it.
REASONS = {
    400: "The body is not valid JSON or nests too deep.",
    401: "No bearer token, or one that is expired, forged or revoked.",
    403: "The token lacks the role this operation needs, or the record is beyond its clearance.",
    404: "No such record (or one the caller may not know of).",
    409: "The record's state does not allow this now, or it already exists.",
    412: "If-Match names a version that is no longer the current one; read it again.",
    413: "The body or file is larger than the service accepts.",
    415: "The body is not of a media type this operation takes.",
    422: "A field, parameter or header is invalid (an Idempotency-Key reused for another "
    "body, too); ``errors`` names each with the reason.",
    428: "This change needs an If-Match header with the record's ETag.",
    429: "Too many attempts; wait the seconds ``Retry-After`` says.",
}


class ProblemFieldSchema(Schema):
    """One field at fault in a problem.

    A kind of problem may add its own facts to a field: a booking conflict names what
    holds the resource and when (``event_id``, ``starts_at``, ``event_title``, ...), so
    the document allows properties beyond these three.
    """

    class Meta:
        unknown = INCLUDE

    field = fields.String(
        required=True,
        metadata={
            "description": "The field, parameter or header at fault, as a dotted path "
            "(``sender.email``, ``items[0].title``, ``If-Match``)."
        },
    )
    location = fields.String(
        metadata={
            "description": "Where the field is: json, query, path, headers, form, files or "
            "dependency.",
            "example": "json",
        }
    )
    reason = fields.String(
        required=True,
        metadata={
            "description": "Why it was refused, in words a person can act on.",
            "example": "Not a valid email address.",
        },
    )


class ProblemSchema(Schema):
    """An error as RFC 9457 problem details (``application/problem+json``)."""

    type = fields.String(
        required=True,
        metadata={
            "format": "uri",
            "description": "What kind of problem: a URI under "
            "``https://chancery.example.org/problems/`` (validation, not-found, conflict, ...).",
            "example": "https://chancery.example.org/problems/validation",
        },
    )
    title = fields.String(
        required=True,
        metadata={
            "description": "A short summary of the kind of problem.",
            "example": "Invalid request",
        },
    )
    status = fields.Integer(
        required=True, metadata={"description": "The HTTP status code, repeated.", "example": 422}
    )
    detail = fields.String(
        metadata={
            "description": "What went wrong with this request.",
            "example": "The request has invalid fields.",
        }
    )
    errors = fields.List(
        fields.Nested(ProblemFieldSchema),
        metadata={"description": "Each field at fault with the reason (validation problems)."},
    )


def roles_of(view: Callable[..., Any]) -> tuple[str, ...] | None:
    """The roles a view's ``require(...)`` names (``()``: any valid token; None: no guard)."""
    return getattr(view, ROLES_ATTRIBUTE, None)


def may_answer(*statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare problem statuses a view answers that its shape does not show (e.g. 429)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, STATUSES_ATTRIBUTE, (*getattr(view, STATUSES_ATTRIBUTE, ()), *statuses))
        return view

    return mark


def also_answers(*media_types: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare text media types a JSON view also answers (``format=csv``: ``text/csv``)."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ALSO_ANSWERS_ATTRIBUTE, media_types)
        return view

    return mark


def versioned_read(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a read that answers its record's ``ETag`` (and ``304`` to ``If-None-Match``)."""
    setattr(view, VERSIONED_READ_ATTRIBUTE, True)
    return view


def if_match_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Require ``If-Match`` on a change of a record people edit together (428 without it).

    The view still reads the version with :func:`chancery.http.if_match`;
    this refuses the request before it when the header is missing.
    """

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from chancery.http import if_match

        if_match(required=True)
        return view(*args, **kwargs)

    setattr(guarded, IF_MATCH_REQUIRED_ATTRIBUTE, True)
    return guarded


def problem_responses() -> dict[str, dict[str, Any]]:
    """The component responses flask-smorest references, each a problem document."""
    responses = {
        status.name: {
            "description": _why(status),
            "content": {PROBLEM_JSON: {"schema": ProblemSchema}},
        }
        for status in HTTPStatus
        if status >= 400
    }
    responses["DEFAULT_ERROR"] = {
        "description": "Any other error, e.g. 503 while the database cannot be reached "
        "(with Retry-After); always a problem document.",
        "content": {PROBLEM_JSON: {"schema": ProblemSchema}},
    }
    return responses


def _why(status: HTTPStatus) -> str:
    reason = REASONS.get(status.value)
    return f"{status.phrase}: {reason}" if reason else status.phrase


def decimal_as_string(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Document a Decimal (money) as the decimal string it is sent and answered as."""
    if not isinstance(field, fields.Decimal):
        return ret
    kinds = ret.get("type")
    ret["type"] = ["string", "null"] if isinstance(kinds, list) and "null" in kinds else "string"
    ret["format"] = "decimal"
    ret["pattern"] = _decimal_pattern(ret.get("minimum"), ret.get("maximum"))
    bounds = [
        f"{name} {ret.pop(key)}"
        for key, name in (("minimum", "at least"), ("maximum", "at most"))
        if key in ret
    ]
    note = (
        'A decimal number as a string, e.g. "12.50"'
        + (f" ({', '.join(bounds)})" if bounds else "")
        + "."
    )
    ret["description"] = f"{ret['description']} {note}" if ret.get("description") else note
    return ret


def _decimal_pattern(minimum: Any, maximum: Any) -> str:
    """The decimal string's pattern, with as much of its bounds as a pattern can say: no
    minus sign when it may not be negative, no more whole digits than the maximum has
    (one fewer, so every number it allows is within the maximum)."""
    if minimum is None and maximum is None:
        return DECIMAL_PATTERN
    sign = "" if minimum is not None and float(minimum) >= 0 else "-?"
    whole = (
        f"{{1,{len(str(int(float(maximum)))) - 1}}}"
        if maximum is not None and float(maximum) >= 10
        else "+"
    )
    return rf"^{sign}[0-9]{whole}(\.[0-9]+)?$"


FIELD_KEYWORDS = "json_schema"
# What CleanText refuses, as JSON Schema patterns: no control character (a line feed and a
# tab allowed in multi-line text), no line or paragraph separator. Lone surrogates, refused
# too, are not valid UTF-8 in JSON, and no regex engine of the validators can name them.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
MULTI_LINE_PATTERN = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$"


def clean_text(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Say in the document what :class:`chancery.validation.CleanText` refuses."""
    from chancery.validation import CleanText

    rules = [rule for rule in field.validators if isinstance(rule, CleanText)]
    if rules and "pattern" not in ret:
        ret["pattern"] = SINGLE_LINE_PATTERN if rules[0].single_line else MULTI_LINE_PATTERN
    return ret


def plausible_dates(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Say in the document which years a date or a moment may have (WithinDates' window).

    The pattern names the years wholly inside the window (a partial first or last year is
    left to the description): what it allows, the server takes.
    """
    from chancery.validation import WithinDates

    rules = [rule for rule in field.validators if isinstance(rule, WithinDates)]
    if not rules or "pattern" in ret:
        return ret
    earliest, latest = rules[0].bounds()
    first = earliest.year if (earliest.month, earliest.day) == (1, 1) else earliest.year + 1
    last = latest.year if (latest.month, latest.day) == (12, 31) else latest.year - 1
    if first % 100 == 0 and last % 100 == 99:  # whole centuries: 1900 to 2199
        centuries = "|".join(f"{century:02d}" for century in range(first // 100, last // 100 + 1))
        ret["pattern"] = f"^({centuries})[0-9]{{2}}-"
    elif first <= last:
        ret["pattern"] = "^(" + "|".join(f"{year:04d}" for year in range(first, last + 1)) + ")-"
    note = f"Between {earliest.isoformat()} and {latest.isoformat()}."
    ret["description"] = f"{ret['description']} {note}" if ret.get("description") else note
    return ret


def field_keywords(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Merge a field's ``metadata={"json_schema": {...}}`` (keywords apispec does not know,
    e.g. ``contains``/``maxContains`` for "at most one head") into its property."""
    ret.update(field.metadata.get(FIELD_KEYWORDS, {}))
    return ret


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def sizes_and_times(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """A mapping's ``Length`` as ``minProperties``/``maxProperties``; a time of day as the
    ``HH:MM`` or ``HH:MM:SS`` marshmallow reads (apispec says neither)."""
    if isinstance(field, fields.Dict):
        ret.pop("minLength", None)  # apispec's reading of Length, meaningless on an object
        ret.pop("maxLength", None)
        for rule in field.validators:
            if isinstance(rule, validate.Length):
                if rule.min is not None:
                    ret["minProperties"] = rule.min
                if rule.max is not None:
                    ret["maxProperties"] = rule.max
    if isinstance(field, fields.Time):
        ret.setdefault("pattern", TIME_PATTERN)
    return ret


def url_as_uri(
    _converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """A URL field is ``format: uri`` (apispec writes ``url``, which no validator knows),
    an http(s) address on a named host (what marshmallow's ``Url`` takes)."""
    if isinstance(field, fields.Url):
        ret["format"] = "uri"
        ret.setdefault("pattern", URL_PATTERN)
    return ret


def dictionary_keys(
    converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """Constrain a dictionary's keys (``propertyNames``) as its key field is constrained."""
    key_field = getattr(field, "key_field", None)
    if not isinstance(field, fields.Dict) or key_field is None:
        return ret
    keys = {
        name: value
        for name, value in converter.field2property(key_field).items()
        if name in ("enum", "pattern", "minLength", "maxLength")
    }
    if keys:
        ret["propertyNames"] = keys
    return ret


SCHEMA_KEYWORDS_ATTRIBUTE = "JSON_SCHEMA"


def add_schema_keywords(spec: Any, converter: Any) -> None:
    """Merge each schema class's ``JSON_SCHEMA`` (cross-field rules) into its component.

    Each branch of a ``oneOf``/``anyOf`` is completed into a whole object (every property
    of the component, the branch's rules laid over them), so a client generator makes one
    complete type per branch (``IncomingLetter | OutgoingLetter``), not fragments.
    """
    for key, name in converter.refs.items():
        keywords = copy.deepcopy(getattr(key[0], SCHEMA_KEYWORDS_ATTRIBUTE, None))
        component = spec.components.schemas.get(name)
        if keywords and component is not None:
            for word in ("oneOf", "anyOf"):
                for branch in keywords.get(word, []):
                    _complete_branch(component, branch)
            component.update(keywords)


def _narrowed(prop: dict[str, Any], rule: dict[str, Any]) -> dict[str, Any]:
    """``prop`` with a branch's ``rule`` laid over it; a rule's non-null type drops the nulls."""
    merged = {**prop, **rule}
    kinds = rule.get("type")
    if kinds is not None and "null" not in (kinds if isinstance(kinds, list) else [kinds]):
        if merged.get("default", "") is None:
            del merged["default"]
        if "enum" in merged:
            merged["enum"] = [value for value in merged["enum"] if value is not None]
    if "const" in rule:
        merged.pop("enum", None)
    allowed = [rule["const"]] if "const" in rule else rule.get("enum")
    if allowed is not None and "default" in merged and merged["default"] not in allowed:
        del merged["default"]
    return merged


def _complete_branch(component: dict[str, Any], branch: dict[str, Any]) -> None:
    properties = component.get("properties", {})
    rules = branch.get("properties", {})
    branch["type"] = "object"
    branch["properties"] = {
        name: _narrowed(properties.get(name, {}), rules.get(name, {}))
        for name in {**properties, **rules}
    }
    branch["required"] = sorted({*component.get("required", []), *branch.get("required", [])})
    if component.get("additionalProperties") is False:
        branch["additionalProperties"] = False


def document_operations(app: Flask, spec: Any) -> None:
    """Complete every operation of ``spec`` from its view (see the module's docstring)."""
    seen: set[str] = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        item = spec._paths.get(path)  # apispec keeps no public accessor for added paths
        if item is None:
            continue
        view = app.view_functions[rule.endpoint]
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method in methods:
            operation = item.get(method.lower())
            if operation is None:
                continue
            handler = _handler(view, method.lower())
            operation_id = _operation_id(rule.endpoint, method.lower(), len(methods) > 1)
            if operation_id in seen:
                raise ValueError(f"operationId {operation_id} is used twice")
            seen.add(operation_id)
            operation["operationId"] = operation_id
            _describe(operation, handler)
            _add_concurrency(operation, handler, method.lower())
            _add_media_types(operation, handler)
            _add_problems(spec, operation, item, handler, method.lower())


def _handler(view: Callable[..., Any], method: str) -> Callable[..., Any]:
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, method) if view_class is not None else view


def _operation_id(endpoint: str, method: str, several_methods: bool) -> str:
    operation_id = endpoint.replace(".", "_").replace("-", "_")
    return f"{operation_id}_{method}" if several_methods else operation_id


def _describe(operation: dict[str, Any], handler: Callable[..., Any]) -> None:
    roles = roles_of(handler)
    if roles is None:
        who = "Open to anyone, without a token."
    elif roles:
        who = (
            "Needs a bearer token with one of the roles: "
            + ", ".join(f"``{role}``" for role in roles)
            + "."
        )
    else:
        who = "Needs a bearer token (any role)."
    # The summary is the docstring's first line; the description its rest, then who may call.
    description = operation.get("description") or ""
    operation["description"] = f"{description}\n\n**Who may call it:** {who}".strip()


def _honours_if_match(handler: Callable[..., Any]) -> bool:
    return bool(IF_MATCH_READERS & set(_called_names(handler))) or _requires_if_match(handler)


def _requires_if_match(handler: Callable[..., Any]) -> bool:
    return getattr(handler, IF_MATCH_REQUIRED_ATTRIBUTE, False)


def _add_concurrency(operation: dict[str, Any], handler: Callable[..., Any], method: str) -> None:
    """The ``ETag`` answered, ``If-None-Match`` (reads) and ``If-Match`` (changes) taken."""
    parameters = operation.setdefault("parameters", [])
    versioned = getattr(handler, VERSIONED_READ_ATTRIBUTE, False)
    if method == "get" and versioned:
        parameters.append(
            {
                "in": "header",
                "name": "If-None-Match",
                "required": False,
                "description": "The ETag you hold: answered 304 without a body while the record "
                "is unchanged.",
                "schema": {"type": "string", "example": '"3"'},
            }
        )
        operation["responses"]["304"] = {
            "description": "Not Modified: the record still has the ETag given in "
            "If-None-Match; no body.",
            "headers": {"ETag": ETAG_HEADER},
        }
    elif method in WRITE_METHODS and _honours_if_match(handler):
        required = _requires_if_match(handler)
        parameters.append(
            {
                "in": "header",
                "name": "If-Match",
                "required": required,
                "description": 'The ETag of the record as you read it (``"3"``); a stale one '
                "is answered 412 and nothing is applied"
                + (
                    ", and without it the change is refused (428)."
                    if required
                    else "; without it the change applies to the current version."
                ),
                "schema": {"type": "string", "example": '"3"'},
            }
        )
    else:
        return
    for status, response in operation["responses"].items():
        if status.startswith("2") and isinstance(response, dict) and "$ref" not in response:
            response.setdefault("headers", {})["ETag"] = ETAG_HEADER


def _add_media_types(operation: dict[str, Any], handler: Callable[..., Any]) -> None:
    for media_type in getattr(handler, ALSO_ANSWERS_ATTRIBUTE, ()):
        for status, response in operation["responses"].items():
            if status.startswith("2") and isinstance(response, dict) and "$ref" not in response:
                response.setdefault("content", {})[media_type] = {"schema": {"type": "string"}}


def _add_problems(
    spec: Any,
    operation: dict[str, Any],
    item: dict[str, Any],
    handler: Callable[..., Any],
    method: str,
) -> None:
    responses = operation.setdefault("responses", {})
    for status in sorted(_statuses(operation, item, handler, method)):
        if str(status) in responses:
            continue
        name = HTTPStatus(status).name
        responses[str(status)] = spec.components.get_ref("response", name)
    responses["default"] = spec.components.get_ref("response", "DEFAULT_ERROR")


def _statuses(
    operation: dict[str, Any], item: dict[str, Any], handler: Callable[..., Any], method: str
) -> set[int]:
    statuses = set(getattr(handler, STATUSES_ATTRIBUTE, ()))
    roles = roles_of(handler)
    if roles is not None:
        statuses |= {401, 403} if roles else {401}
    parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
    names = {(parameter.get("in"), parameter.get("name")) for parameter in parameters}
    has_path = any(where == "path" for where, _ in names)
    if has_path:
        statuses.add(404)
    if any(where == "query" for where, _ in names):
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413, 415, 422}
    if ("header", "Idempotency-Key") in names:
        statuses |= {409, 422}
    if method in WRITE_METHODS and has_path:
        statuses.add(409)
    if _honours_if_match(handler):
        statuses.add(412)
    if _requires_if_match(handler):
        statuses.add(428)
    return statuses


def _called_names(handler: Callable[..., Any]) -> Iterable[str]:
    function = getattr(handler, "__wrapped__", handler)
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    code = getattr(function, "__code__", None)
    return code.co_names if code is not None else ()


def file_responses(description: str, *media_types: str, status: int = 200) -> dict[str, Any]:
    """Doc for ``@blp.doc(**file_responses(...))``: a non-JSON answer (CSV, iCalendar, a file)."""
    content = {
        media_type: {
            "schema": {"type": "string"}
            if media_type.startswith("text/")
            else {"type": "string", "format": "binary"}
        }
        for media_type in media_types
    }
    return {"responses": {str(status): {"description": description, "content": content}}}


def idempotency_key(
    retry: str = "returns the first result and creates nothing new", *, required: bool = False
) -> dict[str, Any]:
    """Doc for ``@blp.doc(**idempotency_key(...))``: the operation takes ``Idempotency-Key``.

    ``retry`` says what a retried request with the same key does (e.g. "returns
    the first result and registers nothing new"); ``required`` for an operation
    that refuses a request without the key (its view checks, the document says).
    :func:`chancery.http.idempotent_request` reads the header.
    """
    return {
        "parameters": [
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": required,
                "schema": {"type": "string", "maxLength": 200},
                "description": f"A retried request with the same key {retry}.",
            }
        ]
    }
