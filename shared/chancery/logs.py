"""JSON logs that carry the trace id and never personal data.

Log records name ids (letter id, message id, registration number), never
names, e-mails or subjects: that is a rule for callers, which this module
supports by emitting only the fields it is given in ``extra``.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from chancery.db import describe_error
from chancery.telemetry import current_trace_id

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def safe_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and its causes, each described by :func:`describe_error`.

    Python's own formatting repeats ``str()`` of every exception in the chain,
    and a database error's text carries the row it failed on (names,
    addresses, subjects); this keeps the frames and drops those values.
    """
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts = [
        f"Traceback (most recent call last):\n"
        f"{''.join(traceback.format_tb(link.__traceback__))}"
        f"{type(link).__module__}.{type(link).__qualname__}: {describe_error(link)}"
        for link in reversed(chain)
    ]
    return "\n\nwhich led to\n\n".join(parts)


class SafeExceptionFormatter(logging.Formatter):
    """Plain text lines whose tracebacks keep no database values (:func:`safe_traceback`)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        """The safe traceback of ``ei``'s exception."""
        return safe_traceback(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        """The line, with a traceback formatted here (another handler may have cached its own)."""
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


class JsonFormatter(SafeExceptionFormatter):
    """One JSON object per line: time, level, logger, message, trace id, extras."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace_id = current_trace_id()
        if trace_id:
            entry["trace_id"] = trace_id
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Send the root logger to stderr as JSON (or plain text with ``fmt='text'``)."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(
            SafeExceptionFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Werkzeug's access lines carry query strings (a citizen's access code);
    # alembic and kombu chatter at INFO is not what operators look for.
    for noisy in ("werkzeug", "alembic", "kombu"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
