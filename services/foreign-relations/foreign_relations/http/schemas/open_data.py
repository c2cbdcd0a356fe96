"""The open data's schema: a partner city without notes, contacts or people."""

from __future__ import annotations

from chancery.http.answers import answer_schema

PublicPartnerOut = answer_schema(
    "PublicPartnerOut",
    "id city country relationship since:date? status languages:[str] areas:[str] website?",
    doc="A partner city as the open data lists it: no notes, no contact, no person.",
)
