"""Messages the routing service publishes about the letter's workflow."""

from datetime import date
from typing import Annotated

from marshmallow import fields, validate

from chancery.messages.fieldtypes import (
    Confidentiality,
    Day,
    Id,
    Integer,
    Moment,
    OptionalEmail,
    OptionalId,
    OptionalText,
    Text,
)
from chancery.messages.payloads import payload_dataclass
from chancery.vocabulary import LETTER_STATUSES


def _explanation(computed: str) -> fields.Dict:
    """How ``computed`` was computed, in sentences per language (optional)."""
    return fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        load_default=None,
        allow_none=True,
        metadata={
            "description": f"how {computed} was computed, as sentences keyed by language "
            "(the letter's and the municipality's)"
        },
    )


@payload_dataclass
class LetterRoutedV1:
    """``letter.routed`` v1: the letter has a responsible department and a deadline.

    Published again on a manual re-route (``previous_department_code`` and
    ``reason`` set). The payload carries what the department needs to see the
    letter in its queue without calling intake. Consumers: intake (shows the
    department and due date), notifications (tells the department),
    foreign-relations (invitations routed to it).
    """

    letter_id: Id
    registration_number: Text
    department_code: Text
    copy_department_codes: Annotated[list[str], fields.List(fields.String(), load_default=list)]
    due_date: Day
    rule: OptionalText
    routed_at: Moment
    kind: OptionalText
    subject: OptionalText
    language: OptionalText
    previous_department_code: OptionalText
    reason: OptionalText
    deadline_explanation: Annotated[dict[str, list[str]] | None, _explanation("the due date")]
    confidentiality: Confidentiality


@payload_dataclass
class LetterStatusChangedV1:
    """``letter.status_changed`` v1: the workflow moved the letter to another status.

    Consumers: intake (keeps the citizen-visible status), notifications.
    """

    letter_id: Id
    registration_number: Text
    previous_status: Annotated[
        str, fields.String(required=True, validate=validate.OneOf(LETTER_STATUSES))
    ]
    status: Annotated[str, fields.String(required=True, validate=validate.OneOf(LETTER_STATUSES))]
    changed_at: Moment
    department_code: OptionalText
    reason: OptionalText


@payload_dataclass
class LetterTriagedV1:
    """``letter.triaged`` v1: routing could not decide and left the letter to the registry.

    ``reason`` says why in plain words: no rule matched and no department is
    addressed, a department is unknown, or no legal deadline applies to the
    receipt date. It never repeats the letter's subject or correspondent.
    The letter keeps the status ``registered`` until the registry routes it.
    Consumer: intake (shows that the letter waits for triage, and why).
    """

    letter_id: Id
    registration_number: Text
    reason: Text
    triaged_at: Moment


@payload_dataclass
class LetterAnsweredV1:
    """``letter.answered`` v1: the reply went out after its last endorsement.

    Consumers: intake (status and answer date), notifications (tells the citizen).
    """

    letter_id: Id
    registration_number: Text
    answered_at: Moment
    reply_letter_id: OptionalId
    reply_registration_number: OptionalText
    # What answered it: the registered reply, or (issue 17) the decision on the invitation
    # the letter was; then no reply was sent, so the sender is not told one was.
    # Older producers omitted it: ``reply``.
    answered_by: Annotated[
        str,
        fields.String(
            load_default="reply", validate=validate.OneOf(("reply", "invitation_decision"))
        ),
    ]


@payload_dataclass
class DeadlineExtendedV1:
    """``letter.deadline_extended`` v1: the answer deadline was extended, with the reason.

    Consumers: intake (shows the new due date), notifications (the law wants
    the applicant told, with the reason).
    """

    letter_id: Id
    registration_number: Text
    previous_due_date: Day
    due_date: Day
    reason: Text
    extended_at: Moment
    explanation: Annotated[dict[str, list[str]] | None, _explanation("the new due date")]
    confidentiality: Confidentiality


@payload_dataclass
class AssignmentV1:
    """The facts of an assignment that every assignment message carries.

    ``title`` is the letter's subject for a letter's assignment, hence
    ``confidentiality`` (always ``normal`` for own tasks).
    """

    assignment_id: Id
    letter_id: OptionalId
    registration_number: OptionalText
    title: Text
    department_code: Text
    executor: OptionalText
    due_date: Annotated[
        date,
        fields.Date(
            required=True,
            metadata={
                "description": "the executor's own due date (for a letter never later than the "
                "letter's legal one)"
            },
        ),
    ]
    instructions: Annotated[
        str | None,
        fields.String(
            load_default=None,
            allow_none=True,
            metadata={
                "description": "what the giver asks of the executor, free text; as protected as "
                "the letter (``confidentiality``)"
            },
        ),
    ]
    confidentiality: Confidentiality


