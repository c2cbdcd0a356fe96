"""Protocol-events' links to the public pages follow the instance's one public address."""

from __future__ import annotations

import pytest

from chancery.config import ConfigurationError
from protocol_events.config import load_settings


def test_the_booking_and_invitation_links_are_under_the_instances_public_address():
    default = load_settings({})
    assert default.booking_url == "http://127.0.0.1:8000/public/receptions/booking"
    assert default.invitation_url == "http://127.0.0.1:8000/public/invitations"
    public = load_settings({"CHANCERY_PUBLIC_URL": "https://bashkia.example.org"})
    assert public.booking_url == "https://bashkia.example.org/public/receptions/booking"
    assert public.invitation_url == "https://bashkia.example.org/public/invitations"
    overridden = load_settings(
        {
            "CHANCERY_PUBLIC_URL": "https://bashkia.example.org",
            "PROTOCOL_EVENTS_INVITATION_URL": "https://x.example.org/i/",
        }
    )
    assert overridden.invitation_url == "https://x.example.org/i"
    assert overridden.booking_url == "https://bashkia.example.org/public/receptions/booking"


def test_a_public_address_that_is_no_web_address_is_refused():
    with pytest.raises(ConfigurationError, match="CHANCERY_PUBLIC_URL"):
        load_settings({"CHANCERY_PUBLIC_URL": "chancery.example.org"})
