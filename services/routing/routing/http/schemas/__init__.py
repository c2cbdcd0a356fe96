"""Routing's HTTP schemas, one module per resource, on ``chancery.validation.StrictSchema``."""
