"""Notifications' use cases, one module per aggregate (decision 77).

Each class derives from :class:`chancery.db.Transactions`, the one transaction
idiom: ``with self.transaction() as uow:`` commits when the block ends without
error, ``with self.reading() as uow:`` commits nothing. Handlers that already
hold the message's unit of work call the functions taking a session.
"""

from __future__ import annotations

from chancery.errors import Forbidden
from chancery.principal import Principal

# Templates, the staff directory and webhooks are the operators' to change.
KEPT_BY_OPERATORS = "Templates, the staff directory and webhooks are kept by operators."


def require_role(principal: Principal, roles: tuple[str, ...], refusal: str) -> None:
    """Refuse ``principal`` (a 403 saying ``refusal``) unless it holds one of ``roles``
    (a role set of :mod:`notifications.permissions`, the one its view requires)."""
    if not principal.has_any(*roles):
        raise Forbidden(refusal)
