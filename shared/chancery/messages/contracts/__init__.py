"""Payload schemas of every message type, owned by their producers.

Schemas load tolerantly (``unknown=EXCLUDE``) so a producer may add fields
without breaking consumers; removing or changing a field is a new version.
"""

from marshmallow import EXCLUDE, Schema


class PayloadSchema(Schema):
    """Base of all payload schemas: unknown fields are ignored, not rejected."""

    class Meta:
        unknown = EXCLUDE
