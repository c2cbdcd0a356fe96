"""Records management: the file plan of a year, the year-end closing, archive transfer
inventories and destruction acts, addressed by year and act number.

Every rule (what may close, who approves, what a file keeps) is intake's; these
pages show its answers and put its refusals next to the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from staff_web import municipality
from staff_web.api_client import ApiError, answer_or_refusal
from staff_web.exports import download
from staff_web.i18n import field_reasons, reason_text
from staff_web.permissions import (
    DESTRUCTION_APPROVERS,
    DESTRUCTION_READERS,
    PLAN_READERS,
    REGISTRY,
    TRANSFER_APPROVERS,
    TRANSFER_READERS,
)
from staff_web.records_tree import PlanNode, cell_errors, plan_tree
from staff_web.security import api, holds_any, signed_in
from staff_web.views import page

blueprint = Blueprint("records", __name__, url_prefix="/records")
# The addresses' parts: a year of the file plan, a destruction act's number.
YEAR = "<int(min=2000, max=2999):year>"
NUMBER = "<int(min=1, max=2147483647):number>"
# What intake's refusals may be answered with on these pages (others are the error page's).
FORM_STATUSES = (404, 409, 422)


def _sent_from(
    page: Callable[..., tuple[str, int]],
    back: str,
    step: str,
    call: Callable[[], Any],
    refusals: tuple[int, ...] = FORM_STATUSES,
) -> Any:
    """A ``step`` taken on one of these pages (``call`` sends it to intake): back to the
    page at ``back``, or the ``page`` again with intake's reasons by the step's fields."""
    refusal = answer_or_refusal(refusals, call)
    if isinstance(refusal, ApiError):
        return page(field_reasons(refusal, f"{step}."), status=refusal.status)
    return redirect(back)


def _this_year() -> int:
    return municipality.today().year


def _plan(year: int) -> list[dict[str, Any]]:
    try:
        return api().get("intake", f"/file-plan/{year}")["files"]
    except ApiError as error:
        if error.status != 404:
            raise
        return []


# The file plan ----------------------------------------------------------------------


@blueprint.get("/file-plan")
@signed_in(*PLAN_READERS)
def this_years_plan() -> WerkzeugResponse:
    """This year's plan."""
    return redirect(url_for("records.file_plan", year=_this_year()))


@page(blueprint, f"/file-plan/{YEAR}", *PLAN_READERS, endpoint="file_plan")
def _plan_page(
    year: int, errors: dict[str, list[str]] | None = None, status: int = 200, closing: bool = False
) -> tuple[str, int]:
    """The year's case files as a tree, with retention, legal basis and letters filed."""
    files = _plan(year)
    tree: list[PlanNode] = plan_tree(files)
    errors = errors or {}
    return render_template(
        "records/file_plan.html",
        year=year,
        files=files,
        tree=tree,
        errors=errors,
        cell_errors=cell_errors(errors),
        may_manage=holds_any(*REGISTRY),
        open_files=[item for item in files if not item["closed_at"]],
        plan_language=municipality.profile().languages[0],
        closing=closing,
        this_year=_this_year(),
    ), status


@blueprint.post(f"/file-plan/{YEAR}/import")
@signed_in(*REGISTRY)
def import_plan(year: int) -> Any:
    """Replace the year's plan with an uploaded CSV; a wrong cell is shown by row and column."""
    upload = request.files.get("plan")
    if upload is None or not upload.filename:
        return _plan_page(
            year, {"import.body": [reason_text("Missing data for required field.")]}, status=422
        )
    return _sent_from(
        partial(_plan_page, year),
        url_for("records.file_plan", year=year),
        "import",
        lambda: api().put_text("intake", f"/file-plan/{year}", upload.read(), "text/csv"),
    )


@blueprint.post(f"/file-plan/{YEAR}/shipped")
@signed_in(*REGISTRY)
def take_shipped_plan(year: int) -> Any:
    """Take the plan shipped with the municipality's profile."""
    return _sent_from(
        partial(_plan_page, year),
        url_for("records.file_plan", year=year),
        "shipped",
        lambda: api().post("intake", f"/file-plan/{year}/shipped"),
    )


@blueprint.get(f"/file-plan/{YEAR}/close")
@signed_in(*REGISTRY)
def confirm_closing(year: int) -> tuple[str, int]:
    """What the year-end closing will close, and the button that does it."""
    return _plan_page(year, closing=True)


@blueprint.post(f"/file-plan/{YEAR}/close")
@signed_in(*REGISTRY)
def close_year(year: int) -> Any:
    """Close every file of the year (intake refuses before the year is over)."""
    closed = answer_or_refusal(
        FORM_STATUSES, lambda: api().post("intake", f"/file-plan/{year}/close")
    )
    if isinstance(closed, ApiError):
        return _plan_page(year, field_reasons(closed, "close."), status=closed.status, closing=True)
    return redirect(url_for("records.file_plan", year=year, closed=closed["files_closed"]))


