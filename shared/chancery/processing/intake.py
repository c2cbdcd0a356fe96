"""Intake's processing activities: the protocol book and its correspondents."""

from chancery.processing import ProcessingActivity

ACTIVITIES = (
    ProcessingActivity(
        name="Protocol book (register of correspondence)",
        purpose="Registering incoming and outgoing letters, applications and complaints "
        "and answering the correspondents' status lookups",
        legal_basis="GDPR Art. 6(1)(c) and (e): the law on public administration and the "
        "national rules on records management",
        data_subjects=("residents and other correspondents", "staff who register letters"),
        categories=(
            "name",
            "e-mail",
            "phone",
            "postal address",
            "letter subject and summary",
            "scans of letters",
        ),
        tables=("letters", "attachments"),
        retention="the case file's retention in the file plan, counted from 1 January "
        "after the year's closing; the registration number and the fact of "
        "registration are kept permanently",
        recipients=(
            "routing",
            "notifications",
            "protocol-events",
            "foreign-relations",
            "the archive (permanent files)",
        ),
    ),
    ProcessingActivity(
        name="Data subjects' requests",
        purpose="Answering requests for access and erasure (GDPR Art. 15 and 17)",
        legal_basis="GDPR Art. 6(1)(c): Art. 12 to 17",
        data_subjects=("residents who ask",),
        categories=("name", "e-mail", "phone", "the answers gathered"),
        tables=("personal_data_requests", "personal_data_parts"),
        retention="as the answers' own case file in the file plan",
        recipients=("the person who asked",),
    ),
)
