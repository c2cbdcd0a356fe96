"""How a delivery leaves: SMTP e-mail, signed webhooks, SMS providers.

Each channel answers with a :class:`SendResult`: delivered, a temporary
failure (try again later) or a permanent one (give up, with the reason).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import urlparse

import requests
import urllib3
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from chancery.emails import InvalidEmailAddress, normalized_email
from notifications.adapters.webhooks import (
    DestinationPolicy,
    UnresolvedDestination,
    UnsafeDestination,
    post_pinned,
    signed_headers,
)
from notifications.domain.deliveries import DELIVERED, PERMANENT, TEMPORARY

log = logging.getLogger(__name__)
tracer = trace.get_tracer("notifications.channels")


@dataclass(frozen=True)
class SendResult:
    """What happened to one attempt."""

    outcome: str
    detail: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """A delivery's content as a channel needs it."""

    id: str
    recipient: str
    subject: str
    text: str
    html: str
    attachments: list[dict[str, Any]]
    trace_context: dict[str, str] = field(default_factory=dict)


class Channel(Protocol):
    """Sends one delivery."""

    def send(self, outgoing: Outgoing) -> SendResult:
        """Try once."""
        ...


class EmailChannel:
    """E-mail over SMTP (``smtp://``, ``smtps://``, optional STARTTLS and login), or ``log://``.

    The Message-ID is derived from the delivery id, so a resend after a lost
    answer is recognisably the same mail.
    """

    def __init__(
        self,
        url: str,
        mail_from: str,
        domain: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 15.0,
    ) -> None:
        self._url = urlparse(url)
        self._from = mail_from
        self._domain = domain
        self._username = username
        self._password = password
        self._starttls = starttls
        self._timeout = timeout

    def message(self, outgoing: Outgoing) -> EmailMessage:
        """The MIME message of a delivery (plain text and HTML, attachments)."""
        message = EmailMessage()
        message["From"] = self._from
        message["To"] = outgoing.recipient
        message["Subject"] = outgoing.subject
        message["Message-ID"] = f"<{outgoing.id}@{self._domain}>"
        message["Date"] = formatdate(localtime=False)
        message.set_content(outgoing.text)
        message.add_alternative(outgoing.html, subtype="html")
        files = [
            (
                base64.b64decode(a["content"]),
                policy.default.header_factory("Content-Type", a["content_type"]),
                a["filename"],
            )
            for a in outgoing.attachments
        ]
        for data, content_type, _ in files:
            # iMIP: an invitation is also an alternative body part, which is what makes
            # Outlook and Gmail offer accept/decline and update the calendar entry.
            if content_type.content_type == "text/calendar" and "method" in content_type.params:
                message.add_alternative(
                    data, maintype="text", subtype="calendar", params=dict(content_type.params)
                )
        for data, content_type, filename in files:
            # The type's parameters (``method=REQUEST; charset=UTF-8``) are kept.
            message.add_attachment(
                data,
                maintype=content_type.maintype,
                subtype=content_type.subtype,
                filename=filename,
                params=dict(content_type.params),
            )
        return message

    def send(self, outgoing: Outgoing) -> SendResult:
        """Hand the mail to the SMTP server; 4xx answers are temporary, 5xx permanent.

        An address the validator refuses, or a message that cannot be built
        (a header that would break the mail), fails permanently: trying again
        cannot help, and it must not stop the mails after it.
        """
        try:
            normalized_email(outgoing.recipient)
        except InvalidEmailAddress as exc:
            return SendResult(PERMANENT, f"invalid recipient address: {exc}"[:300])
        try:
            message = self.message(outgoing)
            message.as_bytes()
        except (ValueError, TypeError, KeyError, binascii.Error) as exc:
            return SendResult(PERMANENT, f"the mail cannot be built: {exc}"[:300])
        if self._url.scheme == "log":
            log.info(
                "e-mail (log transport)",
                extra={"delivery_id": outgoing.id, "bytes": len(message.as_bytes())},
            )
            return SendResult(DELIVERED)
        # The span names the server and the delivery, never the addresses or the subject.
        with tracer.start_as_current_span(
            "smtp send",
            kind=SpanKind.CLIENT,
            attributes={
                "server.address": self._url.hostname or "127.0.0.1",
                "server.port": self._url.port or (465 if self._url.scheme == "smtps" else 25),
                "chancery.delivery_id": outgoing.id,
            },
        ) as span:
            result = self._send_message(message)
            span.set_attribute("chancery.outcome", result.outcome)
            if result.outcome != DELIVERED:
                # Not the SMTP reply: servers often repeat the refused address in it.
                span.set_status(trace.Status(trace.StatusCode.ERROR, result.outcome))
            return result

    def _send_message(self, message: EmailMessage) -> SendResult:
        try:
            with self._connect() as smtp:
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return _smtp_result(code, reply)
        except smtplib.SMTPResponseException as exc:
            return _smtp_result(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult(TEMPORARY, f"{type(exc).__name__}: {exc}")
        return SendResult(DELIVERED)

    def _connect(self) -> smtplib.SMTP:
        host, port = self._url.hostname or "127.0.0.1", self._url.port
        if self._url.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port or 465, timeout=self._timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port or 25, timeout=self._timeout)
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
        if self._username:
            smtp.login(self._username, self._password or "")
        return smtp


