"""Templates, the staff directory, preferences and webhook subscriptions, kept over the API."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from chancery.auth import Principal
from chancery.db import UnitOfWork, new_id, utcnow
from chancery.errors import Forbidden, InvalidInput, NotFound
from chancery.vocabulary import LANGUAGE_PATTERN
from notifications.models import (
    FeedItem,
    Preference,
    StaffMember,
    Template,
    WebhookSubscription,
)
from notifications.templating import Rendered, check_template, render, shipped_kinds

ADMINS = ("operator", "registrar", "mayor_office")


class Catalog:
    """What notifications knows besides deliveries."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

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
        _require_admin(principal)
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

    def staff(self) -> list[StaffMember]:
        """The staff directory."""
        with self._uow() as uow:
            return list(uow.session.scalars(select(StaffMember).order_by(StaffMember.subject)))

    def save_staff(self, subject: str, fields: dict[str, Any],
                   principal: Principal) -> StaffMember:
        """Add or change a staff member."""
        _require_admin(principal)
        with self._uow() as uow:
            member = uow.session.get(StaffMember, subject)
            if member is None:
                member = StaffMember(subject=subject, roles=[], active=True)
                uow.session.add(member)
            for name, value in fields.items():
                setattr(member, name, value)
            uow.commit()
            return member

    def preference(self, recipient: str) -> Preference:
        """A recipient's preferences."""
        with self._uow() as uow:
            found = uow.session.get(Preference, recipient.lower())
        if found is None:
            raise NotFound(f"No preferences for {recipient}.")
        return found

    def save_preference(self, recipient: str, language: str | None, channel: str | None,
                        opted_out: list[str], principal: Principal) -> Preference:
        """Set a recipient's language, channel and opt-outs (legal notices still go out)."""
        if not principal.has_any(*ADMINS, "system"):
            raise Forbidden("Preferences are kept by the registry, operators and systems.")
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
        """Subscribe a department system; its signing secret is shown once.

        Only an operator entitles a subscription to confidential letters or to
        personal data (decision 17).
        """
        _require_admin(principal)
        if (receives_confidential or receives_personal_data) and not principal.has_any(
                "operator"):
            raise Forbidden("Only an operator entitles a webhook to confidential letters or "
                            "personal data.")
        secret = secrets.token_urlsafe(32)
        with self._uow() as uow:
            hook = WebhookSubscription(id=new_id(), name=name, url=url, secret=secret,
                                       kinds=kinds, department=department, active=True,
                                       receives_confidential=receives_confidential,
                                       receives_personal_data=receives_personal_data)
            uow.session.add(hook)
            uow.commit()
            return hook, secret

    def webhook_target(self, recipient: str) -> tuple[str, str]:
        """The URL and secret behind a ``webhook:<id>`` recipient."""
        with self._uow() as uow:
            hook = uow.session.get(WebhookSubscription, recipient.removeprefix("webhook:"))
        if hook is None:
            raise NotFound(f"No webhook subscription {recipient}.")
        return hook.url, hook.secret


def _require_admin(principal: Principal) -> None:
    if not principal.has_any(*ADMINS):
        raise Forbidden(f"This needs one of the roles: {', '.join(ADMINS)}.")


class Feed:
    """Staff members' in-app notices."""

    def __init__(self, unit_of_work: Callable[[], UnitOfWork]) -> None:
        self._uow = unit_of_work

    def items(self, subject: str, unread_only: bool) -> list[FeedItem]:
        """A staff member's notices, newest first."""
        query = select(FeedItem).where(FeedItem.staff_subject == subject)
        if unread_only:
            query = query.where(FeedItem.read_at.is_(None))
        with self._uow() as uow:
            return list(uow.session.scalars(query.order_by(FeedItem.created_at.desc())
                                            .limit(200)))

    def mark_read(self, item_id: str, subject: str) -> FeedItem:
        """Mark one of the caller's own notices read."""
        with self._uow() as uow:
            item = uow.session.get(FeedItem, item_id)
            if item is None or item.staff_subject != subject:
                raise NotFound(f"No notice {item_id} in your feed.")
            item.read_at = item.read_at or utcnow()
            uow.commit()
            return item
