"""Flare's icons as PNG files drawn from the SVGs, at the sizes a tray and a window ask for.

Qt draws an SVG icon through its SVG icon engine plugin (QtSvg), 0.7 MB of the idle tray's
memory for one small picture; PNG is read by QtGui itself. The PNGs are committed beside the
SVGs and drawn from them by

    python -m app.ui.icon_files

after editing an SVG; a test checks that they still match.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

import resources
from app.ui.qtapp import ICON_NAMES, PNG_SIZES, png_path

ICONS_DIR = Path(resources.__file__).parent / "icons"

__all__ = ["ICONS_DIR", "png_path", "render", "write_pngs"]


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn at ``size`` x ``size`` on a transparent square."""
    from PySide6.QtSvg import QSvgRenderer  # only here: the tray reads the PNGs

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def write_pngs(folder: Path = ICONS_DIR) -> list[Path]:
    written = []
    for name in ICON_NAMES:
        for size in PNG_SIZES:
            target = png_path(name, size, folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not render(folder / f"{name}.svg", size).save(str(target)):  # PNG, from the name
                raise OSError(f"could not write {target}")
            written.append(target)
    return written


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])  # QPainter on a QImage wants an application object
    for path in write_pngs():
        print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
