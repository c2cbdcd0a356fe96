"""Routing's HTTP request and response schemas."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chancery.emails import EmailAddress
from chancery.http.paging import PageQuery, sortable
from chancery.http.times import LocalDateTime
from chancery.profiles import UNITS, WEEKDAYS
from chancery.validation import BoundedInt, StrictSchema, Text, UpdateSchema
from chancery.vocabulary import (
    ADDRESSEE_KINDS,
    CONFIDENTIALITY_LEVELS,
    LANGUAGE_PATTERN,
    LETTER_KINDS,
    LETTER_STATUSES,
    ROLES,
)

_code = validate.Regexp(r"^[A-Z][A-Z0-9_]{0,49}$", error="an upper-case department code")
_text = [validate.Length(min=1, max=2000)]


def _prose(**kwargs: Any) -> fields.String:
    """Multi-line text: a reason or a comment."""
    return Text(min_length=1, max_length=2000, single_line=False, **kwargs)


class RouteIn(StrictSchema):
    department_code = fields.String(required=True, validate=_code,
        metadata={"description": "The code of the department that answers the letter (e.g. MUNI)."})
    copy_department_codes = fields.List(fields.String(validate=_code), load_default=list)
    reason = _prose(required=True,
        metadata={"description": "Why the letter goes there; kept in the letter's history."})
    keep_deadline = fields.Boolean(load_default=False, metadata={
        "description": "keep the current due date instead of recomputing it"})


class AssignIn(StrictSchema):
    executor = fields.String(required=True, validate=validate.Length(min=1, max=200),
        metadata={"description": "The staff member who prepares the answer, as the directory's "
                                 "subject."})


class ReasonIn(StrictSchema):
    reason = _prose(required=True,
        metadata={"description": "Why, in words a colleague reading the letter's history "
                                 "understands."})


class ReplyIn(StrictSchema):
    subject = fields.String(required=True, validate=_text,
        metadata={"description": "The reply's subject."})
    summary = Text(max_length=10_000, single_line=False, load_default=None, allow_none=True)
    language = fields.String(required=True, validate=validate.Regexp(LANGUAGE_PATTERN),
        metadata={"description": "The reply's language, a code such as lt, lv, ka, sq or en."})


def _step() -> fields.Integer:
    return fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1),
                          metadata={"description": "the step being decided, counted from 1 "
                                                   "as listed (`step`); 409 when the circuit "
                                                   "moved on"})


class DecisionIn(StrictSchema):
    comment = _prose(load_default=None, allow_none=True)
    step = _step()


class ReturnIn(StrictSchema):
    comment = _prose(required=True,
        metadata={"description": "What the executor should change, shown to them with the returned"
                                 " draft."})
    step = _step()


class FactsIn(StrictSchema):
    """A letter described for a dry run of the rules."""

    kind = fields.String(required=True, validate=validate.OneOf(LETTER_KINDS),
        metadata={"description": "The letter kind to try the rules with."})
    addressee_kind = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(ADDRESSEE_KINDS),
        metadata={"description": "The addressee kind to try the rules with."})
    addressee_department = fields.String(load_default=None, allow_none=True, validate=_code)
    language = fields.String(required=True, validate=validate.Regexp(LANGUAGE_PATTERN),
        metadata={"description": "The letter's language to try the rules with."})
    sender_organisation = fields.String(load_default=None, allow_none=True,
                                        validate=validate.Length(max=300))
    confidentiality = fields.String(load_default="normal",
                                    validate=validate.OneOf(CONFIDENTIALITY_LEVELS),
        metadata={"description": "The confidentiality level to try the rules with."})
    subject = fields.String(required=True, validate=_text,
        metadata={"description": "The subject to try the rules' keywords with."})


class MatchIn(StrictSchema):
    kinds = fields.List(fields.String(validate=validate.OneOf(LETTER_KINDS)),
        metadata={"description": "The letter kinds the rule applies to (any when absent)."})
    addressees = fields.List(fields.String(validate=validate.OneOf(ADDRESSEE_KINDS)),
        metadata={"description": "The addressee kinds the rule applies to (any when absent)."})
    languages = fields.List(fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)))
    sender_organisations = fields.List(fields.String(validate=validate.Length(min=1, max=300)))
    confidentiality = fields.List(fields.String(validate=validate.OneOf(CONFIDENTIALITY_LEVELS)),
        metadata={"description": "The confidentiality levels the rule applies to (any when "
                                 "absent)."})
    subject_words = fields.List(fields.String(validate=validate.Length(min=1, max=200)))


class TermIn(StrictSchema):
    amount = fields.Integer(required=True, validate=validate.Range(min=1, max=366))
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))


class RuleIn(StrictSchema):
    position = BoundedInt(minimum=0, maximum=100_000, required=True,
        metadata={"description": "The rule's place in the list: the first matching rule, lowest "
                                 "position first, wins."})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
        metadata={"description": "A name people recognise the rule by."})
    match = fields.Nested(MatchIn, required=True,
        metadata={"description": "Which letters the rule applies to; every given condition must "
                                 "hold."})
    responsible = fields.String(required=True, validate=_code,
        metadata={"description": "The code of the department the matching letters are routed to."})
    copies = fields.List(fields.String(validate=_code), load_default=list)
    deadline = fields.Raw(load_default="legal", metadata={
        "description": '"legal" or {"amount": n, "unit": "working_days|calendar_days|months"}',
        "json_schema": {"oneOf": [
            {"const": "legal", "description": "The legal deadline of the letter's kind."},
            {"type": "object", "additionalProperties": False, "required": ["amount", "unit"],
             "properties": {"amount": {"type": "integer", "minimum": 1, "maximum": 366},
                            "unit": {"type": "string", "enum": list(UNITS)}}}]}})
    active = fields.Boolean(load_default=True)

    @validates_schema
    def _deadline(self, data: dict[str, Any], **_: Any) -> None:
        if data["deadline"] != "legal":
            try:
                data["deadline"] = TermIn().load(data["deadline"])
            except (ValidationError, TypeError) as exc:
                messages = getattr(exc, "messages", "must be \"legal\" or {amount, unit}")
                raise ValidationError({"deadline": messages}) from exc


class DepartmentIn(UpdateSchema):
    kind = fields.String(validate=validate.OneOf(("department", "administrative_unit")),
        metadata={"description": "department, or administrative_unit (an elderate or another unit "
                                 "outside the departments)."})
    names = fields.Dict(keys=fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
                        values=fields.String(validate=validate.Length(min=1, max=300)))
    parent = fields.String(allow_none=True, validate=_code)
    email = EmailAddress(allow_none=True)
    head = fields.String(allow_none=True, validate=validate.Length(max=200))
    members = fields.List(fields.String(validate=validate.Length(min=1, max=200)))
    active = fields.Boolean()


class NewDepartmentIn(DepartmentIn):
    code = fields.String(required=True, validate=_code,
        metadata={"description": "A short unique code in capitals (e.g. TOURISM); letters are "
                                 "routed by it."})
    names = fields.Dict(keys=fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
                        values=fields.String(validate=validate.Length(min=1, max=300)),
                        required=True,
        metadata={"description": "The department's name per language, e.g. {\"lt\": \"Turizmo "
                                 "skyrius\"}."})


class StaffMemberIn(StrictSchema):
    """A person's whole entry in the staff directory (``PUT`` replaces it)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
        metadata={"description": "The staff member's full name."})
    department_code = fields.String(load_default=None, allow_none=True, validate=_code)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list,
        metadata={"description": "The roles the staff member holds."})
    positions = fields.Dict(keys=fields.String(validate=validate.Regexp(LANGUAGE_PATTERN)),
                            values=fields.String(validate=validate.Length(min=1, max=300)),
                            load_default=dict, metadata={
                                "description": "the position's title by language"})
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{5,30}$"))
    language = fields.String(required=True, validate=validate.Regexp(LANGUAGE_PATTERN),
        metadata={"description": "The language the staff member is written to in."})
    active = fields.Boolean(load_default=True)


