"""The plain core of foreign relations: nothing here knows Flask, SQLAlchemy or the broker.

``workflow`` holds the state machines (invitations, trips, visits, translations,
proposals), ``partners`` the facts of partner cities, agreements and plans,
``travel`` passports, per diems and a trip's checklist and budget, ``terms`` the
lead times of agreements, projects and translations. The use cases call these
functions with plain values, and the unit tests call them directly.
"""
