"""Real mode: the staff app and the public-only app as their own gunicorn processes."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest

from chancery.realmode import ProcessGroup, free_port, start_staff_web


def _status(url: str) -> int:
    request = urllib.request.Request(url)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.e2e
def test_the_staff_app_and_the_public_app_run_as_separate_processes(tmp_path):
    env = {**os.environ, "INTAKE_URL": "http://127.0.0.1:9", "LOG_FORMAT": "text"}
    env.pop("STAFF_WEB_SESSION_SECRET", None)
    env.pop("OIDC_ISSUER", None)
    group = ProcessGroup(tmp_path, env)
    web, public = free_port(), free_port()
    try:
        assert start_staff_web(group, web, public)
        assert _status(f"http://127.0.0.1:{web}/registry/post") == 302  # to the sign-in
        assert _status(f"http://127.0.0.1:{web}/sign-in") == 200
        assert _status(f"http://127.0.0.1:{public}/public/") == 200
        assert _status(f"http://127.0.0.1:{public}/registry/post") == 404
        assert _status(f"http://127.0.0.1:{public}/sign-in") == 404
        assert _status(f"http://127.0.0.1:{public}/readyz") == 503  # intake is not there
    finally:
        group.stop()
