"""Protocol-events' rules as plain Python: an event's life, precedence, resource clashes,
reception slots and invitation answers (no Flask, SQLAlchemy, kombu, marshmallow or jwt)."""
