"""The municipality this app serves, as its pages need it: its profile, its clock's zone and
its today. Due dates, periods and file names are the municipality's days, not the server's
(a server in UTC is still on yesterday for the first hours of a Lithuanian day)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from chancery.profiles import Profile


def profile() -> Profile:
    """The municipality's profile the app was started with."""
    return current_app.extensions["staff_web.profile"]


def zone() -> ZoneInfo:
    """The municipality's time zone."""
    return ZoneInfo(profile().time_zone)


def today() -> date:
    """The municipality's today."""
    return datetime.now(zone()).date()