@payload_dataclass
class AssignmentCreatedV1(AssignmentV1):
    """``assignment.created`` v1: someone has work to do by a date (a letter or an own task).

    Consumers: notifications (tells the executor, or the department when
    nobody is named yet).
    """

    assigned_by: Text
    assigned_by_name: Annotated[
        str | None,
        fields.String(
            load_default=None,
            allow_none=True,
            metadata={
                "description": "the giver's name from the staff directory; none when the "
                "routing rules gave it"
            },
        ),
    ]
    created_at: Moment


@payload_dataclass
class AssignmentDueSoonV1(AssignmentV1):
    """``assignment.due_soon`` v1: the due date is near (the profile's working days before).

    Published once per assignment by the worker's timer. Consumers:
    notifications (executor and head).
    """

    working_days_left: Integer


@payload_dataclass
class AssignmentRemindedV1(AssignmentV1):
    """``assignment.reminded`` v1: the mayor's office reminded the executor now, by hand
    (execution control), apart from the timer's due-soon and overdue reminders.

    At most one an hour per assignment. Consumers: notifications (the executor, with a
    feed item linking to the assignment).
    """

    reminded_by: Text
    reminded_by_name: Annotated[
        str | None,
        fields.String(
            load_default=None,
            allow_none=True,
            metadata={"description": "the reminder's name from the staff directory"},
        ),
    ]
    reminded_at: Moment
    reminder_count: Annotated[
        int,
        fields.Integer(
            required=True,
            metadata={
                "description": "how many reminders by hand the assignment has had, this one "
                "included"
            },
        ),
    ]


@payload_dataclass
class AssignmentOverdueV1(AssignmentV1):
    """``assignment.overdue`` v1: the due date passed without the work done.

    Published once per assignment by the worker's timer. Consumers:
    notifications (executor and head).
    """

    days_overdue: Integer


@payload_dataclass
class EndorsementV1:
    """The facts every endorsement message carries (``reply_subject`` is as protected as
    the letter it answers: ``confidentiality``)."""

    endorsement_id: Id
    letter_id: Id
    registration_number: Text
    reply_subject: Text
    step: Integer
    steps: Integer
    approver_role: Text
    department_code: Text
    executor: OptionalText
    confidentiality: Confidentiality


@payload_dataclass
class EndorsementRequestedV1(EndorsementV1):
    """``endorsement.requested`` v1: a reply waits for this step's approver.

    Consumers: intake (the approver may read the letter until the step is decided),
    notifications (tells the approver).
    """

    requested_at: Moment


@payload_dataclass
class EndorsementApprovedV1(EndorsementV1):
    """``endorsement.approved`` v1: the last approver endorsed the reply; it may go out.

    Consumers: intake (no approver reads the letter through the circuit any more),
    notifications (tells the executor).
    """

    approved_by: Text
    approved_at: Moment


@payload_dataclass
class EndorsementReturnedV1(EndorsementV1):
    """``endorsement.returned`` v1: an approver sent the reply back with a comment.

    Consumers: intake (no approver reads the letter through the circuit any more),
    notifications (tells the executor).
    """

    returned_by: Text
    comment: Text
    returned_at: Moment


@payload_dataclass
class CalendarDayDeclaredV1:
    """``calendar.day_declared`` v1: a day off, or an extra working day, by government decision.

    An operator declared it over routing's ``/calendar/days``; every service
    that computes working days keeps a copy and counts it from now on (a later
    declaration for the same ``day`` replaces an earlier one). ``hours_of``
    (0 = Monday) names the weekday whose hours an extra working day works.
    Consumers: protocol-events (reception slots), foreign-relations
    (translations' due dates).
    """

    day: Day
    working: Annotated[bool, fields.Boolean(required=True)]
    reason: Annotated[str, fields.String(required=True, validate=validate.Length(min=1, max=2000))]
    decree: OptionalText
    hours_of: Annotated[
        int | None,
        fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=6)),
    ]
    declared_by: Text
    declared_at: Moment


@payload_dataclass
class StaffMemberChangedV1:
    """``staff.member_changed`` v1: a person of the one staff directory was added or changed.

    Routing owns the directory (decision 31) and publishes the whole entry
    after every change; an entry that leaves is published with ``active``
    false, never deleted. Consumers keep a copy keyed by ``subject`` (the
    sign-in subject) and replace it with each message. Consumers:
    notifications (who to tell, in which language, by which address) and
    protocol-events (the name, position, e-mail and activity of its officials).
    """

    subject: Text
    name: Text
    department_code: OptionalText
    roles: Annotated[list[str], fields.List(fields.String(), load_default=list)]
    positions: Annotated[
        dict[str, str],
        fields.Dict(
            keys=fields.String(),
            values=fields.String(),
            load_default=dict,
            metadata={"description": "the position's title by language"},
        ),
    ]
    email: OptionalEmail
    phone: OptionalText
    language: Text
    active: Annotated[bool, fields.Boolean(required=True)]
    changed_at: Moment
