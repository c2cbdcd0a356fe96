"""Periodic jobs run once when the worker starts, then every period."""

from __future__ import annotations

import threading

from chancery.runtime import PeriodicJob, run_periodic_until
from chancery_testing import wait_for


def _start(job: PeriodicJob) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=run_periodic_until, args=(job, stop), daemon=True)
    thread.start()
    return stop, thread


def test_an_hourly_job_runs_at_start_not_an_hour_later():
    runs: list[int] = []
    stop, thread = _start(PeriodicJob("reminders", 3600, lambda: runs.append(1)))
    try:
        wait_for(lambda: runs, timeout=5, what="a run at start")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert runs == [1]
    assert not thread.is_alive()


def test_a_failing_first_run_is_logged_and_the_job_keeps_its_period():
    runs: list[int] = []

    def flaky() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("broker away")

    stop, thread = _start(PeriodicJob("flaky", 0.01, flaky))
    try:
        wait_for(lambda: len(runs) >= 3, timeout=5, what="runs after a failure")
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
