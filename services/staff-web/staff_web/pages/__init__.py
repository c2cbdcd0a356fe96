"""The page groups: one module (a blueprint) each."""
