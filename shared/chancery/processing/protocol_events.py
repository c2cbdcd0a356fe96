"""Protocol-events' processing activities: reception hours, events and their guests."""

from chancery.processing import ProcessingActivity

ACTIVITIES = (
    ProcessingActivity(
        name="Reception hours",
        purpose="Booking residents' appointments with officials and the visitor log",
        legal_basis="GDPR Art. 6(1)(e): receiving residents is a public task",
        data_subjects=("residents who book",),
        categories=("name", "e-mail", "phone", "topic", "visits"),
        tables=("appointments", "visitor_log"),
        retention="as the reception's case file in the file plan",
        recipients=("notifications", "intake (a topic handed over as a letter)"),
    ),
    ProcessingActivity(
        name="Official events and their participants",
        purpose="Programmes, guest lists in protocol order, press accreditations, awards",
        legal_basis="GDPR Art. 6(1)(e); Art. 6(1)(a) for photographs and press",
        data_subjects=("guests", "officials", "journalists", "award nominees"),
        categories=("name", "position", "organisation", "e-mail", "phone"),
        tables=("participants", "accreditations", "award_nominees"),
        retention="as the event's case file in the file plan",
        recipients=("notifications",),
    ),
)
