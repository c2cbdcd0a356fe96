"""Templates, the staff directory, preferences and webhook subscriptions, kept over the API."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chancery.audit import record_access
from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.emails import InvalidEmailAddress, normalized_email
from chancery.errors import Forbidden, InvalidInput, NotFound
from chancery.keyset import Ordering, fetch_page
from chancery.paging import MAX_LIMIT, Page, PageRequest
from chancery.vocabulary import LANGUAGE_PATTERN
from notifications.channels import WebhookTarget
from notifications.models import (
    FeedItem,
    Preference,
    StaffMember,
    Template,
    WebhookSubscription,
)
from notifications.templating import Rendered, check_template, render, shipped_kinds
from notifications.webhooks import DestinationPolicy, UnsafeDestination, new_secret

# Preferences are also kept by the registry (a citizen's opt-out arrives there).
_NEWEST_FIRST = (Ordering(FeedItem.created_at, descending=True),
                 Ordering(FeedItem.id, descending=True))
PREFERENCE_KEEPERS = ("operator", "registrar", "mayor_office", "system")


class Catalog:
    """What notifications knows besides deliveries.

    Templates, the staff directory and webhooks are the operators' to change.
    """

    def __init__(self, unit_of_work: Callable[[], UnitOfWork],
                 webhook_policy: DestinationPolicy, secret_overlap: timedelta,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._uow = unit_of_work
        self._policy = webhook_policy
        self._overlap = secret_overlap
        self._clock = clock

    def load_shipped_templates(self) -> int:
        """Add each shipped kind and language that has no version yet; return how many."""
        added = 0
        with self._uow() as uow:
            present = set(uow.session.execute(select(Template.kind, Template.language)).all())
            for shipped in shipped_kinds():
                for language, texts in shipped.languages.items():
                    if (shipped.kind, language) in present:
                        continue
                    check_template(texts["subject"], texts["text"], texts["html"],
                                   shipped.variables)
                    uow.session.add(Template(
                        kind=shipped.kind, language=language, version=1,
                        audience=shipped.audience, legal=shipped.legal,
                        variables=list(shipped.variables), subject=texts["subject"],
                        text=texts["text"], html=texts["html"], created_at=utcnow(),
                        created_by="shipped"))
                    added += 1
            uow.commit()
        return added

    # Templates ---------------------------------------------------------------------------

    def templates(self, kind: str | None = None) -> list[Template]:
        """The newest version of every template (of one kind)."""
        with self._uow() as uow:
            newest = (select(Template.kind, Template.language,
                             func.max(Template.version).label("version"))
                      .group_by(Template.kind, Template.language).subquery())
            query = select(Template).join(newest, (Template.kind == newest.c.kind)
                                          & (Template.language == newest.c.language)
                                          & (Template.version == newest.c.version))
            if kind:
                query = query.where(Template.kind == kind)
            return list(uow.session.scalars(query.order_by(Template.kind, Template.language)))

    def new_version(self, kind: str, language: str, subject: str, text: str, html: str,
                    principal: Principal) -> Template:
        """Store a new version of a kind's texts in a language (the old ones stay)."""
        _require_operator(principal)
        if not re.fullmatch(LANGUAGE_PATTERN, language):
            raise InvalidInput(f"{language!r} is not a language code.", field="language",
                               reason="a two-letter ISO 639-1 code")
        with self._uow() as uow:
            current = uow.session.scalars(select(Template).where(Template.kind == kind)
                                          .order_by(Template.version.desc())).first()
            if current is None:
                raise NotFound(f"No notification kind {kind}.")
            check_template(subject, text, html, tuple(current.variables))
            version = (uow.session.scalar(select(func.max(Template.version)).where(
                Template.kind == kind, Template.language == language)) or 0) + 1
            template = Template(kind=kind, language=language, version=version,
                                audience=current.audience, legal=current.legal,
                                variables=current.variables, subject=subject, text=text,
                                html=html, created_at=utcnow(), created_by=principal.subject)
            uow.session.add(template)
            uow.commit()
            return template

    def preview(self, kind: str, language: str, data: dict[str, Any]) -> Rendered:
        """A kind's newest text in ``language`` filled in with ``data`` (nothing is sent)."""
        matching = [t for t in self.templates(kind) if t.language == language]
        if not matching:
            raise NotFound(f"No template {kind} in {language}.")
        template = matching[0]
        missing = [name for name in template.variables if name not in data]
        if missing:
            raise InvalidInput(f"Preview data lacks: {', '.join(missing)}.", field="data",
                               reason=f"missing {', '.join(missing)}")
        return render(template.subject, template.text, template.html, data)

    # Staff, preferences, webhooks -----------------------------------------------------

    def staff(self, principal: Principal) -> list[StaffMember]:
        """The staff directory; the read is audited."""
        with self._uow() as uow:
            members = list(uow.session.scalars(select(StaffMember)
                                               .order_by(StaffMember.subject)))
            record_access(uow.session, uow.tables.audit, principal, "list", "staff_member",
                          [m.subject for m in members],
                          {m.subject: m.email or m.name for m in members})
            uow.commit()
            return members

    def save_staff(self, subject: str, fields: dict[str, Any],
                   principal: Principal) -> StaffMember:
        """Add or change a staff member."""
        _require_operator(principal)
        with self._uow() as uow:
            member = uow.session.get(StaffMember, subject)
            if member is None:
                member = StaffMember(subject=subject, roles=[], active=True)
                uow.session.add(member)
            for name, value in fields.items():
                setattr(member, name, value)
            uow.commit()
            return member

    def preference(self, recipient: str, principal: Principal) -> Preference:
        """A recipient's preferences; the read is audited."""
        with self._uow() as uow:
            found = uow.session.get(Preference, recipient.lower())
            if found is None:
                raise NotFound(f"No preferences for {recipient}.")
            record_access(uow.session, uow.tables.audit, principal, "read", "preference",
                          [found.recipient], {found.recipient: found.recipient})
            uow.commit()
            return found

    def save_preference(self, recipient: str, language: str | None, channel: str | None,
                        opted_out: list[str], principal: Principal) -> Preference:
        """Set a recipient's language, channel and opt-outs (legal notices still go out)."""
        if not principal.has_any(*PREFERENCE_KEEPERS):
            raise Forbidden("Preferences are kept by the registry, operators and systems.")
        if "@" in recipient:  # otherwise a phone number or a staff member's subject
            try:
                recipient = normalized_email(recipient)
            except InvalidEmailAddress as exc:
                raise InvalidInput(f"{recipient!r} is not an e-mail address: {exc}",
                                   field="recipient", reason=str(exc)) from exc
        with self._uow() as uow:
            preference = uow.session.get(Preference, recipient.lower())
            if preference is None:
                preference = Preference(recipient=recipient.lower())
                uow.session.add(preference)
            preference.language, preference.channel = language, channel
            preference.opted_out, preference.updated_at = opted_out, utcnow()
            uow.commit()
            return preference

    def add_webhook(self, name: str, url: str, kinds: list[str], department: str | None,
                    principal: Principal, receives_confidential: bool = False,
                    receives_personal_data: bool = False) -> tuple[WebhookSubscription, str]:
        """Subscribe a department system to a checked destination; its secret is shown once.

        Only operators subscribe, so only an operator entitles a subscription to
        confidential letters or to personal data (decision 17).
        """
        _require_operator(principal)
        self._check_destination(url)
        secret = new_secret()
        with self._uow() as uow:
            hook = WebhookSubscription(id=new_id(), name=name, url=url, secret=secret,
                                       kinds=kinds, department=department, active=True,
                                       receives_confidential=receives_confidential,
                                       receives_personal_data=receives_personal_data)
            uow.session.add(hook)
            uow.commit()
            return hook, secret

    def webhooks(self) -> list[WebhookSubscription]:
        """Every webhook subscription (their secrets stay inside)."""
        with self._uow() as uow:
            return list(uow.session.scalars(select(WebhookSubscription)
                                            .order_by(WebhookSubscription.name,
                                                      WebhookSubscription.id)))

    def set_webhook_active(self, hook_id: str, active: bool,
                           principal: Principal) -> WebhookSubscription:
        """Disable a webhook (nothing more is sent to it) or enable it again."""
        _require_operator(principal)
        with self._uow() as uow:
            hook = self._webhook(uow, hook_id)
            if active:
                # The destination may have changed while the webhook was off.
                self._check_destination(hook.url)
            hook.active = active
            uow.commit()
            return hook

    def delete_webhook(self, hook_id: str, principal: Principal) -> None:
        """Remove a webhook; its queued deliveries fail with the reason, the history stays."""
        _require_operator(principal)
        with self._uow() as uow:
            uow.session.delete(self._webhook(uow, hook_id))
            uow.commit()

    def rotate_webhook_secret(self, hook_id: str, principal: Principal
                              ) -> tuple[WebhookSubscription, str]:
        """A new secret, shown once; the old one keeps signing for the overlap period."""
        _require_operator(principal)
        secret = new_secret()
        with self._uow() as uow:
            hook = self._webhook(uow, hook_id)
            hook.previous_secret, hook.secret = hook.secret, secret
            hook.previous_secret_until = self._clock() + self._overlap
            uow.commit()
            return hook, secret

    def webhook_target(self, recipient: str) -> WebhookTarget | None:
        """Where a ``webhook:<id>`` recipient is sent and the secrets in force (None: deleted)."""
        with self._uow() as uow:
            hook = uow.session.get(WebhookSubscription, recipient.removeprefix("webhook:"))
        if hook is None:
            return None
        overlapping = (hook.previous_secret is not None and hook.previous_secret_until
                       is not None and hook.previous_secret_until > self._clock())
        in_force = (hook.secret, hook.previous_secret) if overlapping else (hook.secret,)
        return WebhookTarget(hook.url, tuple(s for s in in_force if s), hook.active)

    def _check_destination(self, url: str) -> None:
        try:
            self._policy.check(url)
        except UnsafeDestination as exc:
            raise InvalidInput(f"This webhook URL is refused: {exc}.", field="url",
                               reason=str(exc)) from exc

    @staticmethod
    def _webhook(uow: UnitOfWork, hook_id: str) -> WebhookSubscription:
        hook = uow.session.get(WebhookSubscription, hook_id, with_for_update=True)
        if hook is None:
            raise NotFound(f"No webhook {hook_id}.")
        return hook


