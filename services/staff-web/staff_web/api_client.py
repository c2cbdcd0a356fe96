"""Calls to the five services' HTTP APIs with the signed-in person's token.

The pages never read another service's database: whatever they show comes
through here. A problem+json answer becomes :class:`ApiError`, whose
``field_errors`` the forms show next to the field the service named.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import requests

# What intake takes of a correspondent (its sender as read becomes the reply's recipient).
CORRESPONDENT_FIELDS = (
    "type",
    "name",
    "organisation",
    "email",
    "phone",
    "address",
    "country",
    "preferred_language",
)
# How many pages a whole list may take (of 50 by default; beyond, the list is not short).
MAX_PAGES = 200
# A page of a long list shown in the app (the protocol book's size).
PAGE_SIZE = 25
# A JSON request's body and extra headers (``If-Match``, ``Idempotency-Key``).
Body = Mapping[str, Any]
Headers = Mapping[str, str]
Answer = TypeVar("Answer")


@dataclass
class ApiError(Exception):
    """A service answered with an error (its problem document, when it sent one)."""

    status: int
    title: str
    detail: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    # A 429's Retry-After, in seconds.
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail or ''}"

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """The service's reasons by field path (``sender.name``), as the forms name fields."""
        by_field: dict[str, list[str]] = {}
        for error in self.errors:
            by_field.setdefault(error.get("field") or "_schema", []).append(
                error.get("reason") or ""
            )
        return by_field


class ServiceUnavailable(ApiError):
    """The service could not be reached."""


def answer_or_refusal(refusals: Container[int], call: Callable[[], Answer]) -> Answer | ApiError:
    """What ``call`` answers, or the service's error when its status is one of ``refusals``.

    A form shows such a refusal (a 409, a 422) next to what was typed; any other error
    goes on up to the app's error pages.
    """
    try:
        return call()
    except ApiError as error:
        if error.status not in refusals:
            raise
        return error


