"""The region and window overlay by keyboard and mouse (offscreen Qt; the journey does it on a
real X server)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.i18n import Translator
from app.ui.pick_overlay import PickOverlay
from capture.geometry import Rect
from capture.window_pick import KEY_STEP, WindowInfo

DESKTOP = Rect(0, 0, 1200, 900)
TOP = WindowInfo(1, "Top", Rect(100, 100, 300, 200))
BELOW = WindowInfo(2, "Below", Rect(50, 50, 600, 500))


def overlay(qtbot: QtBot, kind: str, **kw: object) -> PickOverlay:
    pixmap = QPixmap(DESKTOP.width, DESKTOP.height)
    pixmap.fill(QColor("steelblue"))
    widget = PickOverlay(Translator("en"), kind, pixmap, DESKTOP, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_region_by_keyboard(qtbot: QtBot) -> None:
    w = overlay(qtbot, "region")
    start = w.selection.region
    assert start == Rect(400, 300, 400, 300)
    QTest.keyClick(w, Qt.Key.Key_Right)
    QTest.keyClick(w, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert w.result is None
    QTest.keyClick(w, Qt.Key.Key_Return)
    assert w.result == Rect(400 + KEY_STEP - 1, 300, 400, 300 + KEY_STEP)


def test_region_by_drag_and_esc_cancels(qtbot: QtBot) -> None:
    w = overlay(qtbot, "region")
    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(500, 400))
    QTest.mouseMove(w, QPoint(600, 450))
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=QPoint(300, 200))
    assert w.result == Rect(300, 200, 200, 200)  # dragged up and left: still a rectangle
    cancelled = overlay(qtbot, "region")
    QTest.keyClick(cancelled, Qt.Key.Key_Escape)
    assert cancelled.result is None


def test_window_enter_takes_the_active_one_tab_goes_on(qtbot: QtBot) -> None:
    w = overlay(qtbot, "window", windows=[TOP, BELOW], active=BELOW)
    QTest.keyClick(w, Qt.Key.Key_Tab)
    assert w.window_choice == TOP  # after the last, the first again
    QTest.keyClick(w, Qt.Key.Key_Backtab)
    QTest.keyClick(w, Qt.Key.Key_Return)
    assert w.result == BELOW.frame


def test_window_click_takes_the_topmost_under_the_pointer(qtbot: QtBot) -> None:
    w = overlay(qtbot, "window", windows=[TOP, BELOW], active=BELOW)
    QTest.mouseClick(w, Qt.MouseButton.LeftButton, pos=QPoint(150, 150))
    assert w.result == TOP.frame
