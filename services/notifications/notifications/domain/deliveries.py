"""A delivery's states and when a failed one is tried again.

queued → sending → delivered, or a temporary failure (tried again after an
exponential backoff) until the attempts run out, or a permanent failure with
the reason (decision 9).
"""

from __future__ import annotations

import random
from datetime import timedelta

QUEUED, SENDING = "queued", "sending"
DELIVERED, TEMPORARY, PERMANENT = "delivered", "temporary_failure", "permanent_failure"
STATES = (QUEUED, SENDING, DELIVERED, TEMPORARY, PERMANENT)
RETRYABLE = (QUEUED, TEMPORARY)
# The longest wait between two attempts, however many failed.
MAX_BACKOFF_SECONDS = 3600.0


def backoff(backoff_seconds: float, attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: doubling from
    ``backoff_seconds``, at most an hour, spread by ±10 % so retries do not come in waves."""
    seconds = min(MAX_BACKOFF_SECONDS, backoff_seconds * 2 ** (attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))
