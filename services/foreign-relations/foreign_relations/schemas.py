"""Foreign relations' HTTP request and response schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from chancery.emails import EmailAddress
from chancery.http.paging import PageQuery
from chancery.http.times import LocalDateTime
from chancery.validation import BoundedInt, StrictSchema, Text, UpdateSchema
from chancery.vocabulary import LANGUAGE_PATTERN
from foreign_relations import domain

_code = validate.Regexp(r"^[A-Z][A-Z0-9_]{0,49}$", error="an upper-case department code")
_country = validate.Regexp(r"^[A-Z]{2}$", error="an ISO 3166 alpha-2 country code, e.g. LV")
_language = validate.Regexp(LANGUAGE_PATTERN, error="a two-letter ISO 639-1 language code")
_short = [validate.Length(min=1, max=300)]


class Id(fields.UUID):
    """A UUID kept as its text form (the database's ids are text)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs))


def _short_text(**kwargs: Any) -> fields.String:
    return fields.String(validate=_short, **kwargs)


def _prose(max_length: int = 20_000, **kwargs: Any) -> fields.String:
    """Multi-line text: notes, summaries, programmes, reports."""
    return Text(max_length=max_length, single_line=False, **kwargs)


def _optional(field: type[fields.Field] = fields.String, **kwargs: Any) -> fields.Field:
    if field is fields.String and "validate" not in kwargs:
        return _prose(load_default=None, allow_none=True, **kwargs)
    return field(load_default=None, allow_none=True, **kwargs)


class StatusQuery(PageQuery):
    """A list of one status (or all), a page at a time."""

    status = fields.String(load_default=None)


class InvitationQuery(StatusQuery):
    """Invitations, optionally the one of a letter (``letter_number``)."""

    letter_number = Text(max_length=60, min_length=1, load_default=None, metadata={
        "description": "the invitation letter's registration number, e.g. ``P-2026-00003``"})


# Partners ---------------------------------------------------------------------------------

class ContactIn(StrictSchema):
    name = _short_text(required=True,
        metadata={"description": "The contact person's full name."})
    position = _optional(validate=_short)
    email = _optional(EmailAddress)
    phone = _optional(validate=[validate.Length(max=50),
                                validate.Regexp(r"^\+?[0-9 ()./-]{3,50}$",
                                                error="a telephone number")])
    language = _optional(validate=_language)


class ContactOut(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    language = fields.String(allow_none=True)


class PartnerIn(StrictSchema):
    city = _short_text(required=True,
        metadata={"description": "The partner city's name as written locally."})
    country = fields.String(required=True, validate=_country,
        metadata={"description": "The partner city's country, ISO 3166-1 alpha-2 (e.g. LV)."})
    relationship = fields.String(required=True, validate=validate.OneOf(domain.RELATIONSHIPS),
        metadata={"description": "The kind of partnership (twin, partner, friendship)."})
    since = _optional(fields.Date)
    status = fields.String(load_default="active", validate=validate.OneOf(
        domain.PARTNER_STATUSES),
        metadata={"description": "Whether the partnership is active, dormant or ended."})
    languages = fields.List(fields.String(validate=_language), load_default=list)
    areas = fields.List(_short_text(), load_default=list)
    website = _optional(fields.URL)
    notes = _optional()
    contacts = fields.List(fields.Nested(ContactIn), load_default=list)


class PartnerPatch(UpdateSchema):
    city = _short_text()
    country = fields.String(validate=_country)
    relationship = fields.String(validate=validate.OneOf(domain.RELATIONSHIPS),
        metadata={"description": "The kind of partnership (twin, partner, friendship)."})
    since = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(domain.PARTNER_STATUSES),
        metadata={"description": "Whether the partnership is active, dormant or ended."})
    languages = fields.List(fields.String(validate=_language))
    areas = fields.List(_short_text())
    website = fields.URL(allow_none=True)
    notes = _prose(allow_none=True)


class PartnerOut(Schema):
    id = fields.String()
    city = fields.String()
    country = fields.String()
    relationship = fields.String()
    since = fields.Date(allow_none=True)
    status = fields.String()
    languages = fields.List(fields.String())
    areas = fields.List(fields.String())
    website = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    version = fields.Integer()


class PublicPartnerOut(Schema):
    id = fields.String()
    city = fields.String()
    country = fields.String()
    relationship = fields.String()
    since = fields.Date(allow_none=True)
    status = fields.String()
    languages = fields.List(fields.String())
    areas = fields.List(fields.String())
    website = fields.String(allow_none=True)


class PartnerQuery(PageQuery):
    status = fields.String(load_default=None, validate=validate.OneOf(domain.PARTNER_STATUSES))
    country = fields.String(load_default=None, validate=_country)


class OpenDataQuery(StrictSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class DossierIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("note", "document")),
        metadata={"description": "note (text) or document (a file kept with the dossier)."})
    title = _short_text(required=True,
        metadata={"description": "The entry's title."})
    text = _optional()
    url = _optional(fields.URL)


