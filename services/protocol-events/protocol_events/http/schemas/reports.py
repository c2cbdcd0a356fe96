"""Expense reports' schemas."""

from __future__ import annotations

from chancery.http.answers import answer_schema

ExpenseLineOut = answer_schema(
    "ExpenseLineOut",
    "event_id event_title starts_at category currency "
    "budget:decimal planned:decimal actual:decimal approved_actual:decimal",
)
