"""gunicorn settings shared by every service's web process.

The app factory runs in each worker after the fork (no preloading), so
tracing's background thread and the database pool are per worker. With
``PROMETHEUS_MULTIPROC_DIR`` set, a dead worker's gauges are dropped; the
directory is emptied by whatever starts the service's processes (the
worker and relay write their samples there too, so /metrics shows them).
"""

from __future__ import annotations

import os
from typing import Any

worker_class = "sync"
threads = 4
keepalive = 5
accesslog = None
graceful_timeout = 10


def child_exit(_server: Any, worker: Any) -> None:
    """Forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
