"""The step-recorder toolbar against a fake grabber (offscreen), and once on a real X server."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.i18n import Translator
from app.report import MonitorInfo
from app.ui.capture_toolbar import CaptureToolbar, recorded_steps
from capture.errors import CaptureError
from capture.grab import Frame
from capture.recorder import StepRecorder

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

REPO = Path(__file__).resolve().parents[2]


class FakeGrab:
    """Stands in for the screen; records whether the toolbar was on screen at each grab."""

    def __init__(self) -> None:
        self.toolbar: CaptureToolbar | None = None
        self.visible_at_grab: list[bool] = []
        self.clicks: list[tuple[int, int] | None] = []
        self.fail_with: CaptureError | None = None

    def __call__(self, click: tuple[int, int] | None) -> Frame:
        assert self.toolbar is not None
        self.visible_at_grab.append(self.toolbar.isVisible())
        self.clicks.append(click)
        if self.fail_with is not None:
            raise self.fail_with
        return Frame(
            Image.new("RGB", (64, 48), (len(self.clicks), 0, 0)),
            MonitorInfo(index=1, left=100, top=0, width=64, height=48, scale=1.0),
            datetime(2026, 11, 25, 10, 23, len(self.clicks), tzinfo=UTC),
            float(len(self.clicks)),
        )


@pytest.fixture
def grab() -> FakeGrab:
    return FakeGrab()


def make_toolbar(qtbot: QtBot, grab: FakeGrab, limit: int = 3, lang: str = "en") -> CaptureToolbar:
    recorder = StepRecorder(grab, step_limit=limit)
    bar = CaptureToolbar(recorder, Translator(lang), hide_delay_ms=5)
    grab.toolbar = bar
    qtbot.addWidget(bar)
    bar.start()
    qtbot.waitExposed(bar)
    return bar


@pytest.fixture
def toolbar(qtbot: QtBot, grab: FakeGrab) -> Iterator[CaptureToolbar]:
    bar = make_toolbar(qtbot, grab)
    yield bar
    bar.close()


def click_capture(qtbot: QtBot, bar: CaptureToolbar) -> int:
    with qtbot.waitSignal(bar.step_captured, timeout=3000) as blocker:
        qtbot.mouseClick(bar.capture_button, Qt.MouseButton.LeftButton)
    value = blocker.args[0] if blocker.args else -1
    assert isinstance(value, int)
    return value


def test_capture_hides_the_toolbar_during_the_grab_and_counts(
    qtbot: QtBot, toolbar: CaptureToolbar, grab: FakeGrab
) -> None:
    assert toolbar.counter.text() == "Step 0 of 3"
    assert not toolbar.caption.isEnabled()
    assert click_capture(qtbot, toolbar) == 1
    assert grab.visible_at_grab == [False]
    assert toolbar.isVisible()
    assert toolbar.counter.text() == "Step 1 of 3"
    assert toolbar.recorder.count == 1
    assert toolbar.caption.isEnabled()


def test_caption_belongs_to_the_step_just_taken(
    qtbot: QtBot, toolbar: CaptureToolbar
) -> None:
    click_capture(qtbot, toolbar)
    qtbot.keyClicks(toolbar.caption, "  Opened the Export dialog ")
    click_capture(qtbot, toolbar)
    assert toolbar.caption.text() == "", "a new step starts with an empty caption"
    qtbot.keyClicks(toolbar.caption, "Clicked Export")
    assert [s.caption for s in toolbar.recorder.steps] == [
        "Opened the Export dialog",
        "Clicked Export",
    ]


def test_reaching_the_limit_disables_capture_and_says_why(
    qtbot: QtBot, grab: FakeGrab
) -> None:
    bar = make_toolbar(qtbot, grab, limit=2)
    click_capture(qtbot, bar)
    assert bar.capture_button.isEnabled()
    click_capture(qtbot, bar)
    assert bar.counter.text() == "Step 2 of 2"
    assert not bar.capture_button.isEnabled()
    assert bar.status.isVisibleTo(bar)
    assert "at most 2 steps" in bar.status.text()
    bar.request_capture()
    qtbot.wait(50)
    assert len(grab.clicks) == 2, "no grab past the limit, whatever asks for it"


def test_stop_hands_over_the_steps(qtbot: QtBot, toolbar: CaptureToolbar) -> None:
    click_capture(qtbot, toolbar)
    click_capture(qtbot, toolbar)
    with qtbot.waitSignal(toolbar.stopped, timeout=1000) as blocker:
        qtbot.mouseClick(toolbar.stop_button, Qt.MouseButton.LeftButton)
    assert blocker.args is not None
    steps = recorded_steps(blocker.args[0])
    assert [s.frame.image.getpixel((0, 0)) for s in steps] == [(1, 0, 0), (2, 0, 0)]
    assert not toolbar.recorder.recording
    assert not toolbar.isVisible()


def test_a_failed_grab_is_shown_in_one_line_and_the_toolbar_comes_back(
    qtbot: QtBot, toolbar: CaptureToolbar, grab: FakeGrab
) -> None:
    grab.fail_with = CaptureError("The screen could not be read (timeout); try again.")
    with qtbot.waitSignal(toolbar.capture_failed, timeout=3000) as blocker:
        qtbot.mouseClick(toolbar.capture_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["The screen could not be read (timeout); try again."]
    assert toolbar.isVisible()
    assert toolbar.status.text() == "The screen could not be read (timeout); try again."
    assert toolbar.recorder.count == 0
    assert toolbar.capture_button.isEnabled()


def test_request_capture_from_another_thread_passes_the_click(
    qtbot: QtBot, toolbar: CaptureToolbar, grab: FakeGrab
) -> None:
    with qtbot.waitSignal(toolbar.step_captured, timeout=3000):
        worker = threading.Thread(target=toolbar.request_capture, args=((130, 20),))
        worker.start()
        worker.join()
    assert grab.clicks == [(130, 20)]
    # The recorder maps desktop coordinates onto the monitor that starts at x=100.
    assert toolbar.recorder.steps[0].click == (30, 20)


def test_keyboard_shortcut_captures_while_the_toolbar_is_active(
    qtbot: QtBot, toolbar: CaptureToolbar, grab: FakeGrab
) -> None:
    toolbar.activateWindow()
    qtbot.waitUntil(toolbar.isActiveWindow)
    with qtbot.waitSignal(toolbar.step_captured, timeout=3000):
        qtbot.keyClick(
            toolbar.capture_button,
            Qt.Key.Key_S,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert grab.visible_at_grab == [False]


def test_counter_in_ukrainian(qtbot: QtBot, grab: FakeGrab) -> None:
    bar = make_toolbar(qtbot, grab, limit=50, lang="uk")
    click_capture(qtbot, bar)
    assert bar.counter.text() == "Крок 1 з 50"
    assert bar.capture_button.accessibleName() == "Записати крок"


# --------------------------------------------------------------------------- real X server

CHILD = r"""
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "xcb"
import mss
from datetime import UTC, datetime
from PIL import Image
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
from app.i18n import Translator
from app.report import MonitorInfo
from app.ui.capture_toolbar import CaptureToolbar
from capture.grab import Frame
from capture.recorder import StepRecorder