def _require_operator(principal: Principal) -> None:
    if not principal.has_any("operator"):
        raise Forbidden("Templates, the staff directory and webhooks are kept by operators.")


class Feed:
    """Staff members' in-app notices."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

    def items(self, subject: str, unread_only: bool) -> list[FeedItem]:
        """A staff member's newest notices, at most one full page."""
        return self.page(subject, unread_only, PageRequest(limit=MAX_LIMIT)).items

    def page(self, subject: str, unread_only: bool, page: PageRequest) -> Page[FeedItem]:
        """A page of a staff member's notices, newest first."""
        query = select(FeedItem).where(FeedItem.staff_subject == subject)
        if unread_only:
            query = query.where(FeedItem.read_at.is_(None))
        with self._uow() as uow:
            return fetch_page(uow.session, query, _NEWEST_FIRST, page)

    def unread_count(self, subject: str) -> int:
        """How many of a staff member's notices are unread (the page header's badge)."""
        with self._uow() as uow:
            return uow.session.scalar(select(func.count()).select_from(FeedItem).where(
                FeedItem.staff_subject == subject, FeedItem.read_at.is_(None))) or 0

    def mark_read(self, item_id: str, subject: str) -> FeedItem:
        """Mark one of the caller's own notices read."""
        with self._uow() as uow:
            item = uow.session.get(FeedItem, item_id)
            if item is None or item.staff_subject != subject:
                raise NotFound(f"No notice {item_id} in your feed.")
            item.read_at = item.read_at or utcnow()
            uow.commit()
            return item


def keep_staff_member(session: Session, entry: dict[str, Any]) -> StaffMember:
    """Replace the local copy of a person with routing's directory entry (decision 31)."""
    member = session.get(StaffMember, entry["subject"])
    if member is None:
        member = StaffMember(subject=entry["subject"])
        session.add(member)
    member.name, member.email, member.phone = entry["name"], entry["email"], entry["phone"]
    member.language, member.department = entry["language"], entry["department_code"]
    member.roles, member.active = list(entry["roles"]), entry["active"]
    session.flush()
    return member
