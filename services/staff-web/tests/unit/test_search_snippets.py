"""The protocol book's search results: snippets escaped, their matched pieces marked."""

from __future__ import annotations

from flask import g, render_template

from staff_web.bootstrap import create_app
from staff_web.config import load_settings
from staff_web.identity import Person


def test_a_snippet_is_escaped_text_with_marks_never_markup_from_the_api():
    app = create_app(
        load_settings(
            {
                "STAFF_WEB_DEV_SIGN_IN": "true",
                "STAFF_WEB_SECURE_COOKIES": "false",
                "INTAKE_URL": "http://127.0.0.1:9",
            }
        )
    )
    item = {
        "registration_number": "G-2026-00007",
        "registered_at": "2026-03-10T07:30:00Z",
        "kind": "complaint",
        "language": "lt",
        "subject": "Dėl šiukšlių",
        "department_code": None,
        "status": "registered",
        "due_date": None,
        "match": {
            "field": "scan",
            "fragments": [
                {"text": "…<script>alert(1)</script> ", "marked": False},
                {"text": "Žalgirio", "marked": True},
                {"text": " gatvė…", "marked": False},
            ],
        },
    }
    with app.test_request_context("/book"):
        g.person = Person(subject="clerk", name="Clerk", roles=frozenset({"registrar"}))
        html = render_template(
            "book/results.html",
            result={"items": [item], "total": 1},
            filters={},
            errors={},
            page=1,
            pages=1,
        )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Žalgirio</mark>" in html
    assert "Skenuotame dokumente:" in html  # the default language, Lithuanian