class DossierOut(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    text = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = LocalDateTime()


class VisitRecordIn(StrictSchema):
    direction = fields.String(required=True, validate=validate.OneOf(("incoming", "outgoing")),
        metadata={"description": "incoming (a delegation came) or outgoing (ours went)."})
    starts_on = fields.Date(required=True,
        metadata={"description": "The first day of the visit (YYYY-MM-DD)."})
    ends_on = _optional(fields.Date)
    title = _short_text(required=True,
        metadata={"description": "What the visit was."})
    notes = _optional()


class HistoryOut(Schema):
    direction = fields.String()
    source = fields.String(metadata={"description": "trip, visit or record (entered by hand)"})
    source_id = fields.String()
    title = fields.String()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)


# Agreements -------------------------------------------------------------------------------

class DocumentIn(StrictSchema):
    title = _short_text(required=True,
        metadata={"description": "The document's title."})
    url = _optional(fields.URL)
    reference = _optional(validate=_short)


class AgreementIn(StrictSchema):
    partner_id = Id(required=True,
        metadata={"description": "The id of the partner city the agreement is with."})
    title = _short_text(required=True,
        metadata={"description": "The agreement's title."})
    parties = fields.List(_short_text(), load_default=list)
    signed_on = _optional(fields.Date)
    starts_on = fields.Date(required=True,
        metadata={"description": "The day the agreement takes effect (YYYY-MM-DD)."})
    ends_on = _optional(fields.Date)
    renewal = fields.String(required=True, validate=validate.OneOf(domain.RENEWALS),
        metadata={"description": "How the agreement is renewed: automatic, manual (by a decision) "
                                 "or none."})
    areas = fields.List(_short_text(), load_default=list)
    documents = fields.List(fields.Nested(DocumentIn), load_default=list)


class AgreementPatch(UpdateSchema):
    title = _short_text()
    parties = fields.List(_short_text())
    signed_on = fields.Date(allow_none=True)
    renewal = fields.String(validate=validate.OneOf(domain.RENEWALS),
        metadata={"description": "How the agreement is renewed: automatic, manual (by a decision) "
                                 "or none."})
    areas = fields.List(_short_text())
    documents = fields.List(fields.Nested(DocumentIn))


class RenewIn(StrictSchema):
    starts_on = _optional(fields.Date, metadata={"description": "default: the current end"})
    ends_on = fields.Date(required=True, allow_none=True,
                          metadata={"description": "null: open-ended from now on"})


class AgreementOut(Schema):
    id = fields.String()
    partner_id = fields.String()
    title = fields.String()
    parties = fields.List(fields.String())
    signed_on = fields.Date(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    renewal = fields.String()
    areas = fields.List(fields.String())
    documents = fields.List(fields.Dict())
    terms = fields.List(fields.Dict())
    warned_for = fields.Date(allow_none=True,
                             metadata={"description": "the term end already announced"})
    version = fields.Integer()


class AgreementQuery(PageQuery):
    partner_id = Id(load_default=None)
    ending_before = fields.Date(load_default=None)


# Plans ------------------------------------------------------------------------------------

class PlanItemIn(StrictSchema):
    title = _short_text(required=True,
        metadata={"description": "What is planned."})
    department_code = fields.String(required=True, validate=_code,
        metadata={"description": "The code of the department that carries it out."})
    target_date = _optional(fields.Date)
    status = fields.String(load_default="planned",
                           validate=validate.OneOf(domain.PLAN_ITEM_STATUSES),
        metadata={"description": "Where the item stands."})
    event_ids = fields.List(Id(), load_default=list,
                            metadata={"description": "protocol-events' event ids"})
    trip_ids = fields.List(Id(), load_default=list)


class PlanItemPatch(UpdateSchema):
    title = _short_text()
    department_code = fields.String(validate=_code)
    target_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(domain.PLAN_ITEM_STATUSES),
        metadata={"description": "Where the item stands."})
    event_ids = fields.List(Id())
    trip_ids = fields.List(Id())


class PlanIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(domain.PLAN_KINDS),
        metadata={"description": "perspective (several years) or annual."})
    title = _short_text(required=True,
        metadata={"description": "The plan's title."})
    first_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100),
        metadata={"description": "The first year the plan covers."})
    last_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100),
        metadata={"description": "The last year the plan covers (not before first_year)."})
    partner_id = Id(load_default=None, allow_none=True)
    items = fields.List(fields.Nested(PlanItemIn), load_default=list)


class PlanItemOut(Schema):
    id = fields.String()
    title = fields.String()
    department_code = fields.String()
    target_date = fields.Date(allow_none=True)
    status = fields.String()
    event_ids = fields.List(fields.String())
    trip_ids = fields.List(fields.String())
    version = fields.Integer()


class PlanOut(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    first_year = fields.Integer()
    last_year = fields.Integer()
    partner_id = fields.String(allow_none=True)


class PlanDetailOut(PlanOut):
    items = fields.List(fields.Nested(PlanItemOut))


class PlanQuery(PageQuery):
    year = BoundedInt(minimum=2000, maximum=2100, load_default=None)


# Invitations ------------------------------------------------------------------------------

class InvitationIn(StrictSchema):
    title = _short_text(required=True,
        metadata={"description": "What the municipality is invited to."})
    inviter = _short_text(required=True,
        metadata={"description": "Who invites (a municipality, an embassy, an organisation)."})
    inviter_kind = fields.String(load_default="municipality",
                                 validate=validate.OneOf(domain.INVITER_KINDS),
        metadata={"description": "What kind of inviter it is."})
    partner_id = Id(load_default=None, allow_none=True)
    city = _optional(validate=_short)
    country = _optional(validate=_country)
    language = _optional(validate=_language)
    summary = _optional()
    starts_on = _optional(fields.Date)
    ends_on = _optional(fields.Date)
    respond_by = _optional(fields.Date)
    letter_id = Id(load_default=None, allow_none=True)
    registration_number = _optional(validate=validate.Length(max=60))


class InvitationPatch(UpdateSchema):
    title = _short_text()
    inviter = _short_text()
    inviter_kind = fields.String(validate=validate.OneOf(domain.INVITER_KINDS),
        metadata={"description": "What kind of inviter it is."})
    partner_id = Id(allow_none=True)
    city = fields.String(allow_none=True, validate=_short)
    country = fields.String(allow_none=True, validate=_country)
    summary = _prose(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    respond_by = fields.Date(allow_none=True)


class EvaluationIn(UpdateSchema):
    worth_going = fields.Boolean(allow_none=True)
    recommendation = _prose(allow_none=True)
    proposed_head = fields.String(allow_none=True, validate=_short)
    proposed_delegation = fields.List(_short_text())


class DecisionIn(StrictSchema):
    note = _optional()


class InvitationOut(Schema):
    id = fields.String()
    status = fields.String()
    title = fields.String()
    inviter = fields.String()
    inviter_kind = fields.String()
    partner_id = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    respond_by = fields.Date(allow_none=True)
    letter_id = fields.String(allow_none=True)
    registration_number = fields.String(allow_none=True)
    received_at = LocalDateTime(allow_none=True)
    worth_going = fields.Boolean(allow_none=True)
    recommendation = fields.String(allow_none=True)
    proposed_head = fields.String(allow_none=True)
    proposed_delegation = fields.List(fields.String())
    decided_by = fields.String(allow_none=True)
    decided_at = LocalDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    confidentiality = fields.String()
    version = fields.Integer()


# Trips ------------------------------------------------------------------------------------

# A member flagged as the head of the delegation, for the "contains" of members lists.
_HEAD = {"type": "object", "required": ["head"], "properties": {"head": {"const": True}}}
AT_MOST_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 0, "maxContains": 1}}
EXACTLY_ONE_HEAD = {"json_schema": {"contains": _HEAD, "minContains": 1, "maxContains": 1}}