out = sys.argv[1]
app = QApplication([])
sct = mss.MSS()

def shot():
    raw = sct.grab(sct.monitors[1])
    return Image.frombytes("RGB", raw.size, raw.bgra, "raw", "BGRX")

def grab(click):
    return Frame(shot(), MonitorInfo(index=1), datetime.now(UTC), time.monotonic())

bar = CaptureToolbar(StepRecorder(grab, step_limit=5), Translator("en"))
bar.start()
bar.move(200, 150)
QTest.qWaitForWindowExposed(bar)
QTest.qWait(300)
shot().save(f"{out}/with-toolbar.png")
done = []
bar.step_captured.connect(done.append)
bar.capture_step()
deadline = time.monotonic() + 10
while not done and time.monotonic() < deadline:
    QTest.qWait(20)
bar.recorder.steps[0].frame.image.save(f"{out}/step.png")
g = bar.frameGeometry()
shown_again = bar.isVisible()
bar.stop()
QTest.qWait(300)
shot().save(f"{out}/without-toolbar.png")
print(json.dumps({"x": g.x(), "y": g.y(), "w": g.width(), "h": g.height(),
                  "steps": len(done), "shown_again": shown_again}))
"""


@pytest.mark.xvfb
def test_toolbar_is_not_in_the_captured_step_on_x11(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tests" / "integration"))
    try:
        from xserver import start_xvfb
    finally:
        sys.path.pop(0)
    with start_xvfb([(800, 600)]) as xs:
        env = xs.env(PYTHONPATH=str(REPO))
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path)],
            env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
        )
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    assert info["steps"] == 1 and info["shown_again"]
    box = (info["x"], info["y"], info["x"] + info["w"], info["y"] + info["h"])
    with_bar = Image.open(tmp_path / "with-toolbar.png").convert("RGB").crop(box)
    without = Image.open(tmp_path / "without-toolbar.png").convert("RGB").crop(box)
    step = Image.open(tmp_path / "step.png").convert("RGB").crop(box)
    # The control: the toolbar really was on screen where we look.
    assert ImageChops.difference(with_bar, without).getbbox() is not None
    assert ImageChops.difference(step, without).getbbox() is None


@pytest.mark.parametrize("lang, words", [("en", "Wayland does not let applications see clicks"),
                                         ("uk", "Wayland не дозволяє застосункам бачити")])
def test_on_wayland_the_toolbar_says_once_why_clicks_are_not_steps(
    qtbot: QtBot, grab: FakeGrab, lang: str, words: str
) -> None:
    from capture.platform_info import PlatformInfo

    recorder = StepRecorder(grab, step_limit=3)
    bar = CaptureToolbar(recorder, Translator(lang), hide_delay_ms=5, click_capture=True,
                         platform=PlatformInfo("linux", wayland=True, x11_display=":0"))
    grab.toolbar = bar
    qtbot.addWidget(bar)
    bar.start()
    assert bar.click_steps is None
    assert bar.status.text().startswith(words)
    assert "Ctrl+Shift+S" in bar.status.text(), "the shortcut that does work is offered"
    assert bar.status.accessibleName() == bar.status.text()
    assert click_capture(qtbot, bar) == 1, "the button still takes steps"
    bar.close()


def test_a_click_step_fills_the_field_with_its_description_for_the_person_to_fix(
    qtbot: QtBot, grab: FakeGrab
) -> None:
    bar = make_toolbar(qtbot, grab)
    frame = grab(None)
    with qtbot.waitSignal(bar.step_captured, timeout=3000):
        bar.recorder.add(frame, click=(110, 10), description="Left click on 'Send' (button)")
        bar._clicked.emit()  # what ClickSteps' worker does after each step
    assert bar.caption.text() == "Left click on 'Send' (button)"
    assert bar.caption.accessibleName() == "Description of the step just taken"
    bar.caption.selectAll()
    qtbot.keyClicks(bar.caption, "Left click on 'Send now' (button)")
    assert bar.recorder.steps[-1].description == "Left click on 'Send now' (button)"
    assert bar.recorder.steps[-1].caption == ""
    bar.close()