class StaffQuery(PageQuery):
    """The directory by name; ``q`` searches names, e-mail addresses and positions."""

    department = fields.String(validate=_code)
    active = fields.Boolean()
    text = Text(max_length=200, min_length=1, data_key="q", metadata={
        "description": "part of a name, an e-mail address or a position (in any language), "
                       "ignoring case and diacritics: ``zemaite`` finds Žemaitė"})


class StaffMemberOut(Schema):
    subject = fields.String()
    name = fields.String()
    department_code = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    positions = fields.Dict()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    language = fields.String()
    active = fields.Boolean()
    updated_at = LocalDateTime()


class AssignmentIn(StrictSchema):
    title = fields.String(required=True, validate=_text,
        metadata={"description": "What the department is asked to do."})
    description = Text(max_length=10_000, single_line=False, load_default=None,
                       allow_none=True)
    department_code = fields.String(required=True, validate=_code,
        metadata={"description": "The code of the department that does it."})
    executor = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(min=1, max=200))
    due_date = fields.Date(required=True,
        metadata={"description": "The day it is due (YYYY-MM-DD, the municipality's calendar)."})


class AssignmentDoneIn(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(("done", "cancelled")),
        metadata={"description": "done (completed) or cancelled (no longer needed)."})
    report = Text(min_length=1, max_length=10_000, single_line=False, load_default=None,
                  allow_none=True, metadata={
                      "description": "what was done: required when `status` is `done`"})

    JSON_SCHEMA: ClassVar[dict[str, Any]] = {
        "if": {"properties": {"status": {"const": "done"}}, "required": ["status"]},
        "then": {"required": ["report"], "properties": {"report": {"type": "string"}}}}

    @validates_schema
    def _reported(self, data: dict[str, Any], **_: Any) -> None:
        if data["status"] == "done" and not data.get("report"):
            raise ValidationError("a report on what was done is required", "report")


