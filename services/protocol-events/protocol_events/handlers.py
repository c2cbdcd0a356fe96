"""Protocol-events' message handlers.

An approved delegation visit becomes a draft event; a letter intake
registered from a reception topic is noted on its appointment; a day routing
declared off (or working) is kept for the reception slots; a change in the one
staff directory (``staff.member_changed``) updates the officials who are that person.
"""

from __future__ import annotations

from chancery.db import UnitOfWork
from chancery.messages.consumer import Handler, ReceivedMessage
from chancery.messages.contracts.foreign_relations import DelegationVisitApprovedV1
from chancery.messages.contracts.intake import LetterRegisteredV1
from chancery.messages.contracts.routing import CalendarDayDeclaredV1, StaffMemberChangedV1
from chancery.messages.rights import personal_data_handler
from protocol_events.usecases import personal_data
from protocol_events.usecases.appointments import Appointments
from protocol_events.usecases.events import Events
from protocol_events.usecases.officials import Officials


def message_handlers(
    events: Events, officials: Officials, appointments: Appointments
) -> dict[tuple[str, int], Handler]:
    """The handlers protocol-events registers, keyed by (type, version) as in the catalogue."""

    def visit_approved(
        uow: UnitOfWork, message: ReceivedMessage[DelegationVisitApprovedV1]
    ) -> None:
        events.visit_approved(uow, message.payload)

    def letter_registered(uow: UnitOfWork, message: ReceivedMessage[LetterRegisteredV1]) -> None:
        p = message.payload
        if p.source_reference:
            appointments.letter_registered(
                uow, p.source_reference, str(p.letter_id), p.registration_number
            )

    def day_declared(uow: UnitOfWork, message: ReceivedMessage[CalendarDayDeclaredV1]) -> None:
        officials.day_declared(uow, message.payload)

    def staff_member_changed(
        uow: UnitOfWork, message: ReceivedMessage[StaffMemberChangedV1]
    ) -> None:
        officials.keep_directory_entry(uow, message.payload)

    return {
        ("delegation.visit_approved", 1): visit_approved,
        ("letter.registered", 1): letter_registered,
        ("calendar.day_declared", 1): day_declared,
        ("staff.member_changed", 1): staff_member_changed,
        ("personal_data.requested", 1): personal_data_handler(
            personal_data.gather, personal_data.erase, personal_data.restrict
        ),
    }
