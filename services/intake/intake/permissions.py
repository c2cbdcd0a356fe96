"""Intake's role sets, named once: a view's ``@require(*SET)`` and its use case's check
read the same tuple (decision 77). The order is the one the OpenAPI document lists."""

from __future__ import annotations

from chancery.vocabulary import ENDORSER_ROLES

REGISTRY = ("registrar",)
"""The registry: keeps the protocol book, the file plan and the records' decisions."""
READERS = ("registrar", "mayor_office", "operator", "department_staff", "department_head", "system")
"""Who searches the protocol book and reads the file plan (a department its own letters)."""
WRITERS = ("registrar", "system", "department_staff", "department_head")
"""Who registers (outgoing) letters, files them and attaches scans."""
INCOMING_REGISTRARS = ("registrar", "system")
"""Among the writers, who registers incoming correspondence."""
LETTER_READERS = tuple(dict.fromkeys((*READERS, *ENDORSER_ROLES)))
"""Who may ask for one letter (and its scans): the readers and the approver its reply's
circuit waits for; the use case decides whether that is the case (decision 0044)."""
EXPORTERS = ("registrar", "mayor_office")
"""Who exports the protocol book."""
STATISTICS_READERS = ("registrar", "mayor_office", "department_head")
"""Who reads the statistics (a head the own department's counts)."""
TRANSFER_READERS = (*REGISTRY, "mayor_office")
"""Who reads an archive transfer's inventory."""
TRANSFER_APPROVERS = ("mayor_office",)
"""Who approves an archive transfer's inventory (never whoever drew it up)."""
DATA_PROTECTION = ("data_protection_officer",)
"""Who handles people's requests and keeps the record of processing."""
DESTRUCTION_APPROVERS = ("registrar", "data_protection_officer")
"""Who approves a destruction act, each role once and by a different person."""
DESTRUCTION_READERS = DESTRUCTION_APPROVERS
"""Who reads a destruction act."""
