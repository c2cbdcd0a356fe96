"""JSON logs that carry the trace id and never personal data.

Log records name ids (letter id, message id, registration number), never
names, e-mails or subjects: that is a rule for callers, which this module
supports by emitting only the fields it is given in ``extra``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from chancery.telemetry import current_trace_id

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
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
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Werkzeug's access lines carry query strings (a citizen's access code);
    # alembic and kombu chatter at INFO is not what operators look for.
    for noisy in ("werkzeug", "alembic", "kombu"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