def _smtp_result(code: int, reply: bytes | str) -> SendResult:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    outcome = TEMPORARY if 400 <= code < 500 else PERMANENT
    return SendResult(outcome, f"SMTP {code}: {text}"[:1000])


@dataclass(frozen=True)
class WebhookTarget:
    """Where a ``webhook:<id>`` recipient is sent, with every signing secret in force."""

    url: str
    secrets: tuple[str, ...]
    active: bool


class WebhookChannel:
    """HTTP POST of a JSON body to a department system, signed as Standard Webhooks says.

    The destination is checked by the policy before every send and the request
    pinned to the checked address (:mod:`notifications.adapters.webhooks`); a redirect
    is a permanent failure, never followed.
    """

    def __init__(
        self,
        targets: Callable[[str], WebhookTarget | None],
        policy: DestinationPolicy,
        timeout: float = 10.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._targets = targets
        self._policy = policy
        self._timeout = timeout
        self._tls = tls

    def send(self, outgoing: Outgoing) -> SendResult:
        """POST; 2xx delivered; 408, 429, 5xx and network errors temporary; others permanent."""
        target = self._targets(outgoing.recipient)
        if target is None:
            return SendResult(PERMANENT, "the webhook subscription was deleted")
        if not target.active:
            return SendResult(PERMANENT, "the webhook subscription is disabled")
        try:
            destination = self._policy.check(target.url)
        except UnresolvedDestination as exc:
            return SendResult(TEMPORARY, str(exc)[:300])
        except UnsafeDestination as exc:
            return SendResult(PERMANENT, f"destination refused: {exc}"[:300])
        body = outgoing.text.encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            **signed_headers(target.secrets, outgoing.id, int(time.time()), body),
        }
        try:
            status = post_pinned(destination, body, headers, self._timeout, self._tls)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return SendResult(TEMPORARY, type(exc).__name__)
        return _status_result(status)


def _status_result(status: int) -> SendResult:
    """The outcome of an HTTP answer, by its status alone: the body is the receiver's, not ours."""
    if 200 <= status < 300:
        return SendResult(DELIVERED)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unknown status"
    if 300 <= status < 400:
        return SendResult(PERMANENT, f"HTTP {status} {phrase}: redirects are not followed")
    outcome = TEMPORARY if status in (408, 429) or status >= 500 else PERMANENT
    return SendResult(outcome, f"HTTP {status} {phrase}")


class LogSmsProvider:
    """Development SMS: written to the log, counted as delivered."""

    def send(self, outgoing: Outgoing) -> SendResult:
        """Log the message's length and id only (the text may hold personal data)."""
        log.info(
            "sms (log provider)",
            extra={"delivery_id": outgoing.id, "characters": len(outgoing.text)},
        )
        return SendResult(DELIVERED)


class HttpSmsProvider:
    """An HTTP SMS gateway: POST ``{"to", "text", "reference"}`` with a bearer API key."""

    def __init__(self, url: str, api_key: str | None, timeout: float = 10.0) -> None:
        self._url = url
        self._api_key = api_key
        self._timeout = timeout

    def send(self, outgoing: Outgoing) -> SendResult:
        """POST to the gateway; its status decides the outcome as for webhooks."""
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            response = requests.post(
                self._url,
                timeout=self._timeout,
                headers=headers,
                json={"to": outgoing.recipient, "text": outgoing.text, "reference": outgoing.id},
            )
        except requests.RequestException as exc:
            return SendResult(TEMPORARY, f"{type(exc).__name__}: {exc}"[:1000])
        return _status_result(response.status_code)


def webhook_body(delivery_id: str, kind: str, data: dict[str, Any]) -> str:
    """The JSON a department system receives."""
    return json.dumps(
        {"id": delivery_id, "kind": kind, "data": data}, ensure_ascii=False, default=str
    )
