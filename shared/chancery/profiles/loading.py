"""Reading a municipality profile from its YAML file, validated against its schema."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from chancery.calendar import ARRIVAL_RULES, DayException, Period
from chancery.emails import EmailAddress
from chancery.profiles import (
    UNITS,
    WEEKDAYS,
    DeadlineRule,
    Department,
    Profile,
    ProfileError,
    Register,
    number_parts,
)
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CONFIDENTIALITY_LEVELS,
    ENDORSER_ROLES,
    LANGUAGE_PATTERN,
    LETTER_KINDS,
    OUTGOING_KINDS,
)

PROFILE_DIR = Path(__file__).parent
# libyaml's safe loader when the wheel has it: loading a profile is ten times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


_names = fields.Dict(
    keys=fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
    values=fields.String(validate=validate.Length(min=1)),
    required=True,
)
_period = fields.List(
    fields.String(validate=validate.Regexp(r"^\d\d:\d\d$")), validate=validate.Length(equal=2)
)


class _Register(_Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_-]*$"))
    direction = fields.String(required=True, validate=validate.OneOf(("incoming", "outgoing")))
    name = _names
    number_format = fields.String(required=True)
    kinds = fields.List(
        fields.String(validate=validate.OneOf(LETTER_KINDS + OUTGOING_KINDS)),
        required=True,
        validate=validate.Length(min=1),
    )

    @validates_schema
    def _format(self, data: dict[str, Any], **_: Any) -> None:
        try:
            number_parts(data["number_format"], 2026)
        except ValueError as exc:
            raise ValidationError(str(exc), "number_format") from exc


class _Department(_Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Z][A-Z0-9_]*$"))
    kind = fields.String(
        load_default="department", validate=validate.OneOf(("department", "administrative_unit"))
    )
    name = _names
    parent = fields.String(load_default=None, allow_none=True)
    email = EmailAddress(load_default=None, allow_none=True)


class _Amount(_Strict):
    amount = fields.Integer(required=True, validate=validate.Range(min=1))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    source = fields.String(load_default=None, allow_none=True)


class _Extension(_Amount):
    """How far the law lets a deadline be extended: counted from the current due date (a
    further term) or from receipt (the longest term the law allows from receipt)."""

    counted_from = fields.String(load_default="due", validate=validate.OneOf(("due", "receipt")))


class _ForwardingRule(_Amount):
    effective_from = fields.Date(load_default=date(1900, 1, 1))
    effective_until = fields.Date(load_default=None, allow_none=True)


class _Sourced(_Strict):
    source = fields.String(required=True, validate=validate.Length(min=1))


class _ShortDay(_Sourced):
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=240))


class _Arrival(_Sourced):
    counts_from = fields.String(required=True, validate=validate.OneOf(ARRIVAL_RULES))


class _DeclaredDay(_Strict):
    day = fields.Date(required=True)
    working = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1))
    decree = fields.String(load_default=None, allow_none=True)
    hours_of = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(WEEKDAYS))


class _Calendar(_Strict):
    """The calendar's legal rules: each with its source."""

    short_day_before_holiday = fields.Nested(_ShortDay, load_default=None, allow_none=True)
    closed_day_arrival = fields.Nested(_Arrival, load_default=None, allow_none=True)
    declared_days = fields.List(fields.Nested(_DeclaredDay), load_default=list)


class _Forwarding(fields.Field[Any]):
    """One forwarding term, or a list of terms each effective for receipts in a date range."""

    def _deserialize(self, value: Any, *_: Any, **__: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise ValidationError("needs at least one term")
        return [_ForwardingRule().load(item) for item in items]


class _DeadlineRule(_Strict):
    kinds = fields.List(fields.String(validate=validate.OneOf(LETTER_KINDS)), required=True)
    amount = fields.Integer(required=True, validate=validate.Range(min=1))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))
    effective_from = fields.Date(required=True)
    effective_until = fields.Date(load_default=None, allow_none=True)
    extension = fields.Nested(_Extension, load_default=None, allow_none=True)
    source = fields.String(required=True)


class _Endorsement(_Strict):
    kinds = fields.List(fields.String(validate=validate.OneOf(LETTER_KINDS)), load_default=list)
    addressees = fields.List(
        fields.String(validate=validate.OneOf(ADDRESSEE_KINDS)), load_default=list
    )
    circuit = fields.List(
        fields.String(validate=validate.OneOf(ENDORSER_ROLES)),
        required=True,
        validate=validate.Length(min=1),
    )


class _Match(_Strict):
    kinds = fields.List(fields.String(validate=validate.OneOf(LETTER_KINDS)), load_default=list)
    addressees = fields.List(
        fields.String(validate=validate.OneOf(ADDRESSEE_KINDS)), load_default=list
    )
    languages = fields.List(
        fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)), load_default=list
    )
    sender_organisations = fields.List(fields.String(), load_default=list)
    confidentiality = fields.List(
        fields.String(validate=validate.OneOf(CONFIDENTIALITY_LEVELS)), load_default=list
    )
    subject_words = fields.List(fields.String(), load_default=list)