# Archive transfer inventories -------------------------------------------------------


def _transfer(year: int) -> dict[str, Any] | None:
    try:
        return api().get("intake", f"/archive-transfers/{year}")
    except ApiError as error:
        if error.status != 404:
            raise
        return None


@page(blueprint, f"/archive-transfers/{YEAR}", *TRANSFER_READERS, endpoint="transfer")
def _transfer_page(
    year: int, errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    """The year's inventory: its files, who drew it up, approved and transferred it."""
    return render_template(
        "records/transfer.html",
        year=year,
        transfer=_transfer(year),
        errors=errors or {},
        may_draw=holds_any(*REGISTRY),
        may_approve=holds_any(*TRANSFER_APPROVERS),
    ), status


@blueprint.get(f"/archive-transfers/{YEAR}/print")
@signed_in(*TRANSFER_READERS)
def print_transfer(year: int) -> tuple[str, int]:
    """The inventory laid out for paper, to be signed."""
    found = _transfer(year)
    if found is None:
        return _transfer_page(year)
    return render_template("records/transfer_print.html", year=year, transfer=found), 200


@blueprint.get(f"/archive-transfers/{YEAR}/inventory.csv")
@signed_in(*TRANSFER_READERS)
def transfer_csv(year: int) -> Response:
    """The inventory as CSV, as intake writes it."""
    text = api().get_text("intake", f"/archive-transfers/{year}/inventory.csv")
    return download(text, "text/csv", f"archive-transfer-{year}.csv")


@blueprint.post(f"/archive-transfers/{YEAR}/<any(draw, approve, transferred):step>")
@signed_in(*TRANSFER_READERS)
def transfer_step(year: int, step: str) -> Any:
    """Draw up (the registry), approve (the mayor's office, someone else) or mark the
    inventory transferred (the registry)."""
    path = {"draw": "", "approve": "/approve", "transferred": "/transferred"}[step]
    return _sent_from(
        partial(_transfer_page, year),
        url_for("records.transfer", year=year),
        step,
        lambda: api().post("intake", f"/archive-transfers/{year}{path}"),
        (403, *FORM_STATUSES),
    )


# Destruction acts -------------------------------------------------------------------


@page(blueprint, f"/destruction-acts/{NUMBER}", *DESTRUCTION_READERS, endpoint="act")
def _act_page(
    number: int, errors: dict[str, list[str]] | None = None, status: int = 200
) -> tuple[str, int]:
    """The act: its files, approvals and execution; printable as the kept record."""
    act = api().get("intake", f"/destruction-acts/{number}")
    given = {approval["role"] for approval in act["approvals"]}
    roles = [role for role in DESTRUCTION_APPROVERS if role not in given and holds_any(role)]
    return render_template(
        "records/act.html",
        act=act,
        errors=errors or {},
        approving_roles=roles,
        may_execute=holds_any(*REGISTRY),
    ), status


@blueprint.get("/destruction-acts")
@signed_in(*DESTRUCTION_READERS)
def acts() -> Any:
    """Draw up a new act, or open one by its number."""
    if request.args.get("number", "").isdigit():
        return redirect(url_for("records.act", number=int(request.args["number"])))
    return render_template(
        "records/acts.html",
        errors={},
        today=municipality.today(),
    ), 200


@blueprint.post("/destruction-acts")
@signed_in(*REGISTRY)
def draw_act() -> Any:
    """An act listing the closed temporary files whose retention ended by the day given."""
    act = answer_or_refusal(
        FORM_STATUSES,
        lambda: api().post(
            "intake", "/destruction-acts", {"as_of": request.form.get("as_of") or None}
        ),
    )
    if isinstance(act, ApiError):
        return render_template(
            "records/acts.html",
            errors=field_reasons(act, "draw."),
            today=request.form.get("as_of"),
        ), act.status
    return redirect(url_for("records.act", number=act["number"]))


@blueprint.post(f"/destruction-acts/{NUMBER}/approve")
@signed_in(*DESTRUCTION_APPROVERS)
def approve_act(number: int) -> Any:
    """Approve in one of one's roles (two roles, two different people)."""
    role = request.form.get("role") or None
    return _sent_from(
        partial(_act_page, number),
        url_for("records.act", number=number),
        "approve",
        lambda: api().post("intake", f"/destruction-acts/{number}/approve", {"role": role}),
        (403, *FORM_STATUSES),
    )


@blueprint.post(f"/destruction-acts/{NUMBER}/execute")
@signed_in(*REGISTRY)
def execute_act(number: int) -> Any:
    """Destroy the listed letters' contents in every service; the numbers stay."""
    if request.form.get("confirm") != "yes":
        return _act_page(
            number,
            {"execute.confirm": [reason_text("Missing data for required field.")]},
            status=422,
        )
    return _sent_from(
        partial(_act_page, number),
        url_for("records.act", number=number),
        "execute",
        lambda: api().post("intake", f"/destruction-acts/{number}/execute"),
    )
