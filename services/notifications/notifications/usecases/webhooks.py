"""Department systems subscribed by webhook: checked destinations, secrets shown once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from chancery.clock import utcnow
from chancery.db import UnitOfWork, existing, new_id
from chancery.errors import InvalidInput
from chancery.principal import Principal
from chancery.usecase import UseCase
from notifications.adapters.channels import WebhookTarget
from notifications.adapters.models import WebhookSubscription
from notifications.adapters.webhooks import DestinationPolicy, UnsafeDestination, new_secret
from notifications.permissions import OPERATORS
from notifications.usecases import KEPT_BY_OPERATORS, require_role


@dataclass(eq=False)
class Webhooks(UseCase):
    """The webhook subscriptions; only operators change them."""

    webhook_policy: DestinationPolicy
    secret_overlap: timedelta
    clock: Callable[[], datetime] = utcnow

    def add(
        self,
        name: str,
        url: str,
        kinds: list[str],
        department: str | None,
        principal: Principal,
        receives_confidential: bool = False,
        receives_personal_data: bool = False,
    ) -> tuple[WebhookSubscription, str]:
        """Subscribe a department system to a checked destination; its secret is shown once.

        Only operators subscribe, so only an operator entitles a subscription to
        confidential letters or to personal data (decision 17).
        """
        require_role(principal, OPERATORS, KEPT_BY_OPERATORS)
        self._check_destination(url)
        secret = new_secret()
        with self.transaction() as uow:
            hook = WebhookSubscription(
                id=new_id(),
                name=name,
                url=url,
                secret=secret,
                kinds=kinds,
                department=department,
                active=True,
                receives_confidential=receives_confidential,
                receives_personal_data=receives_personal_data,
            )
            uow.session.add(hook)
            return hook, secret

    def all(self) -> list[WebhookSubscription]:
        """Every webhook subscription (their secrets stay inside)."""
        with self.reading() as uow:
            return list(
                uow.session.scalars(
                    select(WebhookSubscription).order_by(
                        WebhookSubscription.name, WebhookSubscription.id
                    )
                )
            )

    def set_active(self, hook_id: str, active: bool, principal: Principal) -> WebhookSubscription:
        """Disable a webhook (nothing more is sent to it) or enable it again."""
        require_role(principal, OPERATORS, KEPT_BY_OPERATORS)
        with self.transaction() as uow:
            hook = self._webhook(uow, hook_id)
            if active:
                # The destination may have changed while the webhook was off.
                self._check_destination(hook.url)
            hook.active = active
            return hook

    def delete(self, hook_id: str, principal: Principal) -> None:
        """Remove a webhook; its queued deliveries fail with the reason, the history stays."""
        require_role(principal, OPERATORS, KEPT_BY_OPERATORS)
        with self.transaction() as uow:
            uow.session.delete(self._webhook(uow, hook_id))

    def rotate_secret(self, hook_id: str, principal: Principal) -> tuple[WebhookSubscription, str]:
        """A new secret, shown once; the old one keeps signing for the overlap period."""
        require_role(principal, OPERATORS, KEPT_BY_OPERATORS)
        secret = new_secret()
        with self.transaction() as uow:
            hook = self._webhook(uow, hook_id)
            hook.previous_secret, hook.secret = hook.secret, secret
            hook.previous_secret_until = self.clock() + self.secret_overlap
            return hook, secret

    def target(self, recipient: str) -> WebhookTarget | None:
        """Where a ``webhook:<id>`` recipient is sent and the secrets in force (None: deleted)."""
        with self.reading() as uow:
            hook = uow.session.get(WebhookSubscription, recipient.removeprefix("webhook:"))
        if hook is None:
            return None
        overlapping = (
            hook.previous_secret is not None
            and hook.previous_secret_until is not None
            and hook.previous_secret_until > self.clock()
        )
        in_force = (hook.secret, hook.previous_secret) if overlapping else (hook.secret,)
        return WebhookTarget(hook.url, tuple(s for s in in_force if s), hook.active)

    def _check_destination(self, url: str) -> None:
        try:
            self.webhook_policy.check(url)
        except UnsafeDestination as exc:
            raise InvalidInput(
                f"This webhook URL is refused: {exc}.", field="url", reason=str(exc)
            ) from exc

    @staticmethod
    def _webhook(uow: UnitOfWork, hook_id: str) -> WebhookSubscription:
        return existing(
            uow.session, WebhookSubscription, hook_id, f"No webhook {hook_id}.", lock=True
        )
