"""Foreign-relations' processing activities: partners' contacts, trips and visits."""

from chancery.processing import ProcessingActivity

ACTIVITIES = (
    ProcessingActivity(
        name="Trips of delegations",
        purpose="Organising official trips abroad: travellers, documents, per diems",
        legal_basis="GDPR Art. 6(1)(c): the rules on business trips and their expenses",
        data_subjects=("staff and officials who travel",),
        categories=("name", "position", "passport validity"),
        tables=("travellers", "trips"),
        retention="as accounting documents (the trip's case file in the file plan)",
        recipients=("the accounting department",),
    ),
    ProcessingActivity(
        name="Incoming visits and partners' contacts",
        purpose="Receiving foreign delegations and keeping in touch with partner cities",
        legal_basis="GDPR Art. 6(1)(e): the municipality's international cooperation",
        data_subjects=(
            "members of visiting delegations",
            "partners' contact people",
            "senders of invitations",
        ),
        categories=("name", "position", "e-mail", "phone"),
        tables=("visits", "partner_contacts", "inbound_letters", "invitations"),
        retention=(
            "while the partnership lasts; visits and invitation letters as their case "
            "file, invitation letters emptied by its destruction act"
        ),
        recipients=("protocol-events", "notifications"),
    ),
)
