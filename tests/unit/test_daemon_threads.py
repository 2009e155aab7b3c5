"""app.daemon_threads: waits end at their limits, late and failed work reads as None."""

from __future__ import annotations

import threading
import time

from app.daemon_threads import call_bounded, run_bounded


def test_each_task_gets_its_own_limit_and_late_ones_are_abandoned() -> None:
    release = threading.Event()

    def late() -> str:
        release.wait(5)
        return "late"

    def broken() -> str:
        raise RuntimeError("boom")

    started = time.monotonic()
    try:
        results = run_bounded([lambda: "quick", late, broken], [1.0, 0.2, 1.0])
    finally:
        release.set()
    assert results == ["quick", None, None]
    assert time.monotonic() - started < 2.0


def test_the_wait_is_counted_from_the_start_not_per_task() -> None:
    # Three tasks of 0.3 s with limits of 0.5 s each run side by side: well under 0.9 s.
    started = time.monotonic()
    results = run_bounded([lambda: time.sleep(0.3) or 1] * 3, [0.5] * 3)
    assert results == [1, 1, 1]
    assert time.monotonic() - started < 0.8


def test_call_bounded_runs_on_a_daemon_thread() -> None:
    seen = call_bounded(lambda: threading.current_thread().daemon, 1.0, name="probe")
    assert seen is True
    assert call_bounded(lambda: time.sleep(2), 0.05) is None
