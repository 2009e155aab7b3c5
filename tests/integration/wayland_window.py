"""A Qt window on Wayland that paints a known picture, for the portal capture test.

Run as a subprocess: ``QT_QPA_PLATFORM=wayland python wayland_window.py``. sway tiles it over
the whole output; it paints four coloured quadrants with a 16-colour band across the middle,
prints ``ready`` after the first paint and runs until terminated.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "wayland")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

QUADRANTS = ("#d01c1c", "#1cb01c", "#1c3cd0", "#e0c020")  # top-left, top-right, bottom-l, -r
BAND = [QColor.fromHsv(h * 22, 200, 230) for h in range(16)]


class Picture(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Flare Wayland test picture")
        self.announced = False

    def paintEvent(self, _event: object) -> None:
        w, h = self.width(), self.height()
        p = QPainter(self)
        for i, colour in enumerate(QUADRANTS):
            p.fillRect((i % 2) * w // 2, (i // 2) * h // 2, w - w // 2, h - h // 2,
                       QColor(colour))
        step = w // len(BAND)
        for i, colour in enumerate(BAND):
            p.fillRect(i * step, h // 2 - 20, step, 40, colour)
        p.end()
        if not self.announced:
            self.announced = True
            # After the buffer is committed, not while painting into it.
            QTimer.singleShot(100, lambda: print("ready", w, h, flush=True))


def main() -> int:
    app = QApplication(sys.argv[:1])
    win = Picture()
    win.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
