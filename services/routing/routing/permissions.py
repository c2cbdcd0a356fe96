"""Routing's role sets, named once: a view's ``@require(*SET)`` and its use case's check
read the same tuple (decision 77). The order is the one the OpenAPI document lists."""

from __future__ import annotations

STAFF = (
    "registrar",
    "mayor_office",
    "operator",
    "department_staff",
    "department_head",
    "system",
    "director",
    "deputy_mayor",
    "mayor",
    "council_chair",
)
"""Everybody who works in the municipality (and department systems): the readers."""
ROUTERS = ("registrar", "mayor_office")
"""The registry: routes letters from triage, acts across departments, sends replies."""
HEADS = ("department_head", "registrar", "mayor_office")
"""Who names a letter's executor and closes it (a head only in the own department)."""
EXTENDERS = ("registrar", "department_head", "mayor_office")
"""Who extends a letter's deadline."""
REPLIERS = ("department_staff", "department_head", "registrar", "mayor_office")
"""Who sends a reply draft into its endorsement circuit."""
APPROVERS = ("department_head", "director", "deputy_mayor", "mayor", "council_chair")
"""The roles an endorsement circuit's steps may wait for."""
LEADERSHIP = ("mayor", "mayor_office", "director", "deputy_mayor")
"""The mayor's office and the directors: they give work anywhere and remind executors."""
GIVERS = ("mayor", "mayor_office", "director", "deputy_mayor", "department_head")
"""Who gives an own task (a head inside the own department)."""
REMINDERS = LEADERSHIP
"""Who reminds an executor now (execution control)."""
WHOLE_TOWN = ("mayor", "director", "deputy_mayor")
"""Besides those who see every department, who sees every department's assignments."""
REPORT_READERS = ("registrar", "mayor_office", "mayor", "director", "department_head")
"""Who reads the deadline reports (a head the own department's lines)."""
WHOLE_TOWN_REPORTS = ("mayor", "director")
"""Besides those who see every department, who reads every department's report lines."""
ADMINS = ("registrar", "operator", "mayor_office")
"""Who keeps the departments and the routing rules."""
STAFF_KEEPERS = ("operator", "mayor_office", "registrar")
"""Who keeps the staff directory."""
OPERATORS = ("operator",)
"""Who declares days off and working days."""