class _RoutingRule(_Strict):
    name = fields.String(required=True)
    match = fields.Nested(_Match, required=True)
    responsible = fields.String(required=True)
    copies = fields.List(fields.String(), load_default=list)
    deadline = fields.Raw(load_default="legal")


class _Offices(_Strict):
    """Which department does the office's cross-cutting work."""

    foreign_relations = fields.String(required=True)
    protocol = fields.String(required=True)


class _Profile(_Strict):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_-]*$"))
    name = _names
    country = fields.String(required=True, validate=validate.OneOf(("LT", "LV", "GE", "AL")))
    languages = fields.List(
        fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
        required=True,
        validate=validate.Length(min=1),
    )
    time_zone = fields.String(required=True)
    working_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(WEEKDAYS)),
        values=fields.List(_period),
        required=True,
    )
    registers = fields.List(
        fields.Nested(_Register), required=True, validate=validate.Length(min=2)
    )
    departments = fields.List(
        fields.Nested(_Department), required=True, validate=validate.Length(min=1)
    )
    deadline_rules = fields.List(fields.Nested(_DeadlineRule), required=True)
    calendar = fields.Nested(_Calendar, load_default=dict)
    forwarding_deadline = _Forwarding(required=True)
    due_soon_working_days = fields.Integer(required=True, validate=validate.Range(min=1))
    endorsement = fields.List(fields.Nested(_Endorsement), load_default=list)
    routing_rules = fields.List(fields.Nested(_RoutingRule), load_default=list)
    offices = fields.Nested(_Offices, required=True)


def available_profiles() -> list[str]:
    """Codes of the shipped profiles."""
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


def load_profile(name_or_path: str) -> Profile:
    """Load a shipped profile by code, or a profile file by path; :class:`ProfileError` if bad."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILE_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        shipped = ", ".join(available_profiles())
        raise ProfileError(f"no profile {name_or_path!r}; shipped: {shipped}")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
        data = _Profile().load(raw)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path.name}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ProfileError(f"{path.name}: {exc.messages}") from exc
    profile = _build(data)
    problems = _cross_check(profile)
    if problems:
        raise ProfileError(f"{path.name}: " + "; ".join(problems))
    return profile


def _build(data: dict[str, Any]) -> Profile:
    hours = {
        WEEKDAYS.index(day): tuple(
            Period(time.fromisoformat(a), time.fromisoformat(b)) for a, b in periods
        )
        for day, periods in data["working_hours"].items()
    }
    return Profile(
        code=data["code"],
        names=data["name"],
        country=data["country"],
        languages=tuple(data["languages"]),
        time_zone=data["time_zone"],
        working_hours=hours,
        registers=tuple(
            Register(r["code"], r["direction"], r["name"], r["number_format"], tuple(r["kinds"]))
            for r in data["registers"]
        ),
        departments=tuple(
            Department(d["code"], d["kind"], d["name"], d["parent"], d["email"])
            for d in data["departments"]
        ),
        deadline_rules=tuple(
            DeadlineRule(
                tuple(r["kinds"]),
                r["amount"],
                r["unit"],
                r["effective_from"],
                r["effective_until"],
                r["extension"],
                r["source"],
            )
            for r in data["deadline_rules"]
        ),
        forwarding_deadlines=tuple(data["forwarding_deadline"]),
        due_soon_working_days=data["due_soon_working_days"],
        endorsement=tuple(data["endorsement"]),
        routing_rules=tuple(data["routing_rules"]),
        offices=data["offices"],
        short_day=data["calendar"].get("short_day_before_holiday"),
        arrival=data["calendar"].get("closed_day_arrival"),
        declared_days=tuple(
            DayException(
                d["day"],
                d["working"],
                d["reason"],
                d["decree"],
                WEEKDAYS.index(d["hours_of"]) if d["hours_of"] else None,
            )
            for d in data["calendar"].get("declared_days", ())
        ),
    )


def _cross_check(profile: Profile) -> list[str]:
    problems = []
    codes = {d.code for d in profile.departments}
    if len(codes) != len(profile.departments):
        problems.append("department codes repeat")
    problems += [
        f"department {d.code}: unknown parent {d.parent}"
        for d in profile.departments
        if d.parent and d.parent not in codes
    ]
    for rule in profile.routing_rules:
        for code in [rule["responsible"], *rule["copies"]]:
            if code not in codes:
                problems.append(f"routing rule {rule['name']!r}: unknown department {code}")
    problems += [
        f"offices: {office} names unknown department {code}"
        for office, code in profile.offices.items()
        if code not in codes
    ]
    for kind in LETTER_KINDS:
        takers = [
            r.code for r in profile.registers if r.direction == "incoming" and kind in r.kinds
        ]
        if len(takers) != 1:
            problems.append(f"{kind}: must be in exactly one incoming register, is in {takers}")
    if not any(r.direction == "outgoing" and "reply" in r.kinds for r in profile.registers):
        problems.append("no outgoing register takes replies")
    try:
        profile.calendar()
    except ValueError as exc:
        problems.append(f"calendar: {exc}")
    return problems
