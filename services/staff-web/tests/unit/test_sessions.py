"""Sessions, CSRF, idle timeout and the public-only app (Flask's test client, no services)."""

from __future__ import annotations

import re
import threading
import time

import jwt
import pytest

from chancery.config import DEV_JWT_SECRET
from staff_web.bootstrap import create_app
from staff_web.config import load_settings

STAFF_PAGES = (
    "/",
    "/registry/post",
    "/book",
    "/triage",
    "/statistics",
    "/letters/G-2026-00001",
    "/book/export.csv",
    "/desk",
    "/desk/letters/G-2026-00001",
    "/endorsements",
    "/mayor/assignments",
    "/mayor/dashboard",
    "/mayor/reports",
    "/notices",
    "/notices/badge",
)


def _app(**env: str):
    settings = load_settings(
        {
            "STAFF_WEB_DEV_SIGN_IN": "true",
            "STAFF_WEB_SECURE_COOKIES": "false",
            "INTAKE_URL": "http://127.0.0.1:9",
            **env,
        }
    )
    return create_app(settings)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _dev_sign_in(client, person: str = "registrar"):
    token = _csrf(client.get("/sign-in").text)
    return client.post("/sign-in/dev", data={"csrf_token": token, "person": person})


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_are_never_served_without_a_session(path):
    response = _app().test_client().get(path)
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")


def test_the_dev_sign_in_mints_a_token_the_services_dev_secret_verifies():
    client = _app().test_client()
    response = _dev_sign_in(client, "head-SOC")
    assert (response.status_code, response.location) == (302, "/")
    with client.session_transaction() as session:
        claims = jwt.decode(
            session["token"],
            DEV_JWT_SECRET,
            algorithms=["HS256"],
            audience="chancery",
            issuer="chancery",
        )
    assert (claims["roles"], claims["department"]) == (["department_head"], "SOC")


def test_a_form_without_the_csrf_token_is_refused():
    client = _app().test_client()
    client.get("/sign-in")
    assert client.post("/sign-in/dev", data={"person": "registrar"}).status_code == 400
    assert (
        client.post(
            "/sign-in/dev", data={"person": "registrar", "csrf_token": "forged"}
        ).status_code
        == 400
    )
    with client.session_transaction() as session:
        assert "person" not in session


def test_the_dev_sign_in_is_absent_when_not_enabled():
    app = create_app(
        load_settings({"STAFF_WEB_SESSION_SECRET": "s", "STAFF_WEB_SECURE_COOKIES": "false"})
    )
    client = app.test_client()
    page = client.get("/sign-in").text
    assert "Development sign-in" not in page
    assert client.post(
        "/sign-in/dev",
        data={"csrf_token": _csrf(page) if "csrf_token" in page else "x", "person": "registrar"},
    ).status_code in (400, 404)


def test_an_idle_session_ends_and_sign_out_ends_it_too():
    client = _app(STAFF_WEB_IDLE_MINUTES="1").test_client()
    _dev_sign_in(client)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 61
    response = client.get("/registry/post?lang=en")
    assert response.status_code == 302
    assert "expired=1" in response.location
    assert "Your session ended" in client.get(response.location + "&lang=en").text
    with client.session_transaction() as session:
        assert "person" not in session
        assert "token" not in session
    _dev_sign_in(client)
    token = _csrf(client.get("/sign-in").text)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/registry/post").status_code == 302


def test_only_a_request_that_changes_the_session_writes_its_cookie():
    # A page and its favicon overlap in a browser: had the favicon's answer carried the
    # session as it was read, it would undo the language the page had just chosen.
    client = _app().test_client()
    _dev_sign_in(client)
    assert "Set-Cookie" in client.get("/registry/post?lang=ka").headers
    assert "Set-Cookie" not in client.get("/registry/post").headers
    assert "Set-Cookie" not in client.get("/favicon.ico").headers
    assert "Set-Cookie" not in client.get("/static/app.css").headers
    with client.session_transaction() as session:
        assert session["lang"] == "ka"


def test_a_session_seen_a_while_ago_is_seen_again_and_kept():
    client = _app(STAFF_WEB_IDLE_MINUTES="1").test_client()
    _dev_sign_in(client)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 45
    assert client.get("/registry/post").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 5


