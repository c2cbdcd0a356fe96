"""Routing's use cases, one module per aggregate (decision 77).

Each class derives from :class:`chancery.db.Transactions`, the shared unit-of-work idiom
(``with self.transaction() as uow: ...``), takes plain values and a principal, checks the
principal against :mod:`routing.permissions`, lets :mod:`routing.domain` decide and
writes, emitting its messages through the unit of work's outbox.
"""

SYSTEM = "routing"
"""The actor routing's own steps are recorded as (a rule's routing, intake's decisions)."""
