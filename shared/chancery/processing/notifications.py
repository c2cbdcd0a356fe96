"""Notifications' processing activities: notices, the staff feed and preferences."""

from chancery.processing import ProcessingActivity

ACTIVITIES = (
    ProcessingActivity(
        name="Notices to correspondents, guests and staff",
        purpose="Telling people by e-mail, SMS, webhook and the staff feed what happened "
        "to their letter, booking or task",
        legal_basis="GDPR Art. 6(1)(c) and (e): acknowledgements and answers the law "
        "requires; Art. 6(1)(a) for notices one may opt out of",
        data_subjects=("correspondents", "visitors", "staff"),
        categories=("name", "e-mail", "phone", "texts of notices", "delivery status"),
        tables=("deliveries", "feed", "letter_contacts"),
        retention="delivered texts purged after the configured period "
        "(PURGE_DELIVERED_TEXTS_DAYS, 30 days by default); status and dates as the "
        "letter's case file",
        recipients=("the SMTP relay", "the SMS gateway", "webhook subscribers"),
    ),
    ProcessingActivity(
        name="Notice preferences and opt-outs",
        purpose="Respecting a person's language, channel and objection to notices",
        legal_basis="GDPR Art. 21: the right to object",
        data_subjects=("correspondents", "visitors"),
        categories=("e-mail or phone", "language", "channel", "opted-out kinds"),
        tables=("preferences",),
        retention="while the objection stands",
        recipients=(),
    ),
)
