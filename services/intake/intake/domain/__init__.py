"""Intake's rules as plain Python: who reads a letter and the citizen's access code
(``access``), what may be attached (``scans``), the statistics' periods (``statistics``),
the mirrored workflow status (``workflow``), the file plan (``file_plan``) and what the
search matches (``searching``). Nothing here knows that HTTP, SQL or AMQP exist
(decision 77)."""