class TravellerIn(StrictSchema):
    name = _short_text(required=True,
        metadata={"description": "The traveller's full name."})
    position = _optional(validate=_short)
    head = fields.Boolean(load_default=False)
    passport_expires_on = _optional(fields.Date)


class ChecklistIn(StrictSchema):
    director_order = fields.Boolean()
    tickets = fields.Boolean()
    insurance = fields.Boolean()
    visas = fields.Boolean(metadata={"description": "visas obtained, or none needed"})


class BudgetIn(StrictSchema):
    transport = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    accommodation = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    registration = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)
    other = fields.Decimal(places=2, validate=validate.Range(min=0), as_string=True)


class TripIn(StrictSchema):
    invitation_id = Id(load_default=None, allow_none=True)
    partner_id = Id(load_default=None, allow_none=True)
    title = _optional(validate=_short)
    city = _optional(validate=_short)
    country = _optional(validate=_country)
    departs_on = _optional(fields.Date)
    returns_on = _optional(fields.Date)
    members = fields.List(fields.Nested(TravellerIn), required=True,
                          validate=validate.Length(min=1),
        metadata={"description": "Who travels; at most one of them is flagged as the head.",
                  **AT_MOST_ONE_HEAD})
    checklist = fields.Nested(ChecklistIn, load_default=None)
    budget = fields.Nested(BudgetIn, load_default=None)
    programme = _optional()


class TripPatch(UpdateSchema):
    title = _short_text()
    city = _short_text()
    country = fields.String(validate=_country)
    departs_on = fields.Date()
    returns_on = fields.Date()
    members = fields.List(fields.Nested(TravellerIn), validate=validate.Length(min=1),
                          metadata={"description": "Who travels, replacing the list; at most one "
                                    "of them is flagged as the head.", **AT_MOST_ONE_HEAD})
    checklist = fields.Nested(ChecklistIn)
    budget = fields.Nested(BudgetIn)
    programme = _prose(allow_none=True)
    report = _prose(allow_none=True)


class TripStatusIn(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(tuple(domain.TRIP)),
        metadata={"description": "The status to move the trip to."})
    report = _optional()


