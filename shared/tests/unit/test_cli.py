"""The operator commands of ``chancery``: the AsyncAPI document and resending a notification."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from chancery.asyncapi import asyncapi_document, render
from chancery.auth import TokenVerifier
from chancery.cli import main
from chancery.config import DEV_JWT_SECRET
from chancery_testing import LocalHandler, serving_http

DELIVERY_ID = "7d0c3a52-5a4e-4c36-9b52-2f4a0e2b8f11"


def test_asyncapi_writes_the_generated_document(tmp_path, capsys):
    target = tmp_path / "asyncapi.yaml"
    assert main(["asyncapi", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render(asyncapi_document())
    assert main(["asyncapi"]) == 0
    assert capsys.readouterr().out == render(asyncapi_document())


class FakeNotifications:
    """notifications' resend endpoint: records the calls, answers what it is told to."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.status = 200


@pytest.fixture
def notifications() -> Iterator[tuple[str, FakeNotifications]]:
    fake = FakeNotifications()

    class Handler(LocalHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            fake.calls.append((self.path, self.headers.get("Authorization", "")))
            if fake.status == 200:
                body = {
                    "id": DELIVERY_ID,
                    "channel": "email",
                    "status": "queued",
                    "recipient": "ona@example.org",
                    "next_attempt_at": "2026-11-22T10:00:00+00:00",
                }
                content_type = "application/json"
            else:
                body = {
                    "title": "Conflict",
                    "status": 409,
                    "detail": f"Notification {DELIVERY_ID} is delivered; only a failed "
                    "one is sent again.",
                }
                content_type = "application/problem+json"
            self.reply(fake.status, json.dumps(body).encode(), {"Content-Type": content_type})

    with serving_http(Handler) as url:
        yield url, fake


def test_resend_posts_with_an_operator_token_and_prints_no_address(
    notifications, capsys, monkeypatch
):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    url, fake = notifications
    assert main(["resend", "--notification", DELIVERY_ID, "--url", f"{url}/"]) == 0
    [(path, authorization)] = fake.calls
    assert path == f"/notifications/{DELIVERY_ID}/resend"
    principal = TokenVerifier("chancery", "chancery", secret=DEV_JWT_SECRET).verify(
        authorization.removeprefix("Bearer ")
    )
    assert principal.roles == frozenset({"operator"})
    out = capsys.readouterr().out
    assert f"{DELIVERY_ID}\temail\tqueued" in out
    assert "ona@example.org" not in out


def test_resend_of_a_delivered_notification_says_why_and_fails(notifications, capsys):
    url, fake = notifications
    fake.status = 409
    assert (
        main(["resend", "--notification", DELIVERY_ID, "--url", url, "--token", "given-token"]) == 1
    )
    assert fake.calls[0][1] == "Bearer given-token"
    assert "409 Notification" in capsys.readouterr().err


def test_resend_with_an_identity_provider_needs_a_token(monkeypatch, capsys):
    monkeypatch.setenv("JWT_JWKS_URL", "https://id.example.org/jwks")
    assert main(["resend", "--notification", DELIVERY_ID]) == 2
    assert "--token" in capsys.readouterr().err


def test_a_token_for_the_data_protection_officer(capsys):
    assert main(["token", "--role", "data_protection_officer", "--subject", "dpo-rasa"]) == 0
    token = capsys.readouterr().out.strip()
    principal = TokenVerifier("chancery", "chancery", secret=DEV_JWT_SECRET).verify(token)
    assert (principal.subject, principal.roles) == (
        "dpo-rasa",
        frozenset({"data_protection_officer"}),
    )


def test_token_mints_both_clearances_given_by_commas_or_repeated(monkeypatch, capsys):
    secret = "a-test-secret-for-the-token-command-0123456789"
    monkeypatch.setenv("JWT_SECRET", secret)
    assert (
        main(
            [
                "token",
                "--role",
                "registrar,clearance_secret",
                "--role",
                "clearance_confidential",
                "--department",
                "LEGAL",
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    principal = TokenVerifier("chancery", "chancery", secret=secret).verify(token)
    assert principal.roles == {"registrar", "clearance_secret", "clearance_confidential"}
    assert principal.cleared_for("secret")
    assert principal.department == "LEGAL"
