"""gunicorn settings shared by every service's web process.

The app factory runs in each worker after the fork (no preloading), so
tracing's background thread and the database pool are per worker. With
``PROMETHEUS_MULTIPROC_DIR`` set, stale metric files are cleared at start
and a dead worker's gauges are dropped.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

worker_class = "sync"
threads = 4
keepalive = 5
accesslog = None
graceful_timeout = 10


def on_starting(_server: Any) -> None:
    """Start with an empty metrics directory."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(_server: Any, worker: Any) -> None:
    """Forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
