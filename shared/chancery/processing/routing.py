"""Routing's processing activities: the letters' workflow and the staff directory."""

from chancery.processing import ProcessingActivity

ACTIVITIES = (
    ProcessingActivity(
        name="Letters' workflow",
        purpose="Distributing letters to departments, deadlines, assignments, endorsements",
        legal_basis="GDPR Art. 6(1)(e): the law on public administration (complaints and "
        "applications answered in time)",
        data_subjects=("correspondents named in subjects and task texts", "staff"),
        categories=(
            "letter subject",
            "sender's organisation",
            "assignment and task texts and reports",
        ),
        tables=("letters", "assignments", "endorsements"),
        retention="as the letter's case file in the file plan",
        recipients=("intake", "notifications"),
    ),
    ProcessingActivity(
        name="Staff directory",
        purpose="Who works in which department, in which roles, how to reach them",
        legal_basis="GDPR Art. 6(1)(b) and (c): employment",
        data_subjects=("staff",),
        categories=("name", "e-mail", "phone", "position", "roles"),
        tables=("staff_members",),
        retention="while employed; then as the personnel files",
        recipients=("notifications",),
    ),
)
