"""Intake's adapters: the tables (``models``), the queries beyond ``session.get``
(``repositories``), taking a register's number (``numbering``), the text search per
database (``search``), the scans' store (``storage``), their text (``extraction``), the
status lookup's counters (``lookups``) and the printable documents (``inventory``,
``people_documents``)."""
