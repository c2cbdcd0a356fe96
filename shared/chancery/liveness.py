"""Whether a worker's consumer or a relay's loop is still turning: what their ``/healthz`` says.

A process whose consumer thread died, or whose loop hangs, keeps its port open;
only a heartbeat from inside the loop tells a container engine or Kubernetes
to restart it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# A consumer turns at least once a second (kombu's drain timeout), a relay's loop once
# per batch or idle pause; half a minute without a turn is a stuck or dead loop.
DEFAULT_MAX_SILENCE_SECONDS = 30.0


class Heartbeat:
    """The time of the loop's last turn, read from the health endpoint's thread."""

    def __init__(
        self,
        max_silence_seconds: float = DEFAULT_MAX_SILENCE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max_silence = max_silence_seconds
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def beat(self) -> None:
        """The loop turned."""
        with self._lock:
            self._last = self._clock()

    def alive(self) -> bool:
        """Whether the loop turned within the allowed silence (never before its first turn)."""
        with self._lock:
            return self._last is not None and self._clock() - self._last <= self._max_silence
