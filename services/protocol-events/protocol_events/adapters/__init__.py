"""Protocol-events' outside things: its tables (``models``) and its queries beyond
``session.get`` (``repositories``)."""