class LetterQuery(sortable("due", "number")):
    """A work list, by due date (undated last) or by registration number."""

    department = fields.String(validate=_code)
    status = fields.String(validate=validate.OneOf(LETTER_STATUSES))
    executor = fields.String()
    due_before = fields.Date()
    overdue_on = fields.Date()


class AssignmentQuery(PageQuery):
    department = fields.String(validate=_code)
    executor = fields.String()
    status = fields.String(load_default="open",
                           validate=validate.OneOf(("open", "done", "cancelled")))
    due_by = fields.Date()
    overdue_on = fields.Date()


class PeriodQuery(PageQuery):
    """The report's period; as JSON a page of lines (the CSV holds them all)."""

    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("must not be before 'from'", "to")


class DueLineOut(Schema):
    department = fields.String()
    letters_overdue = fields.Integer()
    letters_due_soon = fields.Integer(metadata={"description": "due within 3 days"})
    assignments_overdue = fields.Integer()
    assignments_due_soon = fields.Integer(metadata={"description": "due within 3 days"})


class DepartmentOut(Schema):
    code = fields.String()
    kind = fields.String()
    names = fields.Dict()
    parent = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    head = fields.String(allow_none=True)
    members = fields.List(fields.String())
    active = fields.Boolean()


class RuleOut(Schema):
    id = fields.String()
    position = fields.Integer()
    name = fields.String()
    match = fields.Dict()
    responsible = fields.String()
    copies = fields.List(fields.String())
    deadline = fields.Raw()
    active = fields.Boolean()


class LetterOut(Schema):
    id = fields.String()
    registration_number = fields.String()
    kind = fields.String()
    language = fields.String()
    subject = fields.String()
    addressee_kind = fields.String(allow_none=True)
    confidentiality = fields.String()
    received_at = LocalDateTime()
    status = fields.String()
    status_changed_at = LocalDateTime()
    department_code = fields.String(allow_none=True)
    copy_department_codes = fields.List(fields.String())
    rule_name = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    deadline_source = fields.String(allow_none=True)
    forward_by = fields.Date()
    executor = fields.String(allow_none=True)
    answered_at = LocalDateTime(allow_none=True)
    reply_registration_number = fields.String(allow_none=True)
    triage_reason = fields.String(allow_none=True, metadata={
        "description": "why routing could not decide and left the letter to triage"})
    version = fields.Integer()


class HistoryOut(Schema):
    at = LocalDateTime()
    actor = fields.String()
    action = fields.String()
    details = fields.Dict()


class LetterDetailOut(LetterOut):
    deadline = fields.Dict(allow_none=True, metadata={
        "description": "how the due date was computed: structured steps (a code and its "
                       "values); `extension` holds the extension's computation"})
    forwarding = fields.Dict(allow_none=True, metadata={
        "description": "how `forward_by` was computed, as structured steps"})
    explanation = fields.Dict(metadata={
        "description": "the steps as sentences: `answer`, `forwarding` and `extension`, each "
                       "keyed by language (the reader's, the letter's and the municipality's)"})
    history = fields.List(fields.Nested(HistoryOut))


class ReadQuery(StrictSchema):
    lang = fields.String(load_default=None, validate=validate.OneOf(("lt", "lv", "ka", "sq", "en")),
                         metadata={"description": "the reader's language for the explanations "
                                                  "(default: Accept-Language, else the "
                                                  "municipality's)"})


