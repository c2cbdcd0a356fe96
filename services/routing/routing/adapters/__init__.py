"""Routing's adapters: the tables (``models``) and the queries beyond ``session.get``
(``repositories``)."""
