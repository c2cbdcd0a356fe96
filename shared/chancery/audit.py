"""The audit trail: who read or changed personal data, when, under which trace."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from chancery.auth import Principal
from chancery.db import utcnow
from chancery.telemetry import current_trace_id


def record_access(session: Session, table: Table, principal: Principal, action: str,
                  object_type: str, object_ids: Iterable[str]) -> None:
    """Append one audit row per object in the caller's transaction."""
    now, trace_id = utcnow(), current_trace_id()
    rows = [{"at": now, "actor": principal.subject, "roles": principal.roles_text,
             "action": action, "object_type": object_type, "object_id": object_id,
             "trace_id": trace_id} for object_id in object_ids]
    if rows:
        session.execute(insert(table), rows)