class DeclaredDayIn(StrictSchema):
    day = fields.Date(required=True,
        metadata={"description": "The day declared (YYYY-MM-DD)."})
    working = fields.Boolean(load_default=False, metadata={
        "description": "true for an extra working day, false (default) for a day off"})
    reason = fields.String(required=True, validate=_text,
        metadata={"description": "Why the day is declared a working or non-working day (the "
                                 "decree)."})
    decree = fields.String(required=True, validate=_text, metadata={
        "description": "the government decision's reference (number and date)"})
    hours_of = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(WEEKDAYS),
                             metadata={"description": "an extra working day works this "
                                                      "weekday's hours (default: the first "
                                                      "weekday with hours)"})


class CalendarQuery(PageQuery):
    start = fields.Date(load_default=None, data_key="from")
    end = fields.Date(load_default=None, data_key="to")


class DeclaredDayOut(Schema):
    day = fields.Date()
    working = fields.Boolean()
    reason = fields.String()
    decree = fields.String(allow_none=True)
    hours_of = fields.Function(
        lambda day: None if day.get("hours_of") is None else WEEKDAYS[day["hours_of"]],
        metadata={"description": "the weekday whose hours an extra working day works"})
    declared_by = fields.String(allow_none=True)
    declared_at = LocalDateTime(allow_none=True)
    origin = fields.String(metadata={"description": "`profile` or `operator`"})


class DecisionOut(Schema):
    rule = fields.String(allow_none=True)
    department_code = fields.String(allow_none=True)
    copy_department_codes = fields.List(fields.String())
    needs_triage = fields.Boolean()
    why = fields.List(fields.String())
    rules_not_matching = fields.List(fields.Dict())


class EndorsementOut(Schema):
    id = fields.String()
    letter_id = fields.String()
    reply_subject = fields.String()
    reply_language = fields.String()
    circuit = fields.List(fields.String())
    step = fields.Method("_step_number", metadata={
        "description": "the step waiting (or decided last), counted from 1"})
    status = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)

    @staticmethod
    def _step_number(endorsement: Any) -> int:
        return endorsement.step + 1


class EndorsementDecisionOut(Schema):
    step = fields.Integer(metadata={"description": "counted from 1"})
    role = fields.String()
    approver = fields.String()
    decision = fields.String(metadata={"description": "`approved` or `returned`"})
    comment = fields.String(allow_none=True)
    at = LocalDateTime()


class EndorsementViewOut(Schema):
    """An endorsement with what its approver or executor needs to read."""

    id = fields.String()
    letter_id = fields.String()
    registration_number = fields.String()
    letter_subject = fields.String()
    department_code = fields.String(allow_none=True)
    executor = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    reply_subject = fields.String()
    reply_summary = fields.String(allow_none=True, metadata={"description": "the draft text"})
    reply_language = fields.String()
    circuit = fields.List(fields.String())
    step = fields.Integer(metadata={"description": "the step waiting, counted from 1"})
    steps = fields.Integer()
    status = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
    decisions = fields.List(fields.Nested(EndorsementDecisionOut), metadata={
        "description": "the earlier steps' decisions with their comments, in order"})


class AssignmentOut(Schema):
    id = fields.String()
    letter_id = fields.String(allow_none=True)
    title = fields.String()
    description = fields.String(allow_none=True)
    department_code = fields.String()
    executor = fields.String(allow_none=True)
    assigned_by = fields.String()
    due_date = fields.Date()
    status = fields.String()
    created_at = LocalDateTime()
    completed_at = LocalDateTime(allow_none=True)
    report = fields.String(allow_none=True, metadata={"description": "written on completion"})
    due_soon_notified_at = LocalDateTime(allow_none=True, metadata={
        "description": "when the due-soon reminder went out"})
    overdue_notified_at = LocalDateTime(allow_none=True, metadata={
        "description": "when the overdue reminder went out"})


class ReportLineOut(Schema):
    department = fields.String()
    month = fields.String()
    answered = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    average_days = fields.Float(allow_none=True)
    open = fields.Integer()
    overdue = fields.Integer()


# An example for the OpenAPI document (tests/api sends it through a generated client).
DEPARTMENT_EXAMPLE = {"code": "TOURISM", "kind": "department", "parent": "COMM",
                      "names": {"lt": "Turizmo poskyris", "lv": "Tūrisma nodaļa",
                                "en": "Tourism Unit"},
                      "email": "turizmas@municipality.example.org"}

# An answer as the service gives it (the document's example).
DEPARTMENT_OUT_EXAMPLE = {"code": "TOURISM",
                          "kind": "department",
                          "names": {"lt": "Turizmo poskyris", "lv": "Tūrisma nodaļa",
                                    "en": "Tourism Unit"},
                          "parent": "COMM",
                          "email": "turizmas@municipality.example.org",
                          "head": None,
                          "members": [],
                          "active": True}
