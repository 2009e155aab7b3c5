"""The committed PNG icons are the SVGs drawn at each size, and the tray reads them without
Qt's SVG icon engine (issue 12: idle RSS)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.ui.icon_files import ICONS_DIR, png_path, render, write_pngs
from app.ui.qtapp import ICON_NAMES, PNG_SIZES, app_icon


def _max_difference(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    assert a.size() == b.size()
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            channels = (abs(((pa >> s) & 255) - ((pb >> s) & 255)) for s in (0, 8, 16, 24))
            worst = max(worst, *channels)
    return worst


@pytest.mark.parametrize("name", ICON_NAMES)
@pytest.mark.parametrize("size", [s for s in PNG_SIZES if s <= 64])
def test_each_png_is_its_svg_drawn_at_that_size(qtbot: QtBot, name: str, size: int) -> None:
    committed = QImage(str(png_path(name, size)))
    assert not committed.isNull(), f"run python -m app.ui.icon_files ({name}-{size}.png)"
    # A little leeway for another Qt's antialiasing; an edited SVG differs by far more.
    assert _max_difference(committed, render(ICONS_DIR / f"{name}.svg", size)) <= 8


def test_the_large_pngs_are_there_at_their_sizes(qtbot: QtBot) -> None:
    for name in ICON_NAMES:
        for size in PNG_SIZES:
            image = QImage(str(png_path(name, size)))
            assert (image.width(), image.height()) == (size, size), png_path(name, size)


def test_the_command_writes_every_png(qtbot: QtBot, tmp_path: Path) -> None:
    for name in ICON_NAMES:
        (tmp_path / f"{name}.svg").write_bytes((ICONS_DIR / f"{name}.svg").read_bytes())
    written = write_pngs(tmp_path)
    assert len(written) == len(ICON_NAMES) * len(PNG_SIZES)
    assert all(QImage(str(p)).width() > 0 for p in written)


def test_the_icon_has_every_size(qtbot: QtBot) -> None:
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert sizes == {(s, s) for s in PNG_SIZES}


def test_the_tray_icon_loads_no_svg_engine() -> None:
    probe = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from app.ui.qtapp import app_icon\n"
        "for name in ('flare', 'flare-recording'):\n"
        "    assert not app_icon(name).pixmap(22, 22).isNull()\n"
        "maps = open('/proc/self/maps').read()\n"
        "print('svg' if 'Svg' in maps or 'qsvg' in maps else 'none')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.split() == ["none"], done.stdout + done.stderr