class TravellerOut(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.String(allow_none=True)
    head = fields.Boolean()
    passport_expires_on = fields.Date(allow_none=True)


class PassportOut(Schema):
    member = fields.String()
    valid_until = fields.Date()
    required_until = fields.Date()
    ok = fields.Boolean()
    reason = fields.String()


class PerDiemOut(Schema):
    country = fields.String()
    days = fields.Integer()
    rate = fields.Decimal(as_string=True)
    travellers = fields.Integer()
    total = fields.Decimal(as_string=True)


class TripOut(Schema):
    id = fields.String()
    status = fields.String()
    invitation_id = fields.String(allow_none=True)
    partner_id = fields.String(allow_none=True)
    title = fields.String()
    city = fields.String()
    country = fields.String()
    departs_on = fields.Date()
    returns_on = fields.Date()
    checklist = fields.Dict()
    budget = fields.Dict()
    programme = fields.String(allow_none=True)
    report = fields.String(allow_none=True)
    version = fields.Integer()


class TripDetailOut(TripOut):
    members = fields.List(fields.Nested(TravellerOut))
    passports = fields.List(fields.Nested(PassportOut))
    per_diem = fields.Nested(PerDiemOut)
    budget_total = fields.Decimal(as_string=True,
                                  metadata={"description": "budget lines plus per diems"})
    ready_to_leave = fields.Boolean()
    missing = fields.List(fields.String())


# Visits -----------------------------------------------------------------------------------

class DelegateIn(StrictSchema):
    name = _short_text(required=True,
        metadata={"description": "The delegate's full name."})
    role = _optional(validate=_short)
    organisation = _optional(validate=_short)
    country = _optional(validate=_country)
    language = _optional(validate=_language)
    rank = _optional(validate=_short)
    email = _optional(EmailAddress)
    head = fields.Boolean(load_default=False)


class VisitIn(StrictSchema):
    partner_id = Id(load_default=None, allow_none=True)
    title = _short_text(required=True,
        metadata={"description": "What the visit is."})
    city = _short_text(required=True,
        metadata={"description": "The city the delegation comes from."})
    country = fields.String(required=True, validate=_country,
        metadata={"description": "The delegation's country, ISO 3166-1 alpha-2."})
    arrives_at = LocalDateTime(required=True)
    departs_at = LocalDateTime(required=True)
    purpose = _optional()
    language = _optional(validate=_language)
    members = fields.List(fields.Nested(DelegateIn), required=True,
                          validate=validate.Length(min=1),
        metadata={"description": "The delegation's members: exactly one of them is flagged as the "
                                 "head.", **EXACTLY_ONE_HEAD})


class VisitOut(Schema):
    id = fields.String()
    status = fields.String()
    partner_id = fields.String(allow_none=True)
    title = fields.String()
    city = fields.String()
    country = fields.String()
    arrives_at = LocalDateTime()
    departs_at = LocalDateTime()
    purpose = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = LocalDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    version = fields.Integer()


class VisitDetailOut(VisitOut):
    members = fields.List(fields.Dict())


# Translations -----------------------------------------------------------------------------

class TranslationIn(StrictSchema):
    direction = fields.String(load_default="incoming",
                              validate=validate.OneOf(("incoming", "outgoing")),
        metadata={"description": "incoming (into the municipality's language) or outgoing (from "
                                 "it)."})
    source_language = fields.String(required=True, validate=_language,
        metadata={"description": "The language translated from."})
    target_language = fields.String(required=True, validate=_language,
        metadata={"description": "The language translated into."})
    title = _short_text(required=True,
        metadata={"description": "What is translated."})
    source_text = _prose(200_000, min_length=1, required=True,
        metadata={"description": "The text to translate, kept byte for byte."})
    letter_id = Id(load_default=None, allow_none=True)
    registration_number = _optional(validate=validate.Length(max=60))
    partner_id = Id(load_default=None, allow_none=True)
    translator = _optional(validate=_short)
    working_days = fields.Integer(load_default=None, allow_none=True,
                                  validate=validate.Range(min=1, max=60))


class ReplyDraftIn(StrictSchema):
    title = _optional(validate=_short)
    source_text = _prose(200_000, min_length=1, required=True,
        metadata={"description": "The reply's text to translate, kept byte for byte."})
    translator = _optional(validate=_short)
    working_days = fields.Integer(load_default=None, allow_none=True,
                                  validate=validate.Range(min=1, max=60))


class TranslationStatusIn(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(tuple(domain.TRANSLATION)),
        metadata={"description": "The status to move the translation to."})
    translator = _optional(validate=_short)
    translated_text = _prose(200_000, load_default=None, allow_none=True)


class TranslationQuery(PageQuery):
    status = fields.String(load_default=None)
    translator = fields.String(load_default=None)
    letter_id = Id(load_default=None)


class TranslationOut(Schema):
    id = fields.String()
    status = fields.String()
    direction = fields.String()
    source_language = fields.String()
    target_language = fields.String()
    title = fields.String()
    source_text = fields.String()
    translated_text = fields.String(allow_none=True)
    translator = fields.String(allow_none=True)
    letter_id = fields.String(allow_none=True)
    registration_number = fields.String(allow_none=True)
    original_task_id = fields.String(allow_none=True)
    partner_id = fields.String(allow_none=True)
    due_on = fields.Date()
    deadline = fields.Dict(metadata={"description": "how the due date was computed"})
    created_at = LocalDateTime()
    finished_at = LocalDateTime(allow_none=True)
    version = fields.Integer()


# Projects and proposals -------------------------------------------------------------------

class DeadlineIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=50),
        metadata={"description": "What the deadline is for (e.g. report, application)."})
    due_on = fields.Date(required=True,
        metadata={"description": "The day it is due (YYYY-MM-DD)."})


