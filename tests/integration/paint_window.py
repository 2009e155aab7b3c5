"""Show images at exact desktop positions on an X server, for capture tests and benchmarks.

Run as a subprocess (Qt stays out of the test process and out of capture/):

    QT_QPA_PLATFORM=xcb DISPLAY=:N python paint_window.py IMAGE@X,Y [IMAGE@X,Y ...] [--tick S]

Each image is painted 1:1 in a frameless, unmanaged window at (X, Y). The script prints
``ready`` once every window has been exposed and painted, then runs until terminated. With
``--tick S`` a counter strip in the top-left corner of the first window changes every S
seconds (a "changing screen" for the replay benchmark).
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"
os.environ["QT_SCALE_FACTOR"] = "1"

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget


class ImageWindow(QWidget):
    def __init__(self, image: QImage, pos: QPoint) -> None:
        super().__init__(
            None,
            Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.X11BypassWindowManagerHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.image = image
        self.painted = False
        self.counter = -1
        self.setFixedSize(image.size())
        self.move(pos)

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.drawImage(0, 0, self.image)
        if self.counter >= 0:
            p.fillRect(0, 0, 420, 40, QColor("#202020"))
            p.setPen(QColor("#ffffff"))
            p.setFont(QFont("DejaVu Sans", 18))
            p.drawText(10, 30, f"tick {self.counter}  typing: {'x' * (self.counter % 20)}")
        p.end()
        self.painted = True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("images", nargs="+", help="IMAGE@X,Y")
    ap.add_argument("--tick", type=float, default=0.0)
    args = ap.parse_args()
    app = QApplication(sys.argv[:1])
    windows: list[ImageWindow] = []
    for spec in args.images:
        path, _, where = spec.rpartition("@")
        x, y = (int(v) for v in where.split(","))
        img = QImage(path).convertToFormat(QImage.Format.Format_RGB32)
        if img.isNull():
            print(f"cannot read {path}", file=sys.stderr)
            return 2
        w = ImageWindow(img, QPoint(x, y))
        w.show()
        windows.append(w)

    def check_ready() -> None:
        if all(w.painted for w in windows):
            app.sync()
            print("ready", flush=True)
        else:
            QTimer.singleShot(20, check_ready)

    QTimer.singleShot(50, check_ready)
    if args.tick > 0:

        def tick() -> None:
            windows[0].counter += 1
            windows[0].update()

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(int(args.tick * 1000))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