class ApiClient:
    """One person's view of the services: every call carries their bearer token."""

    def __init__(
        self,
        base_urls: Mapping[str, str],
        token: str | None,
        http: requests.Session,
        timeout: float,
    ) -> None:
        self._urls = base_urls
        self._token = token
        self._http = http
        self._timeout = timeout

    def get(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a JSON document."""
        return self._call("GET", service, path, params=_clean(params)).json()

    def all(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a list whole: every page of it, followed by its cursor; a bare list as it is.

        The one reader of lists, for the desks' short ones (a day's appointments, an
        endorser's queue, a department's open tasks); a long list is shown a page at a
        time instead (:meth:`page`). An answer that is no list (one record) comes back
        as it is.
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

    def page(
        self,
        service: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        cursor: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> dict[str, Any]:
        """One page of a long list (``items`` and ``next_cursor``), from ``cursor`` on."""
        body = self.get(service, path, {**(params or {}), "limit": limit, "cursor": cursor})
        return {"items": list(body["items"]), "next_cursor": body.get("next_cursor")}

    def get_text(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> str:
        """GET a text document (e.g. CSV), decoded as UTF-8."""
        return self._call("GET", service, path, params=_clean(params)).content.decode("utf-8")

    def get_response(self, service: str, path: str) -> requests.Response:
        """GET anything (a file), streamed."""
        return self._call("GET", service, path, stream=True)

    def post(
        self, service: str, path: str, body: Body | None = None, headers: Headers | None = None
    ) -> Any:
        """POST JSON; the answer's JSON (or ``None`` when it has no body)."""
        return self._send_json("POST", service, path, body or {}, headers)

    def put(self, service: str, path: str, body: Body, headers: Headers | None = None) -> Any:
        """PUT JSON; the answer's JSON (or ``None`` when it has no body)."""
        return self._send_json("PUT", service, path, body, headers)

    def put_text(self, service: str, path: str, body: bytes, media_type: str) -> Any:
        """PUT a document as it is (a CSV file, say); the answer's JSON."""
        response = self._call("PUT", service, path, data=body, headers={"Content-Type": media_type})
        return response.json() if response.content else None

    def patch(self, service: str, path: str, body: Body, headers: Headers | None = None) -> Any:
        """PATCH JSON; the answer's JSON (or ``None`` when it has no body)."""
        return self._send_json("PATCH", service, path, body, headers)

    def delete(self, service: str, path: str) -> None:
        """DELETE what the path names (the services answer 204, no body)."""
        self._call("DELETE", service, path)

    def upload(
        self, service: str, path: str, files: Iterable[tuple[str, IO[bytes], str]]
    ) -> list[Any]:
        """POST each ``(filename, stream, media type)`` as a multipart ``file``."""
        return [
            self._call("POST", service, path, files={"file": (name, stream, media_type)}).json()
            for name, stream, media_type in files
        ]

    # The reads and actions of the department, endorsement and mayor's desks. Each
    # endpoint is called from here only, so a change of its shape (paging, fields) is
    # adapted in one place.

    def department_letters(
        self, department: str | None, cursor: str | None = None
    ) -> dict[str, Any]:
        """A page of routing's letters of a department, its own and its copies (staff see
        their own), by due date."""
        return self.page("routing", "/letters", {"department": department}, cursor)

    def workflow_letter(self, letter_id: str) -> dict[str, Any]:
        """Routing's state of one letter with its history."""
        return self.get("routing", f"/letters/{letter_id}")

    def letter_by_number(self, number: str) -> dict[str, Any]:
        """Intake's letter by its registration number."""
        return self.get("intake", f"/letters/by-number/{number}")

    def assignments(self, **filters: Any) -> list[dict[str, Any]]:
        """Routing's assignments, all of them (``department``, ``executor``, ``status``,
        ``due_by``): for the short lists of open work."""
        return self.all("routing", "/assignments", filters)

    def assignments_page(self, status: str, cursor: str | None) -> dict[str, Any]:
        """A page of routing's assignments of a status, by the executor's due date."""
        return self.page("routing", "/assignments", {"status": status}, cursor)

    def staff_directory(self, department: str | None) -> list[dict[str, Any]]:
        """The active people of a department (all departments: ``None``) from routing's
        one staff directory."""
        return self.all("routing", "/staff", {"department": department, "active": "true"})

    def assign_executor(
        self, letter_id: str, executor: str, due_date: str | None, instructions: str | None
    ) -> dict[str, Any]:
        """Name (or change) a letter's executor, an active member of its department, with
        their own due date (the letter's when none) and the instructions."""
        return self.post(
            "routing",
            f"/letters/{letter_id}/assign",
            {
                "executor": executor,
                "due_date": due_date or None,
                "instructions": instructions or None,
            },
        )

    def submit_reply(
        self, letter_id: str, subject: str, summary: str | None, language: str
    ) -> dict[str, Any]:
        """Send the reply draft into its endorsement circuit."""
        return self.post(
            "routing",
            f"/letters/{letter_id}/reply",
            {"subject": subject, "summary": summary or None, "language": language},
        )

    def pending_endorsements(self) -> list[dict[str, Any]]:
        """The replies waiting for a step the caller decides, with the letter's number,
        the draft's text and the earlier steps' ``decisions`` (steps counted from 1)."""
        return self.all("routing", "/endorsements")

    def decide_endorsement(
        self, endorsement_id: str, approve: bool, step: int, comment: str | None
    ) -> dict[str, Any]:
        """Approve or return the step the endorser saw (``step`` counted from 1, as listed)."""
        action = "approve" if approve else "return"
        return self.post(
            "routing",
            f"/endorsements/{endorsement_id}/{action}",
            {"step": step, "comment": comment or None},
        )

    def give_assignment(
        self,
        title: str,
        description: str | None,
        department: str,
        executor: str | None,
        due_date: str,
    ) -> dict[str, Any]:
        """An own task given to a department or a person."""
        return self.post(
            "routing",
            "/assignments",
            {
                "title": title,
                "description": description or None,
                "department_code": department,
                "executor": executor or None,
                "due_date": due_date,
            },
        )

    def remind_executor(self, assignment_id: str) -> dict[str, Any]:
        """Remind an assignment's executor now (at most once an hour: 429 otherwise)."""
        return self.post("routing", f"/assignments/{assignment_id}/remind")

    def finish_assignment(
        self, assignment_id: str, status: str, report: str | None
    ) -> dict[str, Any]:
        """Mark an own task done (its report is required) or cancelled."""
        body = {"status": status, **({"report": report} if report else {})}
        return self.post("routing", f"/assignments/{assignment_id}/finish", body)

    def approved_replies(self) -> list[dict[str, Any]]:
        """Replies their whole circuit approved, waiting for the registry to register them."""
        return self.all("routing", "/endorsements/approved")

    def register_reply(
        self, incoming: Mapping[str, Any], subject: str, summary: str | None, language: str
    ) -> dict[str, Any]:
        """Register the approved reply at intake: an outgoing letter ``in_reply_to`` the
        incoming one, to its sender (routing then makes the letter answered)."""
        return self.post(
            "intake",
            "/letters",
            {
                "direction": "outgoing",
                "kind": "reply",
                "language": language,
                "subject": subject,
                "summary": summary or None,
                "recipient": {
                    key: value
                    for key, value in (incoming.get("sender") or {}).items()
                    if key in CORRESPONDENT_FIELDS
                },
                "in_reply_to": incoming["id"],
            },
        )

    def deadline_report(self, start: str, end: str) -> list[dict[str, Any]]:
        """On-time rate per department and month; open and overdue now."""
        return self.all("routing", "/reports/deadlines", {"from": start, "to": end})

    def due_report(self) -> list[dict[str, Any]]:
        """Open letters and assignments overdue and due soon per department, as of today."""
        return self.all("routing", "/reports/due")

    def letter_statistics(self, start: str, end: str, group: str) -> list[dict[str, Any]]:
        """Intake's counts of incoming letters per week or month (by kind, addressee, …)."""
        return self.get("intake", "/statistics", {"from": start, "to": end, "group": group})[
            "periods"
        ]

    def feed(self, unread_only: bool = False, cursor: str | None = None) -> dict[str, Any]:
        """A page of the signed-in person's in-app notices, newest first."""
        return self.page(
            "notifications", "/feed", {"unread": "true" if unread_only else None}, cursor
        )

    def unread_count(self) -> int:
        """How many of the signed-in person's notices are unread."""
        return int(self.get("notifications", "/feed/unread-count")["unread"])

    def mark_read(self, item_id: str) -> dict[str, Any]:
        """Mark one notice read."""
        return self.post("notifications", f"/feed/{item_id}/read")

    # The operator's console: every service's messaging, notifications' deliveries and
    # templates, routing's working calendar.

    def dead_letters(self, service: str) -> list[dict[str, Any]]:
        """A service's dead letters, oldest first, with their reasons (never payloads)."""
        return list(self.get(service, "/operations/dead-letters")["dead_letters"])

    def replay_dead_letters(self, service: str, message_ids: list[str] | None) -> int:
        """Send a service's dead letters (those named, or all) back to its queue."""
        return int(
            self.post(service, "/operations/dead-letters/replay", {"message_ids": message_ids})[
                "replayed"
            ]
        )

    def outbox_lag(self, service: str) -> dict[str, Any]:
        """How many messages a service has yet to publish and the age of the oldest."""
        return self.get(service, "/operations/outbox")

    def deliveries(self, **filters: Any) -> list[dict[str, Any]]:
        """The newest 100 of notifications' deliveries (``recipient``, ``cause``, ``status``)."""
        return self.page("notifications", "/deliveries", filters, limit=100)["items"]

    def resend_delivery(self, delivery_id: str) -> dict[str, Any]:
        """Queue a failed delivery again."""
        return self.post("notifications", f"/notifications/{delivery_id}/resend")

    def templates(self) -> list[dict[str, Any]]:
        """The newest version of every notification template, by kind and language."""
        return self.all("notifications", "/templates", {"limit": 200})

    def preview_template(self, kind: str, language: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """A template filled in with ``data`` in ``language``; nothing is sent."""
        return self.post(
            "notifications",
            f"/templates/{kind}/preview",
            {"language": language, "data": dict(data)},
        )

    def declared_days(self, start: str, end: str) -> list[dict[str, Any]]:
        """The working calendar's declared days between two dates (inclusive)."""
        return self.all("routing", "/calendar/days", {"from": start, "to": end})

    def declare_day(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Declare a day off (or an extra working day) by government decision."""
        return self.post("routing", "/calendar/days", body)

    def _send_json(
        self, method: str, service: str, path: str, body: Body, headers: Headers | None
    ) -> Any:
        response = self._call(method, service, path, json=dict(body), headers=headers)
        return response.json() if response.content else None

    def _call(self, method: str, service: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        url = self._urls[service] + path
        try:
            response = self._http.request(
                method, url, headers=headers, timeout=self._timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise ServiceUnavailable(503, f"{service} unreachable", str(exc)) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response


def if_match(version: object) -> dict[str, str]:
    """The ``If-Match`` header naming ``version``, a record's ETag as the person read it."""
    return {"If-Match": f'"{version}"'}


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
    retry_after = response.headers.get("Retry-After", "")
    return ApiError(
        response.status_code,
        str(body.get("title") or response.reason),
        body.get("detail"),
        errors,
        int(retry_after) if retry_after.isdigit() else None,
    )
