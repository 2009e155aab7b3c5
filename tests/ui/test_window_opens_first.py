"""The report window opens first, the slow parts follow: diagnostics start on a worker
thread once the window is on the screen, and nothing waits for them before then."""

from __future__ import annotations

import threading
import time

from app.report import Diagnostics
from app.ui.report_prep import LaterRun


class _Run:
    def __init__(self, found: Diagnostics) -> None:
        self.found = found

    def done(self) -> bool:
        return True

    def result(self, timeout: float | None = None) -> Diagnostics:
        return self.found


def test_diagnostics_start_only_when_begun_and_off_the_calling_thread() -> None:
    found = Diagnostics(duration_ms=12.0)
    started_on: list[str] = []
    gate = threading.Event()

    def start() -> _Run:
        started_on.append(threading.current_thread().name)
        gate.wait(5)  # as slow as importing the collectors
        return _Run(found)

    later = LaterRun(start)
    assert not later.done()
    time.sleep(0.05)
    assert started_on == []  # building the window asks, and nothing starts

    t0 = time.monotonic()
    later.begin()
    assert time.monotonic() - t0 < 0.5  # begin() hands the work on, it does not wait
    assert later.result(timeout=0).duration_ms == 0.0  # not ready: nothing collected yet
    gate.set()
    assert later.result(timeout=5) is found
    assert later.done()
    assert started_on == ["flare-diagnostics-start"]


def test_a_collector_that_cannot_start_leaves_an_empty_result() -> None:
    def start() -> _Run:
        raise RuntimeError("no collectors")

    later = LaterRun(start)
    later.begin()
    assert later.result(timeout=5) == Diagnostics()
    assert later.done()
