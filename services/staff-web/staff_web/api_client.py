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

# What intake takes of a correspondent (its sender as read becomes the reply's recipient).
CORRESPONDENT_FIELDS = ("type", "name", "organisation", "email", "phone", "address",
                        "country", "preferred_language")


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

    def all(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a list whole: every page of it, followed by its cursor.

        For the desks' short lists (a day's appointments, an event's programme); an
        answer that is not a page (one record) comes back as it is.
        """
        asked = _clean(params)
        body = self.get(service, path, asked)
        if not (isinstance(body, dict) and "items" in body and "next_cursor" in body):
            return body
        items = list(body["items"])
        for _ in range(MAX_PAGES):
            if not body.get("next_cursor"):
                break
            body = self.get(service, path, {**asked, "cursor": body["next_cursor"]})
            items.extend(body["items"])
        return items

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

    # The reads and actions of the department, endorsement and mayor's desks. Each
    # endpoint is called from here only, so a change of its shape (paging, fields) is
    # adapted in one place.

    def department_letters(self, department: str | None) -> list[dict[str, Any]]:
        """Routing's letters of a department, its own and its copies (staff see their own)."""
        return _items(self.get("routing", "/letters", {"department": department,
                                                       "limit": 200}))

    def workflow_letter(self, letter_id: str) -> dict[str, Any]:
        """Routing's state of one letter with its history."""
        return self.get("routing", f"/letters/{letter_id}")

    def letter_by_number(self, number: str) -> dict[str, Any]:
        """Intake's letter by its registration number."""
        return self.get("intake", f"/letters/by-number/{number}")

    def assignments(self, **filters: Any) -> list[dict[str, Any]]:
        """Routing's assignments (``department``, ``executor``, ``status``, ``due_by``)."""
        return _items(self.get("routing", "/assignments", filters))

    def staff_directory(self, department: str | None) -> list[dict[str, Any]]:
        """The active people of a department (all departments: ``None``) from routing's
        one staff directory."""
        return _items(self.get("routing", "/staff", {"department": department,
                                                     "active": "true"}))

    def assign_executor(self, letter_id: str, executor: str) -> dict[str, Any]:
        """Name (or change) a letter's executor: an active member of its department."""
        return self.post("routing", f"/letters/{letter_id}/assign", {"executor": executor})

    def submit_reply(self, letter_id: str, subject: str, summary: str | None,
                     language: str) -> dict[str, Any]:
        """Send the reply draft into its endorsement circuit."""
        return self.post("routing", f"/letters/{letter_id}/reply",
                         {"subject": subject, "summary": summary or None,
                          "language": language})

    def pending_endorsements(self) -> list[dict[str, Any]]:
        """The replies waiting for a step the caller decides, with the letter's number,
        the draft's text and the earlier steps' ``decisions`` (steps counted from 1)."""
        return _items(self.get("routing", "/endorsements"))

    def decide_endorsement(self, endorsement_id: str, approve: bool, step: int,
                           comment: str | None) -> dict[str, Any]:
        """Approve or return the step the endorser saw (``step`` counted from 1, as listed)."""
        action = "approve" if approve else "return"
        return self.post("routing", f"/endorsements/{endorsement_id}/{action}",
                         {"step": step, "comment": comment or None})

    def give_assignment(self, title: str, description: str | None, department: str,
                        executor: str | None, due_date: str) -> dict[str, Any]:
        """An own task given to a department or a person."""
        return self.post("routing", "/assignments", {
            "title": title, "description": description or None, "department_code": department,
            "executor": executor or None, "due_date": due_date})

    def finish_assignment(self, assignment_id: str, status: str, report: str | None
                          ) -> dict[str, Any]:
        """Mark an own task done (its report is required) or cancelled."""
        body = {"status": status, **({"report": report} if report else {})}
        return self.post("routing", f"/assignments/{assignment_id}/finish", body)

    def approved_replies(self) -> list[dict[str, Any]]:
        """Replies their whole circuit approved, waiting for the registry to register them."""
        return _items(self.get("routing", "/endorsements/approved"))

    def register_reply(self, incoming: Mapping[str, Any], subject: str, summary: str | None,
                       language: str) -> dict[str, Any]:
        """Register the approved reply at intake: an outgoing letter ``in_reply_to`` the
        incoming one, to its sender (routing then makes the letter answered)."""
        return self.post("intake", "/letters", {
            "direction": "outgoing", "kind": "reply", "language": language,
            "subject": subject, "summary": summary or None,
            "recipient": {key: value for key, value in (incoming.get("sender") or {}).items()
                          if key in CORRESPONDENT_FIELDS},
            "in_reply_to": incoming["id"]})

    def deadline_report(self, start: str, end: str) -> list[dict[str, Any]]:
        """On-time rate per department and month; open and overdue now."""
        return _items(self.get("routing", "/reports/deadlines", {"from": start, "to": end}))

    def due_report(self) -> list[dict[str, Any]]:
        """Open letters and assignments overdue and due soon per department, as of today."""
        # Departments are far fewer than a page's most.
        return _items(self.get("routing", "/reports/due", {"limit": 200}))

    def letter_statistics(self, start: str, end: str, group: str) -> list[dict[str, Any]]:
        """Intake's counts of incoming letters per week or month (by kind, addressee, …)."""
        return self.get("intake", "/statistics", {"from": start, "to": end,
                                                  "group": group})["periods"]

    def feed(self, unread_only: bool = False) -> list[dict[str, Any]]:
        """The signed-in person's in-app notices, newest first."""
        return _items(self.get("notifications", "/feed",
                               {"unread": "true" if unread_only else None}))

    def unread_count(self) -> int:
        """How many of the signed-in person's notices are unread."""
        return int(self.get("notifications", "/feed/unread-count")["unread"])

    def mark_read(self, item_id: str) -> dict[str, Any]:
        """Mark one notice read."""
        return self.post("notifications", f"/feed/{item_id}/read")

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


# How many pages a whole list may take (of 50 by default; beyond, the list is not short).
MAX_PAGES = 200


def _items(body: Any) -> list[dict[str, Any]]:
    """A list answer, either a bare list or a page (``{"items": [...]}``)."""
    return list(body.get("items") or []) if isinstance(body, dict) else list(body or [])


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