class ProjectIn(StrictSchema):
    title = _short_text(required=True,
        metadata={"description": "The project's title."})
    programme = _short_text(required=True,
        metadata={"description": "The funding programme (e.g. Interreg, Erasmus+)."})
    partners = fields.List(_short_text(), load_default=list)
    budget = fields.Decimal(places=2, load_default=None, allow_none=True,
                            validate=validate.Range(min=0))
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))
    department_code = fields.String(required=True, validate=_code,
        metadata={"description": "The code of the department that runs the project."})
    status = fields.String(load_default="idea", validate=validate.OneOf(
        domain.PROJECT_STATUSES),
        metadata={"description": "Where the project stands."})
    deadlines = fields.List(fields.Nested(DeadlineIn), load_default=list)


class ProjectPatch(UpdateSchema):
    title = _short_text()
    programme = _short_text()
    partners = fields.List(_short_text())
    budget = fields.Decimal(places=2, allow_none=True, validate=validate.Range(min=0))
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    department_code = fields.String(validate=_code)
    status = fields.String(validate=validate.OneOf(domain.PROJECT_STATUSES),
        metadata={"description": "Where the project stands."})
    deadlines = fields.List(fields.Nested(DeadlineIn))


class DeadlineOut(Schema):
    kind = fields.String()
    due_on = fields.Date()
    notified_at = LocalDateTime(allow_none=True)


class ProjectOut(Schema):
    id = fields.String()
    title = fields.String()
    programme = fields.String()
    partners = fields.List(fields.String())
    budget = fields.Decimal(allow_none=True, as_string=True)
    currency = fields.String()
    department_code = fields.String()
    status = fields.String()
    version = fields.Integer()


class ProjectDetailOut(ProjectOut):
    deadlines = fields.List(fields.Nested(DeadlineOut))


class ProposalIn(StrictSchema):
    partner_id = Id(load_default=None, allow_none=True)
    title = _short_text(required=True,
        metadata={"description": "What is proposed."})
    summary = _optional()
    received_on = fields.Date(required=True,
        metadata={"description": "The day the proposal was received (YYYY-MM-DD)."})
    letter_id = Id(load_default=None, allow_none=True)


class ReferIn(StrictSchema):
    referred_to = _short_text(required=True, metadata={
        "description": "the council committee or department the proposal goes to"})
    department_code = fields.String(load_default=None, allow_none=True, validate=_code, metadata={
        "description": "the department's code when it goes to a department (that "
                       "department is told); none for a council committee (the mayor's "
                       "office is told)"})


class AnswerIn(StrictSchema):
    answer = _prose(min_length=1, required=True,
        metadata={"description": "The municipality's answer to the proposal."})


class ProposalOut(Schema):
    id = fields.String()
    status = fields.String()
    partner_id = fields.String(allow_none=True)
    title = fields.String()
    summary = fields.String(allow_none=True)
    received_on = fields.Date()
    letter_id = fields.String(allow_none=True)
    referred_to = fields.String(allow_none=True)
    referred_at = LocalDateTime(allow_none=True)
    answer = fields.String(allow_none=True)
    answered_at = LocalDateTime(allow_none=True)
    version = fields.Integer()


# An example for the OpenAPI document (tests/api sends it through a generated client).
PARTNER_EXAMPLE = {"city": "თელავი", "country": "GE", "relationship": "partner",
                   "languages": ["ka"], "areas": ["ტურიზმი"]}

# An answer as the service gives it (the document's example).
PARTNER_OUT_EXAMPLE = {"id": "ac4569a0-ef85-412a-9473-0cb47d395d7c",
                       "city": "თელავი",
                       "country": "GE",
                       "relationship": "partner",
                       "since": None,
                       "status": "active",
                       "languages": ["ka"],
                       "areas": ["ტურიზმი"],
                       "website": None,
                       "notes": None,
                       "version": 1}
