"""Routing's rules as plain Python: the letter's workflow, the routing rules, the legal
deadlines, the executor's due date and the endorsement circuit. Nothing here knows that
HTTP, SQL or AMQP exist (decision 77)."""
