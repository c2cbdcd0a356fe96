"""Calls to the five services' HTTP APIs with the signed-in person's token.

The pages never read another service's database: whatever they show comes
through here. A problem+json answer becomes :class:`ApiError`, whose
``field_errors`` the forms show next to the field the service named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import requests


@dataclass
class ApiError(Exception):
    """A service answered with an error (its problem document, when it sent one)."""

    status: int
    title: str
    detail: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail or ''}"

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """The service's reasons by field path (``sender.name``), as the forms name fields."""
        by_field: dict[str, list[str]] = {}
        for error in self.errors:
            by_field.setdefault(error.get("field") or "_schema", []).append(
                error.get("reason") or "")
        return by_field


class ServiceUnavailable(ApiError):
    """The service could not be reached."""


class ApiClient:
    """One person's view of the services: every call carries their bearer token."""

    def __init__(self, base_urls: Mapping[str, str], token: str | None,
                 http: requests.Session, timeout: float) -> None:
        self._urls = base_urls
        self._token = token
        self._http = http
        self._timeout = timeout

    def get(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a JSON document."""
        return self._call("GET", service, path, params=_clean(params)).json()

    def get_text(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> str:
        """GET a text document (e.g. CSV), decoded as UTF-8."""
        return self._call("GET", service, path, params=_clean(params)).content.decode("utf-8")

    def get_response(self, service: str, path: str) -> requests.Response:
        """GET anything (a file), streamed."""
        return self._call("GET", service, path, stream=True)

    def post(self, service: str, path: str, body: Mapping[str, Any] | None = None,
             headers: Mapping[str, str] | None = None) -> Any:
        """POST JSON; the answer's JSON (or ``None`` when it has no body)."""
        response = self._call("POST", service, path, json=dict(body or {}), headers=headers)
        return response.json() if response.content else None

    def put(self, service: str, path: str, body: Mapping[str, Any],
            headers: Mapping[str, str] | None = None) -> Any:
        """PUT JSON; the answer's JSON (or ``None`` when it has no body)."""
        response = self._call("PUT", service, path, json=dict(body), headers=headers)
        return response.json() if response.content else None

    def upload(self, service: str, path: str, files: Iterable[tuple[str, BinaryIO, str]]
               ) -> list[Any]:
        """POST each ``(filename, stream, media type)`` as a multipart ``file``."""
        return [self._call("POST", service, path,
                           files={"file": (name, stream, media_type)}).json()
                for name, stream, media_type in files]

    def _call(self, method: str, service: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        url = self._urls[service] + path
        try:
            response = self._http.request(method, url, headers=headers, timeout=self._timeout,
                                          **kwargs)
        except requests.RequestException as exc:
            raise ServiceUnavailable(503, f"{service} unreachable", str(exc)) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (params or {}).items() if value not in (None, "")}


def _error_from(response: requests.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    errors = [error for error in body.get("errors") or [] if isinstance(error, dict)]
    return ApiError(response.status_code, str(body.get("title") or response.reason),
                    body.get("detail"), errors)
