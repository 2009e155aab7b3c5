"""A window of one solid colour, managed by the window manager like any application's.

    python colour_window.py TITLE '#rrggbb' X Y W H

Prints ``ready X Y W H`` (the client area on the screen) once it is painted, then runs until
terminated. Journeys capture it and check the picture's size and pixels.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget


class Solid(QWidget):
    def __init__(self, title: str, colour: str) -> None:
        super().__init__()
        self.colour = QColor(colour)
        self.setWindowTitle(title)
        self.reported = False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.colour)
        painter.end()
        if not self.reported:
            self.reported = True
            QTimer.singleShot(300, self.report)

    def report(self) -> None:
        at = self.mapToGlobal(QPoint(0, 0))
        print(f"ready {at.x()} {at.y()} {self.width()} {self.height()}", flush=True)


def main() -> int:
    title, colour, *geometry = sys.argv[1:]
    x, y, w, h = map(int, geometry)
    app = QApplication(sys.argv[:1])
    window = Solid(title, colour)
    window.setGeometry(x, y, w, h)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
