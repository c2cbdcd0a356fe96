"""The registry desk: the morning post, the registration result, acknowledgement and label."""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext

from chancery.vocabulary import CHANNELS, CONFIDENTIALITY_LEVELS
from staff_web import forms, municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.i18n import reason_text
from staff_web.permissions import REGISTRY
from staff_web.printing import qr_svg, status_link
from staff_web.security import api, current_person, signed_in

blueprint = Blueprint("registry", __name__)
REMEMBERED_CODES = 20
REMEMBERED_SENDERS = 30


def public_base() -> str:
    """Where citizens reach the status page."""
    configured = current_app.extensions["staff_web.settings"].public_url
    return configured or url_for("public.start", _external=True).rstrip("/")


@blueprint.get("/")
@signed_in()
def home() -> str:
    """The desks the signed-in person may use."""
    return render_template("home.html", person=current_person())


def _incoming_kinds() -> list[str]:
    kinds: list[str] = []
    for register in municipality.profile().registers:
        if register.direction == "incoming":
            kinds += [kind for kind in register.kinds if kind not in kinds]
    return kinds


def _form_page(
    values: dict[str, str],
    errors: dict[str, list[str]] | None = None,
    just_registered: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    profile = municipality.profile()
    return render_template(
        "registry/post.html",
        values=values,
        errors=errors or {},
        kinds=_incoming_kinds(),
        channels=CHANNELS,
        confidentiality_levels=CONFIDENTIALITY_LEVELS,
        languages=list(dict.fromkeys([*profile.languages, "lt", "lv", "ka", "sq", "en"])),
        officials=forms.OFFICIALS,
        departments=profile.departments,
        senders=session.get("senders", []),
        just_registered=just_registered,
        idempotency_key=str(uuid.uuid4()),
    ), status


@blueprint.get("/registry/post")
@signed_in(*REGISTRY)
def post_form() -> tuple[str, int]:
    """The morning post form (kind, channel and language kept from the previous letter)."""
    kept = session.get("post_defaults", {})
    return _form_page(dict(kept), just_registered=request.args.get("registered"))


@blueprint.post("/registry/post")
@signed_in(*REGISTRY)
def register() -> Any:
    """Register the letter, attach its scans; then the result, or the next empty form."""
    form = request.form
    body = forms.incoming_letter(form, municipality.profile().time_zone)
    client = api()
    registered = answer_or_refusal(
        (422,),
        lambda: client.post(
            "intake",
            "/letters",
            body,
            headers={"Idempotency-Key": form.get("idempotency_key") or str(uuid.uuid4())},
        ),
    )
    if isinstance(registered, ApiError):
        errors = {
            name: [reason_text(r) for r in reasons]
            for name, reasons in forms.form_errors(registered.field_errors).items()
        }
        return _form_page(form.to_dict(), errors, status=422)
    number = registered["registration_number"]
    scans = [
        (f.filename, f.stream, f.mimetype or "application/octet-stream")
        for f in request.files.getlist("scans")
        if f and f.filename
    ]
    failed = []
    for scan in scans:
        try:
            client.upload("intake", f"/letters/{registered['id']}/attachments", [scan])
        except ApiError as error:
            failed.append(f"{scan[0]}: {error.detail or error.title}")
    _remember(number, registered.get("status_lookup_code"), body["sender"]["name"], form)
    if failed:
        session.setdefault("scan_failures", {})[number] = failed
    if form.get("and_next"):
        return redirect(url_for("registry.post_form", registered=number))
    return redirect(url_for("registry.registered", number=number))


@blueprint.get("/registry/senders")
@signed_in(*REGISTRY)
def senders() -> str:
    """Suggestions for the sender field (htmx fills the datalist): intake's earlier
    correspondents whose name contains what was typed."""
    typed = (request.args.get("sender_name") or "").strip()
    found = []
    if len(typed) >= 2:
        try:
            found = [
                c["name"]
                for c in api().get("intake", "/correspondents", {"q": typed[:200], "limit": 10})[
                    "items"
                ]
            ]
        except ApiError as error:
            if error.status != 422:
                raise
    remembered = [s for s in session.get("senders", []) if typed.casefold() in s.casefold()]
    return render_template(
        "registry/senders.html", senders=list(dict.fromkeys([*found, *remembered]))
    )


def _remember(number: str, code: str | None, sender: str, form: Any) -> None:
    codes = dict(session.get("codes", {}))
    if code:
        codes[number] = code
    session["codes"] = dict(list(codes.items())[-REMEMBERED_CODES:])
    senders = [sender, *[s for s in session.get("senders", []) if s != sender]]
    session["senders"] = senders[:REMEMBERED_SENDERS]
    session["post_defaults"] = {
        name: form.get(name, "") for name in ("kind", "channel", "language", "confidentiality")
    }


def _registered_letter(number: str) -> tuple[dict[str, Any], str | None]:
    letter = api().get("intake", f"/letters/by-number/{number}")
    return letter, session.get("codes", {}).get(number)


@blueprint.get("/registry/registered/<string:number>")
@signed_in(*REGISTRY)
def registered(number: str) -> str:
    """The number in large type, with the acknowledgement and the label to print."""
    letter, code = _registered_letter(number)
    failures = session.get("scan_failures", {}).get(number, [])
    return render_template("registry/registered.html", letter=letter, code=code, failures=failures)


@blueprint.get("/registry/registered/<string:number>/acknowledgement")
@signed_in(*REGISTRY)
def acknowledgement(number: str) -> str:
    """The sender's acknowledgement: number, access code, status address as text and QR."""
    letter, code = _registered_letter(number)
    if code is None:
        abort(
            404,
            description=gettext(
                "The access code is shown only right after registering, in the clerk's session."
            ),
        )
    link = status_link(public_base(), number)
    return render_template(
        "registry/acknowledgement.html",
        letter=letter,
        code=code,
        link=link,
        qr=qr_svg(link, number),
    )


@blueprint.get("/registry/registered/<string:number>/label")
@signed_in(*REGISTRY)
def label(number: str) -> str:
    """A label for the paper letter: the number and a QR code of it."""
    letter, _ = _registered_letter(number)
    return render_template("registry/label.html", letter=letter, qr=qr_svg(number, number, 3))
