"""Messages the routing service publishes about the letter's workflow."""

from marshmallow import fields, validate

from chancery.emails import EmailAddress
from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import CONFIDENTIALITY_LEVELS, LETTER_STATUSES


def _confidentiality() -> fields.String:
    """The letter's level (decision 17): consumers show whoever lacks its clearance a
    neutral text instead of the subject. Older producers omitted it: ``normal``."""
    return fields.String(load_default="normal",
                         validate=validate.OneOf(CONFIDENTIALITY_LEVELS))


class LetterRoutedV1(PayloadSchema):
    """``letter.routed`` v1: the letter has a responsible department and a deadline.

    Published again on a manual re-route (``previous_department_code`` and
    ``reason`` set). The payload carries what the department needs to see the
    letter in its queue without calling intake. Consumers: intake (shows the
    department and due date), notifications (tells the department),
    foreign-relations (invitations routed to it).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    department_code = fields.String(required=True)
    copy_department_codes = fields.List(fields.String(), load_default=list)
    due_date = fields.Date(required=True)
    rule = fields.String(load_default=None, allow_none=True)
    routed_at = fields.AwareDateTime(required=True)
    kind = fields.String(load_default=None, allow_none=True)
    subject = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True)
    previous_department_code = fields.String(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)
    deadline_explanation = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), load_default=None,
        allow_none=True, metadata={"description": "how the due date was computed, as "
                                                  "sentences keyed by language (the letter's "
                                                  "and the municipality's)"})
    confidentiality = _confidentiality()


class LetterStatusChangedV1(PayloadSchema):
    """``letter.status_changed`` v1: the workflow moved the letter to another status.

    Consumers: intake (keeps the citizen-visible status), notifications.
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    previous_status = fields.String(required=True, validate=validate.OneOf(LETTER_STATUSES))
    status = fields.String(required=True, validate=validate.OneOf(LETTER_STATUSES))
    changed_at = fields.AwareDateTime(required=True)
    department_code = fields.String(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)


class LetterTriagedV1(PayloadSchema):
    """``letter.triaged`` v1: routing could not decide and left the letter to the registry.

    ``reason`` says why in plain words: no rule matched and no department is
    addressed, a department is unknown, or no legal deadline applies to the
    receipt date. It never repeats the letter's subject or correspondent.
    The letter keeps the status ``registered`` until the registry routes it.
    Consumer: intake (shows that the letter waits for triage, and why).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    reason = fields.String(required=True)
    triaged_at = fields.AwareDateTime(required=True)


class LetterAnsweredV1(PayloadSchema):
    """``letter.answered`` v1: the reply went out after its last endorsement.

    Consumers: intake (status and answer date), notifications (tells the citizen).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    answered_at = fields.AwareDateTime(required=True)
    reply_letter_id = fields.UUID(load_default=None, allow_none=True)
    reply_registration_number = fields.String(load_default=None, allow_none=True)
    # What answered it: the registered reply, or (issue 17) the decision on the invitation
    # the letter was; then no reply was sent, so the sender is not told one was.
    # Older producers omitted it: ``reply``.
    answered_by = fields.String(load_default="reply",
                                validate=validate.OneOf(("reply", "invitation_decision")))


