"""The plain parts: claims to roles, the morning post form, a service's refusals, exports,
charts, QR codes."""

from __future__ import annotations

import io
import zipfile

import pytest

from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.charts import Chart, Series
from staff_web.config import OidcSettings, load_settings
from staff_web.exports import csv_bytes, xlsx_bytes
from staff_web.forms import form_errors, incoming_letter
from staff_web.identity import demo_people, person_from_claims
from staff_web.printing import qr_svg


def test_claims_are_mapped_to_roles_and_department_by_configuration():
    oidc = OidcSettings(
        "http://idp",
        "client",
        None,
        roles_claim="groups",
        department_claim="dept",
        role_map={"registry-clerks": "registrar", "soc-staff": "department_staff"},
    )
    person = person_from_claims(
        {
            "sub": "u1",
            "name": "Ona Šimkutė",
            "groups": ["registry-clerks", "cyclists", "soc-staff"],
            "dept": "SOC",
        },
        oidc,
    )
    assert (person.subject, person.name, person.department) == ("u1", "Ona Šimkutė", "SOC")
    assert person.roles == {"registrar", "department_staff"}


def test_unmapped_and_unknown_roles_give_nothing():
    plain = OidcSettings("http://idp", "client", None)
    assert person_from_claims({"sub": "u", "roles": ["registrar", "root"]}, plain).roles == {
        "registrar"
    }
    mapped = OidcSettings("http://idp", "client", None, role_map={"clerks": "registrar"})
    assert person_from_claims({"sub": "u", "roles": ["registrar"]}, mapped).roles == set()
    assert person_from_claims({"sub": "u", "roles": "clerks other"}, mapped).roles == {"registrar"}


def test_demo_people_cover_every_department():
    keys = {person.key for person in demo_people(["SOC", "EDU"])}
    assert {"registrar", "mayor-office", "staff-SOC", "head-EDU"} <= keys


def test_the_morning_post_form_becomes_intakes_request():
    body = incoming_letter(
        {
            "kind": "application",
            "channel": "post",
            "language": "ka",
            "subject": " განცხადება ",
            "sender_name": "ნინო ბერიძე",
            "addressee": "department:SOC",
            "received_at": "2026-12-01T08:30",
            "sender_email": "",
        },
        "Europe/Vilnius",
    )
    assert body["addressee"] == {"kind": "department", "department_code": "SOC"}
    assert body["subject"] == "განცხადება"
    assert body["received_at"] == "2026-12-01T08:30:00+02:00"
    assert body["sender"] == {
        "type": "person",
        "name": "ნინო ბერიძე",
        "organisation": None,
        "email": None,
        "address": None,
    }
    assert incoming_letter({"addressee": "mayor"}, "UTC")["addressee"] == {"kind": "mayor"}
    assert incoming_letter({"addressee": ""}, "UTC")["addressee"] is None


def test_intakes_field_paths_become_the_forms_field_names():
    assert form_errors(
        {"sender.name": ["a"], "addressee.department_code": ["b"], "subject": ["c"]}
    ) == {"sender_name": ["a"], "addressee": ["b"], "subject": ["c"]}


def _refusing(status: int):
    def call() -> dict[str, str]:
        raise ApiError(status, "Refused")

    return call


def test_a_refusal_the_form_shows_is_returned_and_any_other_error_goes_on_up():
    assert answer_or_refusal((409, 422), lambda: {"id": "1"}) == {"id": "1"}
    refusal = answer_or_refusal((409, 422), _refusing(422))
    assert isinstance(refusal, ApiError)
    assert refusal.status == 422
    with pytest.raises(ApiError) as raised:
        answer_or_refusal((409, 422), _refusing(500))
    assert raised.value.status == 500


def test_csv_has_a_byte_order_mark_and_keeps_every_letter():
    data = csv_bytes(["Tema"], [["Prašymas dėl šilumos"], ["განცხადება"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Tema", "Prašymas dėl šilumos", "განცხადება"]


def test_xlsx_is_a_workbook_with_the_rows():
    data = xlsx_bytes("Registras", ["Tema"], [["=1+1 ąčę"]])
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        strings = workbook.read("xl/sharedStrings.xml").decode("utf-8")
    assert "=1+1 ąčę" in strings  # text stays text: no formula injection


def test_chart_is_svg_with_a_title_and_escaped_labels():
    svg = Chart(
        "By kind <all>",
        ["2026-11", "2026-12"],
        [Series("Prašymas & skundas", [3, 0]), Series("Other", [1, 2])],
    ).stacked()
    assert svg.startswith("<svg")
    assert "<title>By kind &lt;all&gt;</title>" in svg
    assert "Prašymas &amp; skundas" in svg
    assert svg.count("<rect") == 3 + 2  # three bars' parts and two legend keys


def test_qr_code_is_inline_svg():
    svg = qr_svg("http://127.0.0.1:8000/public/status/G-2026-00001", "G-2026-00001")
    assert svg.startswith("<svg")
    assert "<title>G-2026-00001</title>" in svg


def test_a_session_secret_is_required_unless_the_dev_sign_in_is_on():
    with pytest.raises(ValueError, match="STAFF_WEB_SESSION_SECRET"):
        load_settings({})
    assert load_settings({"STAFF_WEB_DEV_SIGN_IN": "true"}).session_secret
    settings = load_settings(
        {
            "STAFF_WEB_SESSION_SECRET": "s",
            "OIDC_ISSUER": "http://idp/",
            "OIDC_ROLE_MAP": "a=registrar, b=operator",
        }
    )
    assert settings.oidc.metadata_url == "http://idp/.well-known/openid-configuration"
    assert settings.oidc.role_map == {"a": "registrar", "b": "operator"}


def test_the_development_sign_in_is_refused_in_production():
    with pytest.raises(ValueError, match="CHANCERY_ENV=production"):
        load_settings(
            {
                "STAFF_WEB_DEV_SIGN_IN": "true",
                "STAFF_WEB_SESSION_SECRET": "s",
                "CHANCERY_ENV": "production",
            }
        )
    assert load_settings(
        {
            "STAFF_WEB_DEV_SIGN_IN": "true",
            "STAFF_WEB_SESSION_SECRET": "s",
            "CHANCERY_ENV": "development",
        }
    ).dev_sign_in
