"""The report window opens first, the slow parts follow: diagnostics start on a worker
thread once the window is on the screen, and nothing waits for them before then."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

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


def test_the_menu_prepares_the_form_and_the_window_waits_for_nothing(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the tray does while its menu is open (the form state, the program in front) is
    what the window opened from it uses; the diagnostics and the judge begin only once the
    window is painted."""
    import app.wiring as wiring
    from app.context import AppContext
    from app.ui import app as tray_app
    from app.ui.app import FlareApp

    built: list[str] = []
    real_state = wiring.default_form_state
    monkeypatch.setattr(wiring, "default_form_state",
                        lambda ctx, lang: built.append(lang) or real_state(ctx, lang))
    reads: list[float] = []
    monkeypatch.setattr(tray_app, "program_in_front",
                        lambda: reads.append(time.monotonic()) or "Inbox - Outlook")
    began: list[str] = []
    judged = threading.Event()
    monkeypatch.setattr(tray_app, "prepare_judge", judged.set)
    ctx = AppContext.for_tests(tmp_path)

    def deps(c: AppContext) -> wiring.FlowDeps:
        d = wiring.flow_deps(c)
        d.capturer = None

        def start() -> _Run:
            began.append(threading.current_thread().name)
            return _Run(Diagnostics(duration_ms=1.0))

        d.start_diagnostics = start
        return d

    flare = FlareApp(ctx, deps_factory=deps)
    flare.warm_up()  # the menu opens
    assert built == ["en"] and len(reads) <= 1
    flare._menu_closed_at = time.monotonic()  # "Report a problem" chosen
    window = flare.open_report()
    assert window is not None
    assert built == ["en"], "the window made the form state again"
    assert len(reads) == 1, "the program in front was read again at the click"
    assert began == [] and not judged.is_set(), "background work began before the paint"
    qtbot.waitUntil(lambda: bool(began) and judged.is_set(), timeout=5_000)
    assert flare.flow is not None
    flare.flow.set_category("app_error")
    assert flare.flow.answers["application"][0] == "Inbox - Outlook"
    window.close()
    flare.flow.discard_draft()
    flare.flow = None
    # A menu closed long ago stands for nothing: the person may have moved on.
    flare.warm_up()
    flare._menu_closed_at = time.monotonic() - 10
    window = flare.open_report()
    assert window is not None
    assert built == ["en", "en", "en"] and len(reads) == 3
    window.close()


def test_the_program_in_front_is_read_before_the_window_loads_and_bounded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Read beside the window's loading, each X round trip of the read waited for the GIL
    (74 ms of the cold window): it is read first, waited for no longer than the window
    waited for it before, and a display that hangs costs that bound, not more."""
    from app.ui import report_prep

    monkeypatch.setattr(report_prep, "IN_FRONT_WAIT_S", 0.2)
    t0 = time.monotonic()
    pending, began = report_prep.read_in_front(lambda: "Inbox - Outlook")
    assert pending.result(0) == "Inbox - Outlook", "not waited for"
    assert t0 <= began <= time.monotonic()

    hung = threading.Event()
    t0 = time.monotonic()
    pending, began = report_prep.read_in_front(lambda: "late" if hung.wait(5) else "")
    waited = time.monotonic() - t0
    assert 0.2 <= waited < 1.0, waited
    assert pending.result(0) is None
    hung.set()