class DeadlineExtendedV1(PayloadSchema):
    """``letter.deadline_extended`` v1: the answer deadline was extended, with the reason.

    Consumers: intake (shows the new due date), notifications (the law wants
    the applicant told, with the reason).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    previous_due_date = fields.Date(required=True)
    due_date = fields.Date(required=True)
    reason = fields.String(required=True)
    extended_at = fields.AwareDateTime(required=True)
    explanation = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), load_default=None,
        allow_none=True, metadata={"description": "how the new due date was computed, as "
                                                  "sentences keyed by language (the letter's "
                                                  "and the municipality's)"})
    confidentiality = _confidentiality()


class AssignmentV1(PayloadSchema):
    """The facts of an assignment that every assignment message carries.

    ``title`` is the letter's subject for a letter's assignment, hence
    ``confidentiality`` (always ``normal`` for own tasks).
    """

    assignment_id = fields.UUID(required=True)
    letter_id = fields.UUID(load_default=None, allow_none=True)
    registration_number = fields.String(load_default=None, allow_none=True)
    title = fields.String(required=True)
    department_code = fields.String(required=True)
    executor = fields.String(load_default=None, allow_none=True)
    due_date = fields.Date(required=True)
    confidentiality = _confidentiality()


class AssignmentCreatedV1(AssignmentV1):
    """``assignment.created`` v1: someone has work to do by a date (a letter or an own task).

    Consumers: notifications (tells the executor, or the department when
    nobody is named yet).
    """

    assigned_by = fields.String(required=True)
    assigned_by_name = fields.String(load_default=None, allow_none=True, metadata={
        "description": "the giver's name from the staff directory; none when the "
                       "routing rules gave it"})
    created_at = fields.AwareDateTime(required=True)


class AssignmentDueSoonV1(AssignmentV1):
    """``assignment.due_soon`` v1: the due date is near (the profile's working days before).

    Published once per assignment by the worker's timer. Consumers:
    notifications (executor and head).
    """

    working_days_left = fields.Integer(required=True)


class AssignmentOverdueV1(AssignmentV1):
    """``assignment.overdue`` v1: the due date passed without the work done.

    Published once per assignment by the worker's timer. Consumers:
    notifications (executor and head).
    """

    days_overdue = fields.Integer(required=True)


class EndorsementV1(PayloadSchema):
    """The facts every endorsement message carries (``reply_subject`` is as protected as
    the letter it answers: ``confidentiality``)."""

    endorsement_id = fields.UUID(required=True)
    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    reply_subject = fields.String(required=True)
    step = fields.Integer(required=True)
    steps = fields.Integer(required=True)
    approver_role = fields.String(required=True)
    department_code = fields.String(required=True)
    executor = fields.String(load_default=None, allow_none=True)
    confidentiality = _confidentiality()


class EndorsementRequestedV1(EndorsementV1):
    """``endorsement.requested`` v1: a reply waits for this step's approver.

    Consumers: intake (the approver may read the letter until the step is decided),
    notifications (tells the approver).
    """

    requested_at = fields.AwareDateTime(required=True)


class EndorsementApprovedV1(EndorsementV1):
    """``endorsement.approved`` v1: the last approver endorsed the reply; it may go out.

    Consumers: intake (no approver reads the letter through the circuit any more),
    notifications (tells the executor).
    """

    approved_by = fields.String(required=True)
    approved_at = fields.AwareDateTime(required=True)


class EndorsementReturnedV1(EndorsementV1):
    """``endorsement.returned`` v1: an approver sent the reply back with a comment.

    Consumers: intake (no approver reads the letter through the circuit any more),
    notifications (tells the executor).
    """

    returned_by = fields.String(required=True)
    comment = fields.String(required=True)
    returned_at = fields.AwareDateTime(required=True)


class CalendarDayDeclaredV1(PayloadSchema):
    """``calendar.day_declared`` v1: a day off, or an extra working day, by government decision.

    An operator declared it over routing's ``/calendar/days``; every service
    that computes working days keeps a copy and counts it from now on (a later
    declaration for the same ``day`` replaces an earlier one). ``hours_of``
    (0 = Monday) names the weekday whose hours an extra working day works.
    Consumers: protocol-events (reception slots), foreign-relations
    (translations' due dates).
    """

    day = fields.Date(required=True)
    working = fields.Boolean(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    decree = fields.String(load_default=None, allow_none=True)
    hours_of = fields.Integer(load_default=None, allow_none=True,
                              validate=validate.Range(min=0, max=6))
    declared_by = fields.String(required=True)
    declared_at = fields.AwareDateTime(required=True)


class StaffMemberChangedV1(PayloadSchema):
    """``staff.member_changed`` v1: a person of the one staff directory was added or changed.

    Routing owns the directory (decision 31) and publishes the whole entry
    after every change; an entry that leaves is published with ``active``
    false, never deleted. Consumers keep a copy keyed by ``subject`` (the
    sign-in subject) and replace it with each message. Consumers:
    notifications (who to tell, in which language, by which address).
    """

    subject = fields.String(required=True)
    name = fields.String(required=True)
    department_code = fields.String(load_default=None, allow_none=True)
    roles = fields.List(fields.String(), load_default=list)
    positions = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                            metadata={"description": "the position's title by language"})
    email = EmailAddress(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    language = fields.String(required=True)
    active = fields.Boolean(required=True)
    changed_at = fields.AwareDateTime(required=True)
