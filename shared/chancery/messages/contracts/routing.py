"""Messages the routing service publishes about the letter's workflow."""

from marshmallow import fields, validate

from chancery.messages.contracts import PayloadSchema
from chancery.vocabulary import LETTER_STATUSES


class LetterRoutedV1(PayloadSchema):
    """``letter.routed`` v1: the letter has a responsible department and a deadline.

    Consumers: intake (shows the department and due date), notifications
    (tells the department), foreign-relations (invitations routed to it).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    department_code = fields.String(required=True)
    copy_department_codes = fields.List(fields.String(), load_default=list)
    due_date = fields.Date(required=True)
    rule = fields.String(load_default=None, allow_none=True)
    routed_at = fields.AwareDateTime(required=True)


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


class LetterAnsweredV1(PayloadSchema):
    """``letter.answered`` v1: the reply went out after its last endorsement.

    Consumers: intake (status and answer date), notifications (tells the citizen).
    """

    letter_id = fields.UUID(required=True)
    registration_number = fields.String(required=True)
    answered_at = fields.AwareDateTime(required=True)
    reply_letter_id = fields.UUID(load_default=None, allow_none=True)
    reply_registration_number = fields.String(load_default=None, allow_none=True)