def test_session_cookie_is_http_only_lax_and_secure_by_default():
    app = create_app(load_settings({"STAFF_WEB_DEV_SIGN_IN": "true"}))
    header = app.test_client().get("/sign-in").headers["Set-Cookie"]
    assert header.startswith("chancery=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in header.split(";")}


def test_the_public_app_has_no_staff_routes():
    app = create_app(load_settings({"STAFF_WEB_SESSION_SECRET": "s"}, public_only=True))
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert {
        "/public/",
        "/public/status/<string:number>",
        "/public/receptions",
        "/public/receptions/booking/<string:token>",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= routes
    assert not [
        r
        for r in routes
        if r.startswith(
            ("/registry", "/book", "/letters", "/sign-in", "/triage", "/statistics", "/receptions")
        )
    ]
    client = app.test_client()
    assert client.get("/registry/post").status_code == 404
    page = client.get("/public/?lang=sq").text
    assert "Gjendja e letrës suaj" in page
    assert 'lang="sq"' in page


def test_readiness_needs_intake():
    client = _app().test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    assert b"chancery_http_requests_total" in client.get("/metrics").data


def test_the_acknowledgements_link_fills_in_the_number_and_code_without_looking_up():
    client = create_app(
        load_settings(
            {"STAFF_WEB_SESSION_SECRET": "s", "INTAKE_URL": "http://127.0.0.1:9"}, public_only=True
        )
    ).test_client()
    page = client.get("/public/status/G-2026-00012?code=ABCD-2345&lang=lv").text
    assert 'id="number" name="number" value="G-2026-00012"' in page
    assert 'value="ABCD-2345"' in page
    assert "Jūsu vēstules statuss" in page  # intake (unreachable here) was not asked


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"],
)
def test_the_page_after_sign_in_is_never_another_site(target):
    client = _app().test_client()
    token = _csrf(client.get("/sign-in", query_string={"next": target}).text)
    response = client.post(
        "/sign-in/dev", data={"csrf_token": token, "person": "registrar", "next": target}
    )
    assert response.location == "/"


def test_a_token_the_services_refuse_ends_the_session(tmp_path):
    from werkzeug.serving import make_server

    from chancery.runtime import migrate, web_app
    from intake.bootstrap import bootstrap
    from intake.config import load_settings as intake_settings

    # An intake whose secret is not the one the staff app signs with (a rotated secret).
    wiring = bootstrap(
        intake_settings(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path}/intake.db",
                "BROKER_URL": "memory://",
                "JWT_SECRET": "rotated",
                "CHANCERY_DATA_DIR": str(tmp_path),
            }
        )
    )
    migrate(wiring)
    server = make_server("127.0.0.1", 0, web_app(wiring), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = _app(INTAKE_URL=f"http://127.0.0.1:{server.server_port}").test_client()
        _dev_sign_in(client)
        response = client.get("/book")
        assert response.status_code == 302
        assert "expired=1" in response.location
        with client.session_transaction() as session:
            assert "token" not in session
    finally:
        server.shutdown()
        wiring.engine.dispose()


@pytest.mark.parametrize(
    ("language", "expected_day", "expected_number"),
    [
        ("lt", "2026-12-01", "12\u00a0345"),
        ("en", "Dec 1, 2026", "12,345"),
        ("ka", "2026", "12\u00a0345"),
    ],
)
def test_times_are_the_municipalitys_and_formats_the_persons(
    language, expected_day, expected_number
):
    from staff_web.formats import local_datetime, number

    app = _app()
    with app.test_request_context(f"/public/?lang={language}"):
        shown = local_datetime("2026-12-01T09:15:00+00:00")
        assert expected_day in shown
        assert "11:15" in shown  # Alytus is two hours ahead of UTC in winter
        assert number(12345) == expected_number


@pytest.mark.parametrize(
    ("proxies", "seen"),
    [(None, "10.0.0.9"), ("0", "10.0.0.9"), ("1", "203.0.113.7"), ("2", "198.51.100.4")],
)
def test_x_forwarded_for_is_honoured_only_from_the_proxies_trusted(proxies, seen):
    # The public booking's rate limit counts request.remote_addr per client: without the
    # setting a forged header changes nothing; with it, the address the proxies saw.
    env = {} if proxies is None else {"STAFF_WEB_TRUSTED_PROXIES": proxies}
    app = _app(**env)

    @app.get("/_client")
    def client_address() -> str:
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    answer = app.test_client().get(
        "/_client",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        headers={
            "X-Forwarded-For": "198.51.100.4, 203.0.113.7",
            "X-Forwarded-Proto": "https, https",
        },
    )
    scheme = "http" if proxies in (None, "0") else "https"
    assert answer.get_data(as_text=True) == f"{seen} {scheme}"


def test_a_negative_number_of_proxies_is_refused():
    with pytest.raises(ValueError, match="STAFF_WEB_TRUSTED_PROXIES"):
        _app(STAFF_WEB_TRUSTED_PROXIES="-1")
