"""Deliveries: queued once per (cause, recipient, channel), sent with retries and rate limits.

States: queued → sending → delivered, or temporary failure (tried again
after an exponential backoff) until the attempts run out, or permanent
failure with the reason. In-app notices are delivered when queued (they are
a row in the same database). Once delivered, a notice's secrets (an access
code) are cut out of its stored texts, and after a while
(``PURGE_DELIVERED_TEXTS_DAYS``) the texts themselves go. A delivery left ``sending`` by a crashed
sender is taken up again after a while; e-mail receivers see the same
Message-ID.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from chancery.audited import record_reads
from chancery.clock import utcnow
from chancery.db import (
    Transactions,
    UnitOfWork,
    existing,
    is_database_unavailable,
    new_id,
    where_equal,
)
from chancery.errors import Conflict, InvalidInput
from chancery.keyset import Ordering, fetch_page
from chancery.messages.catalogue import REDACTED
from chancery.paging import Page, PageRequest
from chancery.principal import Principal
from chancery.retention import PurgeRule
from chancery.usecase import UseCase
from notifications.adapters import channels
from notifications.adapters.models import Delivery, FeedItem, Preference, RateBucket, Template
from notifications.domain.deliveries import QUEUED, RETRYABLE, SENDING, backoff
from notifications.domain.templating import fallback_chain, render
from notifications.permissions import OPERATORS, READERS, SENDERS
from notifications.usecases import require_role

log = logging.getLogger(__name__)
_NEWEST_FIRST = (
    Ordering(Delivery.created_at, descending=True),
    Ordering(Delivery.id, descending=True),
)


@dataclass(frozen=True)
class DeliveryFilters:
    """What narrows the list of deliveries: whom, why, how, how far, when (``[start, end)``)."""

    recipient: str | None = None
    cause: str | None = None
    kind: str | None = None
    channel: str | None = None
    status: str | None = None
    start: datetime | None = None
    end: datetime | None = None


# Deliveries claimed in one transaction. One: a sender killed while it sends strands only
# the mail in flight (whether it left is unknowable; its resend after the stale period
# carries the same Message-ID), never mails it had claimed but not yet sent. The independent
# fault run saw a claimed batch of ten wait five minutes after a crash.
CLAIM_BATCH = 1


@dataclass(frozen=True)
class Recipient:
    """One address on one channel, with what we know of its language."""

    channel: str
    address: str
    language: str | None = None
    staff_subject: str | None = None


@dataclass(eq=False)
class TokenBucket(UseCase):
    """At most ``rate`` sends per second per channel, with a burst of one second's worth.

    The bucket is a row in the service's database, so every sender replica draws on
    the same rate (a provider's limit is the account's, not one process's).
    """

    channel: str
    rate: float
    clock: Callable[[], float] = time.time

    def take(self, wanted: int) -> int:
        """How many of ``wanted`` sends may go now."""
        return self._change(lambda tokens: min(wanted, int(tokens)))

    def refund(self, unused: int) -> None:
        """Give back tokens taken for sends that did not happen (nothing was due)."""
        if unused:
            self._change(lambda _tokens: -unused)

    def _change(self, taken: Callable[[float], int]) -> int:
        """Take ``taken(tokens now)`` tokens (a negative number gives back) under the row lock."""
        now = self.clock()
        with self.transaction() as uow:
            session = uow.session
            self._insert_full(session, now)
            bucket = session.get(
                RateBucket, self.channel, with_for_update=True, populate_existing=True
            )
            elapsed = max(0.0, now - bucket.counted_at)
            tokens = min(self.rate, bucket.tokens + elapsed * self.rate)
            granted = taken(tokens)
            bucket.tokens, bucket.counted_at = min(self.rate, tokens - granted), now
            return granted

    def _insert_full(self, session: Session, now: float) -> None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(
            dialect.insert(RateBucket)
            .values(channel=self.channel, tokens=self.rate, counted_at=now)
            .on_conflict_do_nothing(index_elements=["channel"])
        )


class Deliveries(Transactions):
    """Queue notifications and send what is due."""

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        senders: Mapping[str, channels.Channel],
        default_language: str,
        max_attempts: int,
        backoff_seconds: float,
        rates: Mapping[str, float],
        stale_sending_seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(unit_of_work)
        self._senders = dict(senders)
        self._default_language = default_language
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._buckets = {
            channel: TokenBucket(unit_of_work, channel, rate) for channel, rate in rates.items()
        }
        self._stale = timedelta(seconds=stale_sending_seconds)
        self._clock = clock
        # Results of sends the database could not take yet, recorded before anything new
        # is sent: a database outage neither strands the batch nor sends a mail twice.
        self._unrecorded: list[tuple[str, channels.SendResult]] = []

    # Queueing ------------------------------------------------------------------------

    def enqueue(
        self,
        session: Session,
        cause: str,
        recipient: Recipient,
        kind: str,
        data: dict[str, Any],
        attachments: list[dict[str, Any]] | None = None,
        refuse_unrenderable: bool = False,
        secrets: Sequence[str] = (),
        about: object | None = None,
    ) -> Delivery | None:
        """Queue one notification in ``session``'s transaction.

        ``secrets`` (e.g. a citizen's access code) are cut out of the stored
        texts once the notice is delivered. ``about`` (the cause's message payload)
        gives an in-app notice its link target: the letter's registration number
        or the assignment's id. Returns None when the recipient
        opted out of a notice the law does not require, or when this cause
        already told this recipient on this channel.
        A template that cannot be filled in with ``data`` raises
        :class:`InvalidInput` when ``refuse_unrenderable`` (the caller asked and
        can be told); otherwise that one delivery is stored as a permanent
        failure with the reason, and the other recipients are told as usual.
        """
        preference, template = self._chosen(session, recipient, kind)
        if (
            preference
            and not template.legal
            and (kind in preference.opted_out or "all" in preference.opted_out)
        ):
            return None
        try:
            rendered = render(template.subject, template.text, template.html, data)
        except InvalidInput as exc:
            if refuse_unrenderable:
                raise
            return self._insert_unrenderable(session, cause, recipient, kind, template, exc)
        now = self._clock()
        values = {
            **_new_delivery(cause, recipient, kind, template, now),
            "subject": rendered.subject,
            "text": (
                channels.webhook_body(cause, kind, data)
                if recipient.channel == "webhook"
                else rendered.text
            ),
            "html": rendered.html,
            "attachments": attachments or [],
            "status": QUEUED,
            "secrets": list(secrets) or None,
        }
        if not self._insert_once(session, values):
            return None
        delivery = session.get_one(Delivery, values["id"])
        if recipient.channel == "in_app":
            session.add(
                FeedItem(
                    id=new_id(),
                    staff_subject=recipient.staff_subject or recipient.address,
                    delivery_id=delivery.id,
                    kind=kind,
                    title=rendered.subject,
                    body=rendered.text,
                    created_at=now,
                    **feed_target(about),
                )
            )
            delivery.status, delivery.delivered_at = channels.DELIVERED, now
            forget_secrets(delivery)
        return delivery

    def _insert_unrenderable(
        self,
        session: Session,
        cause: str,
        recipient: Recipient,
        kind: str,
        template: Template,
        error: InvalidInput,
    ) -> Delivery | None:
        values = {
            **_new_delivery(cause, recipient, kind, template, self._clock()),
            "subject": "",
            "text": "",
            "html": "",
            "attachments": [],
            "status": channels.PERMANENT,
            "last_error": f"the template cannot be filled in: {error.reason}"[:500],
        }
        return session.get(Delivery, values["id"]) if self._insert_once(session, values) else None

    def language(self, session: Session, recipient: Recipient, kind: str) -> str:
        """The language ``recipient`` will be told ``kind`` in (what :meth:`enqueue` picks).

        Template data that comes in several languages (an event's title, a
        date's words) is chosen in this one, so it matches the template's text.
        """
        return self._chosen(session, recipient, kind)[1].language

    def _chosen(
        self, session: Session, recipient: Recipient, kind: str
    ) -> tuple[Preference | None, Template]:
        # Preferences are kept under the lower-cased address (Preferences.save).
        preference = session.get(Preference, recipient.address.lower())
        template = self._template(
            session,
            kind,
            fallback_chain(
                preference.language if preference else None,
                recipient.language,
                self._default_language,
            ),
        )
        return preference, template

    @staticmethod
    def _insert_once(session: Session, values: dict[str, Any]) -> bool:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        # RETURNING says whether the row went in: PostgreSQL's driver reports a rowcount
        # of -1 for this statement, which left every in-app notice out of the feed.
        statement = (
            dialect.insert(Delivery)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["cause", "recipient", "channel"])
            .returning(Delivery.id)
        )
        return session.execute(statement).first() is not None

    @staticmethod
    def _template(session: Session, kind: str, languages: list[str]) -> Template:
        for language in languages:
            template = session.scalars(
                select(Template)
                .where(Template.kind == kind, Template.language == language)
                .order_by(Template.version.desc())
                .limit(1)
            ).first()
            if template is not None:
                return template
        raise InvalidInput(
            f"No template {kind} in {', '.join(languages)}.",
            field="template",
            reason="unknown template",
        )

    # Sending -----------------------------------------------------------------------------

    def send_due(self, limit: int = 100) -> int:
        """Send what is due now, per channel within its rate; return how many were tried.

        Each delivery is claimed just before it is sent and its result recorded as soon
        as it is known, so a sender that dies strands only the mail in flight. While the
        database cannot take a result, the result waits in memory and nothing new is
        claimed until it is recorded, so no delivery goes out twice.
        """
        if not self._record_unrecorded():
            return 0
        tried = 0
        for channel, sender in self._senders.items():
            bucket = self._buckets.get(channel)
            granted = bucket.take(limit) if bucket else limit
            sent = 0
            # A delivery tried in this pass waits for its next attempt, even with no backoff.
            tried_now: list[str] = []
            while sent < granted and not self._unrecorded:
                wanted = min(CLAIM_BATCH, granted - sent)
                claimed = self._claim(channel, wanted, tried_now)
                tried_now += [outgoing.id for outgoing in claimed]
                for outgoing in claimed:
                    self._unrecorded.append((outgoing.id, _send_one(sender, outgoing)))
                    self._record_unrecorded()
                sent += len(claimed)
                if len(claimed) < wanted:
                    break
            if bucket:
                self._refund(bucket, granted - sent)
            tried += sent
        return tried

    @staticmethod
    def _refund(bucket: TokenBucket, unused: int) -> None:
        try:
            bucket.refund(unused)
        except Exception as error:
            # A refund lost to an outage only slows the next second's sending.
            if not is_database_unavailable(error):
                raise

    def _record_unrecorded(self) -> bool:
        """Record the waiting results in order; False while the database is unavailable."""
        while self._unrecorded:
            delivery_id, result = self._unrecorded[0]
            try:
                self._finish(delivery_id, result)
            except Exception as error:
                if not is_database_unavailable(error):
                    raise
                log.warning(
                    "the result of a send waits for the database",
                    extra={"delivery_id": delivery_id, "waiting": len(self._unrecorded)},
                )
                return False
            self._unrecorded.pop(0)
        return True

    def _claim(self, channel: str, limit: int, passed_over: list[str]) -> list[channels.Outgoing]:
        now = self._clock()
        with self.transaction() as uow:
            query = (
                select(Delivery)
                .where(Delivery.channel == channel)
                .where(
                    or_(
                        Delivery.status.in_(RETRYABLE) & (Delivery.next_attempt_at <= now),
                        (Delivery.status == SENDING) & (Delivery.updated_at < now - self._stale),
                    )
                )
                .where(Delivery.id.not_in(passed_over))
                .order_by(Delivery.next_attempt_at)
                .limit(limit)
            )
            if uow.session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            claimed = []
            for delivery in uow.session.scalars(query):
                delivery.updated_at = now
                if delivery.attempts >= self._max_attempts:
                    # Left `sending` by a sender that stopped on every attempt: no more tries.
                    delivery.status = channels.PERMANENT
                    delivery.last_error = (
                        f"gave up after {delivery.attempts} attempts: the "
                        "sender stopped while sending"
                    )
                    continue
                delivery.status = SENDING
                delivery.attempts += 1
                claimed.append(delivery)
            return [
                channels.Outgoing(
                    d.id,
                    d.recipient,
                    d.subject,
                    d.text,
                    d.html,
                    d.attachments,
                    d.trace_context or {},
                )
                for d in claimed
            ]

    def _finish(self, delivery_id: str, result: channels.SendResult) -> None:
        now = self._clock()
        with self.transaction() as uow:
            delivery = uow.session.get(Delivery, delivery_id)
            delivery.updated_at, delivery.last_error = now, result.detail
            if result.outcome == channels.DELIVERED:
                delivery.status, delivery.delivered_at = channels.DELIVERED, now
                forget_secrets(delivery)
            elif result.outcome == channels.PERMANENT or delivery.attempts >= self._max_attempts:
                delivery.status = channels.PERMANENT
                if result.outcome != channels.PERMANENT:
                    delivery.last_error = (
                        f"gave up after {delivery.attempts} attempts: {result.detail}"
                    )
            else:
                delivery.status = channels.TEMPORARY
                delivery.next_attempt_at = now + backoff(self._backoff, delivery.attempts)

    # Operators ---------------------------------------------------------------------------

    def get(self, delivery_id: str, principal: Principal) -> Delivery:
        """One delivery; the read (its recipient) is audited."""
        require_role(principal, SENDERS, "Deliveries are followed by those who may send them.")
        with self.transaction() as uow:
            delivery = existing(
                uow.session, Delivery, delivery_id, f"No notification {delivery_id}."
            )
            record_reads(uow, principal, "read", "delivery", {delivery.id: delivery.recipient})
            return delivery

    def search(
        self, filters: DeliveryFilters, principal: Principal, page: PageRequest
    ) -> Page[Delivery]:
        """A page of who was told what and whether it arrived, newest first; the
        recipients on the page are audited as read.

        A protected letter's notices were written naming its level and number only
        (decision 17), so the list shows nothing of it that clearance would guard.
        """
        require_role(principal, READERS, "The list of deliveries is the office's to read.")
        query = where_equal(
            select(Delivery),
            (Delivery.recipient, filters.recipient),
            (Delivery.cause, filters.cause),
            (Delivery.kind, filters.kind),
            (Delivery.channel, filters.channel),
            (Delivery.status, filters.status),
        )
        if filters.start is not None:
            query = query.where(Delivery.created_at >= filters.start)
        if filters.end is not None:
            query = query.where(Delivery.created_at < filters.end)
        with self.transaction() as uow:
            found = fetch_page(uow.session, query, _NEWEST_FIRST, page)
            record_reads(
                uow,
                principal,
                "list",
                "delivery",
                {delivery.id: delivery.recipient for delivery in found.items},
            )
            return found

    def by_cause(self, cause: str) -> list[Delivery]:
        """Every delivery a cause produced."""
        with self.reading() as uow:
            return list(
                uow.session.scalars(
                    select(Delivery).where(Delivery.cause == cause).order_by(Delivery.created_at)
                )
            )

    def resend(self, delivery_id: str, principal: Principal) -> Delivery:
        """Queue a failed delivery again (an operator's decision after a fix); who resent
        it, to whom, is audited."""
        require_role(principal, OPERATORS, "Only operators send a notification again.")
        with self.transaction() as uow:
            delivery = existing(
                uow.session, Delivery, delivery_id, f"No notification {delivery_id}.", lock=True
            )
            if delivery.status not in (channels.PERMANENT, channels.TEMPORARY):
                # Delivered, queued or being sent: resending would tell the recipient twice.
                raise Conflict(
                    f"Notification {delivery_id} is {delivery.status}; only a "
                    "failed one is sent again."
                )
            delivery.status, delivery.attempts = QUEUED, 0
            delivery.next_attempt_at = delivery.updated_at = self._clock()
            record_reads(uow, principal, "resend", "delivery", {delivery.id: delivery.recipient})
            return delivery

    def counts(self) -> dict[str, int]:
        """Deliveries by status."""
        with self.reading() as uow:
            return dict(
                uow.session.execute(
                    select(Delivery.status, func.count()).group_by(Delivery.status)
                ).all()
            )


def _send_one(sender: channels.Channel, outgoing: channels.Outgoing) -> channels.SendResult:
    """One attempt; whatever goes wrong is this delivery's failure, never the batch's."""
    # The send continues the trace of whatever queued the delivery.
    token = otel_context.attach(propagate.extract(outgoing.trace_context))
    try:
        return sender.send(outgoing)
    except Exception as exc:  # one delivery's fault must not stop the others
        log.exception("a channel failed unexpectedly", extra={"delivery_id": outgoing.id})
        # Temporary: it may be the database or the network; the attempt limit still applies.
        return channels.SendResult(
            channels.TEMPORARY, f"unexpected {type(exc).__name__} in the sender (see the log)"
        )
    finally:
        otel_context.detach(token)


def forget_secrets(delivery: Delivery) -> None:
    """Cut the delivery's secrets out of its stored texts; what was sent stays readable."""
    for secret in delivery.secrets or ():
        delivery.subject = delivery.subject.replace(secret, REDACTED)
        delivery.text = delivery.text.replace(secret, REDACTED)
        delivery.html = delivery.html.replace(secret, REDACTED)
    delivery.secrets = None


def delivered_texts(keep: timedelta) -> PurgeRule:
    """The purge of delivered notices' texts after ``keep``; who, when and how stay."""
    table = Delivery.metadata.tables[Delivery.__tablename__]  # the Table (not the ORM class)
    return PurgeRule(
        "delivered_texts",
        keep,
        lambda cutoff: (
            update(table)
            .where(
                table.c.status == channels.DELIVERED,
                table.c.delivered_at < cutoff,
                or_(table.c.subject != "", table.c.text != "", table.c.html != ""),
            )
            .values(subject="", text="", html="", attachments=[])
        ),
    )


def _new_delivery(
    cause: str, recipient: Recipient, kind: str, template: Template, now: datetime
) -> dict[str, Any]:
    """The columns a delivery starts with, sent or not: whom, what, which template, when."""
    return {
        "id": new_id(),
        "cause": cause,
        "recipient": recipient.address,
        "channel": recipient.channel,
        "kind": kind,
        "language": template.language,
        "template_version": template.version,
        "trace_context": _current_trace_context(),
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


def _current_trace_context() -> dict[str, str] | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


def feed_target(payload: object | None) -> dict[str, str | None]:
    """What an in-app notice about ``payload`` (a contract dataclass) links to: a letter by
    its registration number, else an own task (an assignment without a letter) by its id."""
    number = getattr(payload, "registration_number", None)
    assignment = getattr(payload, "assignment_id", None)
    return {
        "registration_number": str(number) if number else None,
        "assignment_id": str(assignment) if assignment and not number else None,
    }
