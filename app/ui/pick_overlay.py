"""The full-screen overlay on which the person chooses a region or a window to capture.

The screen is grabbed first (with Flare's own windows hidden) and shown frozen under a dim
veil: what the person chooses is cut from that grab, so the overlay itself never appears in
the picture. Region: drag a rectangle, or use the keyboard (arrows move, Shift+arrows resize,
Alt for single pixels, Enter takes). Window: the window under the pointer is outlined; a click
takes it, Enter takes the outlined one (at first the window that was active before Flare's),
Tab and Shift+Tab go through the windows.
Esc cancels either.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QEvent, QEventLoop, QPoint, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QWidget

from app.i18n import Translator
from capture.geometry import Rect
from capture.window_pick import RegionSelection, WindowInfo, crop_box, window_at

PickKind = Literal["region", "window"]
_ARROWS = {Qt.Key.Key_Left: "left", Qt.Key.Key_Right: "right", Qt.Key.Key_Up: "up",
           Qt.Key.Key_Down: "down"}


class PickOverlay(QWidget):
    """Covers ``desktop`` (virtual desktop coordinates) with ``background``; :meth:`pick`
    returns the chosen rectangle, or None when the person cancels."""

    def __init__(self, t: Translator, kind: PickKind, background: QPixmap, desktop: Rect,
                 windows: list[WindowInfo] | None = None,
                 active: WindowInfo | None = None) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.Window)
        self.setObjectName("pick-overlay")
        self.t = t
        self.kind = kind
        self.background = background
        self.desktop = desktop
        self.windows = windows or []
        self.window_choice: WindowInfo | None = active
        self.selection = RegionSelection.centred(desktop)
        self._keyed = False  # no rectangle until the person drags or presses a key
        self._drag_from: QPoint | None = None
        self.result: Rect | None = None
        self._loop: QEventLoop | None = None
        title = (t.tr("Screenshot of a region") if kind == "region"
                 else t.tr("Screenshot of a window"))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.CrossCursor if kind == "region"
                       else Qt.CursorShape.PointingHandCursor)
        # The grab is in device pixels; Qt places and reports in logical ones (HiDPI scaling).
        screen = QGuiApplication.primaryScreen()
        self._dpr = screen.devicePixelRatio() if screen is not None else 1.0
        self.setGeometry(QRect(*(round(v / self._dpr) for v in (
            desktop.left, desktop.top, desktop.width, desktop.height))))
        self._wayland = QGuiApplication.platformName().startswith("wayland")

    def pick(self) -> Rect | None:
        if self._wayland:  # no client places its own windows there
            self.showFullScreen()
        else:
            self.show()
        self.raise_()
        self.activateWindow()
        self.grabKeyboard()  # Esc must reach the overlay whatever the window manager does
        self._loop = QEventLoop()
        self._loop.exec()
        self.releaseKeyboard()
        self.hide()
        self.deleteLater()
        return self.result

    def _finish(self, result: Rect | None) -> None:
        self.result = result
        if self._loop is not None:
            self._loop.quit()

    # --- what is chosen -------------------------------------------------------------------

    def chosen(self) -> Rect | None:
        if self.kind == "window":
            return self.window_choice.frame if self.window_choice else None
        return self.selection.region if self._keyed or self._drag_from else None

    def _desktop_point(self, pos: QPoint) -> tuple[int, int]:
        return (round(pos.x() * self._dpr) + self.desktop.left,
                round(pos.y() * self._dpr) + self.desktop.top)

    # --- input ----------------------------------------------------------------------------

    _OWN_KEYS = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                           Qt.Key.Key_Backtab, *_ARROWS})

    def event(self, event: QEvent) -> bool:
        # The overlay's keys are its own, with any modifier: a shortcut of another Flare window
        # (the report window's Alt+Left is Back) must not take Alt+arrow from it.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() in self._OWN_KEYS):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._finish(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.chosen()
            if self.kind == "region" and chosen is None:
                chosen = self.selection.region  # Enter at once takes the offered middle
            if chosen is not None and (self.kind == "window" or self.selection.usable()):
                self._finish(chosen)
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and self.kind == "window":
            self._cycle(-1 if key == Qt.Key.Key_Backtab else 1)
        elif key in _ARROWS and self.kind == "region":
            mods = event.modifiers()
            self.selection = self.selection.key(
                _ARROWS[Qt.Key(key)], shift=bool(mods & Qt.KeyboardModifier.ShiftModifier),
                fine=bool(mods & Qt.KeyboardModifier.AltModifier))
            self._keyed = True
            self.update()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._finish(None)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.kind == "window":
            self._hover(event.position().toPoint())
            if self.window_choice is not None:
                self._finish(self.window_choice.frame)
            return
        self._drag_from = event.position().toPoint()
        x, y = self._desktop_point(self._drag_from)
        self.selection = self.selection.dragged(x, y, x, y)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self.kind == "window":
            self._hover(pos)
        elif self._drag_from is not None:
            self.selection = self.selection.dragged(*self._desktop_point(self._drag_from),
                                                    *self._desktop_point(pos))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.kind != "region" or self._drag_from is None:
            return
        self.selection = self.selection.dragged(*self._desktop_point(self._drag_from),
                                                *self._desktop_point(event.position().toPoint()))
        self._drag_from = None
        self._keyed = True
        if self.selection.usable():
            self._finish(self.selection.region)
        else:  # a click, not a drag: the keyboard can still make the region
            self.update()

    def _cycle(self, step: int) -> None:
        """Tab outlines the next window down the stack, Shift+Tab the one above."""
        if not self.windows:
            return
        at = self.windows.index(self.window_choice) if self.window_choice in self.windows else -1
        self.window_choice = self.windows[(at + step) % len(self.windows)]
        self.update()

    def focusNextPrevChild(self, next: bool) -> bool:
        return False  # Tab is ours: it goes through the windows

    def _hover(self, pos: QPoint) -> None:
        under = window_at(self.windows, *self._desktop_point(pos))
        if under is not None and under != self.window_choice:
            self.window_choice = under
            self.update()

    # --- drawing --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        whole = self.rect()
        painter.drawPixmap(whole, self.background)
        painter.fillRect(whole, QColor(0, 0, 0, 110))
        chosen = self.chosen()
        if chosen is not None:
            # The background is the grab itself: the chosen part is its own pixels.
            x0, y0, x1, y1 = crop_box(chosen, self.desktop,
                                      (self.background.width(), self.background.height()))
            source = QRect(x0, y0, x1 - x0, y1 - y0)
            sx = whole.width() / max(self.background.width(), 1)
            sy = whole.height() / max(self.background.height(), 1)
            box = QRect(round(source.x() * sx), round(source.y() * sy),
                        round(source.width() * sx), round(source.height() * sy))
            painter.drawPixmap(box, self.background, source)
            painter.setPen(QPen(QColor(255, 200, 0), 2))
            painter.drawRect(box.adjusted(-1, -1, 0, 0))
        hint = (self.t.tr("Drag over what to capture, or use the arrow keys (Shift+arrows "
                          "resize) and press Enter. Esc cancels.")
                if self.kind == "region" else
                self.t.tr("Click the window to capture, or press Enter for the outlined "
                          "one (Tab goes to the next). Esc cancels."))
        metrics = painter.fontMetrics()
        text_box = metrics.boundingRect(hint).adjusted(-10, -6, 10, 6)
        text_box.moveTopLeft(QPoint((whole.width() - text_box.width()) // 2, 12))
        painter.fillRect(text_box, QColor(30, 30, 30, 220))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, hint)
        painter.end()
