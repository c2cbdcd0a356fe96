"""Notifications' rules as plain Python: templates and their rendering, the words codes and
dates become, what a webhook may carry, calendar files, who is told what.

Nothing here knows HTTP, SQL or AMQP (decision 77).
"""
