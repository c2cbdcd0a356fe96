"""Protocol events: official events, delegations' programmes, receptions and reception hours."""
