"""The annotator window driven by keyboard and mouse, offscreen; export through capture/."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.i18n import Translator
from app.report import Annotation
from app.ui.annotator import AnnotatorWindow
from app.ui.qimage_convert import qimage_to_pil
from capture.annotate import render

# The offscreen platform plugin does not implement size-hint propagation and says so each
# time a window's layout changes its minimum size; that is the plugin, not this code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

W, H = 400, 300
KEYPAD = Qt.KeyboardModifier.NoModifier


def busy_image() -> Image.Image:
    """A screenshot stand-in where no 20x20 area is one flat colour."""
    img = Image.new("RGB", (W, H))
    img.putdata([((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256) for y in range(H)
                 for x in range(W)])
    draw = ImageDraw.Draw(img)
    for y in range(0, H, 16):
        draw.text((4, y), "password: hunter2 " * 4, fill=(255, 255, 255))
    return img


def is_uniform(img: Image.Image) -> bool:
    return all(lo == hi for lo, hi in img.getextrema())


@pytest.fixture
def image() -> Image.Image:
    return busy_image()


def open_window(
    qtbot: QtBot, image: Image.Image, shapes: list[Annotation] | None = None, lang: str = "en"
) -> Iterator[AnnotatorWindow]:
    win = AnnotatorWindow(image, shapes or [], Translator(lang))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.set_zoom(1.0)
    win.canvas.setFocus()
    qtbot.waitUntil(win.canvas.hasFocus)
    yield win
    win.close()


@pytest.fixture
def window(qtbot: QtBot, image: Image.Image) -> Iterator[AnnotatorWindow]:
    yield from open_window(qtbot, image)


def key(qtbot: QtBot, widget: QWidget, k: Qt.Key, mods: Qt.KeyboardModifier = KEYPAD) -> None:
    qtbot.keyClick(widget, k, mods)


def drag(qtbot: QtBot, widget: QWidget, start: QPointF, end: QPointF) -> None:
    a, b = start.toPoint(), end.toPoint()
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=a)
    mid = QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2)
    qtbot.mouseMove(widget, mid)
    qtbot.mouseMove(widget, b)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=b)


def test_keyboard_creates_moves_undoes_redoes_and_deletes_a_redaction(
    qtbot: QtBot, window: AnnotatorWindow
) -> None:
    canvas = window.canvas
    key(qtbot, canvas, Qt.Key.Key_R)  # the tool button's shortcut
    assert canvas.tool == "redact"
    assert window.tool_buttons["redact"].isChecked()

    key(qtbot, canvas, Qt.Key.Key_Return)
    [created] = window.annotations()
    assert created.kind == "redact" and created.w > 0 and created.h > 0
    # The whole 400x300 image is visible at zoom 1, so "the view centre" is its centre.
    assert abs(created.x + created.w / 2 - W / 2) <= 1
    assert abs(created.y + created.h / 2 - H / 2) <= 1
    assert window.isVisible(), "Enter must create a shape, not close the dialog"

    for _ in range(3):
        key(qtbot, canvas, Qt.Key.Key_Right)
    key(qtbot, canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    [moved] = window.annotations()
    assert (moved.x, moved.y, moved.w, moved.h) == (
        created.x + 3, created.y + 10, created.w, created.h
    )

    key(qtbot, canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)  # resize
    key(qtbot, canvas, Qt.Key.Key_Up,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    [resized] = window.annotations()
    assert (resized.x, resized.y, resized.w, resized.h) == (
        moved.x, moved.y, created.w - 1, created.h - 10
    )

    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations() == [moved], "one undo reverts the run of resizes"
    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations() == [created], "the next undo reverts the run of moves"
    key(qtbot, canvas, Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.annotations() == [moved]

    assert canvas.selected == 0
    key(qtbot, canvas, Qt.Key.Key_Delete)
    assert window.annotations() == []
    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations() == [moved]


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_mouse_draws_and_moves_in_image_coordinates(
    qtbot: QtBot, window: AnnotatorWindow, zoom: float
) -> None:
    window.set_zoom(zoom)
    canvas = window.canvas
    assert canvas.width() == round(W * zoom)
    key(qtbot, canvas, Qt.Key.Key_R)
    at = QPointF(50 * zoom, 40 * zoom)
    drag(qtbot, canvas, at, QPointF(150 * zoom, 100 * zoom))
    [drawn] = window.annotations()
    assert (drawn.kind, drawn.x, drawn.y, drawn.w, drawn.h) == ("redact", 50, 40, 100, 60)

    key(qtbot, canvas, Qt.Key.Key_S)
    inside = QPointF(100 * zoom, 70 * zoom)
    drag(qtbot, canvas, inside, inside + QPointF(20 * zoom, 10 * zoom))
    [moved] = window.annotations()
    assert (moved.x, moved.y, moved.w, moved.h) == (70, 50, 100, 60)

    # The handle at the bottom-right corner resizes.
    corner = QPointF(170 * zoom, 110 * zoom)
    drag(qtbot, canvas, corner, corner + QPointF(-30 * zoom, 20 * zoom))
    [resized] = window.annotations()
    assert (resized.x, resized.y, resized.w, resized.h) == (70, 50, 70, 80)

    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations() == [drawn]


def test_drawn_arrow_keeps_its_direction(qtbot: QtBot, window: AnnotatorWindow) -> None:
    key(qtbot, window.canvas, Qt.Key.Key_A)
    drag(qtbot, window.canvas, QPointF(200, 150), QPointF(120, 60))
    [arrow] = window.annotations()
    assert (arrow.kind, arrow.x, arrow.y, arrow.w, arrow.h) == ("arrow", 200, 150, -80, -90)


def test_exported_redaction_is_uniform_in_export_and_preview(
    qtbot: QtBot, window: AnnotatorWindow, image: Image.Image
) -> None:
    canvas = window.canvas
    key(qtbot, canvas, Qt.Key.Key_R)
    drag(qtbot, canvas, QPointF(30, 20), QPointF(230, 120))
    key(qtbot, canvas, Qt.Key.Key_Escape)  # deselect: no selection outline in the preview
    [a] = window.annotations()
    box = (a.x, a.y, a.x + a.w, a.y + a.h)
    assert not is_uniform(image.crop(box))

    exported = render(image, window.annotations())
    assert is_uniform(exported.crop(box))
    assert exported.getpixel((a.x, a.y)) == (0, 0, 0)
    assert exported.getpixel((a.x - 1, a.y)) == image.getpixel((a.x - 1, a.y))

    canvas.clearFocus()  # no focus frame over the image edge
    qtbot.waitUntil(lambda: not canvas.hasFocus())
    preview = qimage_to_pil(canvas.grab().toImage())
    assert preview.size == image.size
    assert is_uniform(preview.crop(box))
    assert preview.getpixel((a.x + 5, a.y + 5)) == exported.getpixel((a.x + 5, a.y + 5))


def test_tab_cycles_through_shapes_then_leaves_the_canvas(
    qtbot: QtBot, image: Image.Image
) -> None:
    shapes = [
        Annotation(kind="box", x=10, y=10, w=50, h=40),
        Annotation(kind="arrow", x=100, y=100, w=60, h=20),
        Annotation(kind="text", x=200, y=30, text="here"),
    ]
    for win in open_window(qtbot, image, shapes):
        canvas = win.canvas
        seen = []
        for _ in range(3):
            key(qtbot, canvas, Qt.Key.Key_Tab)
            seen.append(canvas.selected)
            assert canvas.hasFocus()
        assert seen == [0, 1, 2]
        assert "here" in win.text_field.text()
        key(qtbot, canvas, Qt.Key.Key_Tab)
        assert canvas.selected is None
        assert not canvas.hasFocus()
        canvas.setFocus()
        key(qtbot, canvas, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert canvas.selected == 2


def test_note_text_is_edited_through_the_text_field(qtbot: QtBot, window: AnnotatorWindow) -> None:
    canvas = window.canvas
    key(qtbot, canvas, Qt.Key.Key_T)
    key(qtbot, canvas, Qt.Key.Key_Return)
    [note] = window.annotations()
    assert note.kind == "text" and note.text == "Note"

    window.text_field.setFocus()
    window.text_field.selectAll()
    qtbot.keyClicks(window.text_field, "Both buttons")
    assert window.annotations()[0].text == "Both buttons"
    # Letters typed into the field must not switch tools.
    assert canvas.tool == "text"
    canvas.setFocus()
    key(qtbot, canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.annotations() == [note]


def test_zoom_by_keyboard_wheel_and_fit(qtbot: QtBot, image: Image.Image) -> None:
    big = image.resize((W * 6, H * 6))
    for win in open_window(qtbot, big):
        canvas = win.canvas
        key(qtbot, canvas, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
        assert win.zoom == pytest.approx(1.25)
        key(qtbot, canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        key(qtbot, canvas, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        assert win.zoom == pytest.approx(0.8)
        key(qtbot, canvas, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        viewport = win.view.viewport().size()
        assert canvas.width() <= viewport.width() and canvas.height() <= viewport.height()
        assert canvas.width() >= viewport.width() - 2 or canvas.height() >= viewport.height() - 2
        fitted = win.zoom
        key(qtbot, canvas, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert win.zoom == 1.0
        assert fitted < 1.0


def test_every_control_has_an_accessible_name(window: AnnotatorWindow) -> None:
    controls = [*window.findChildren(QAbstractButton), *window.findChildren(QLineEdit)]
    assert len(controls) > 10
    unnamed = [c.text() for c in controls if not c.accessibleName()]  # type: ignore[attr-defined]
    assert unnamed == []
    assert window.canvas.accessibleName()


def test_status_describes_the_selection_in_the_users_language(
    qtbot: QtBot, image: Image.Image
) -> None:
    shapes = [Annotation(kind="redact", x=10, y=20, w=30, h=40, color="#000000")]
    for win in open_window(qtbot, image, shapes, lang="ru"):
        key(qtbot, win.canvas, Qt.Key.Key_Tab)
        text = win.status.text()
        assert "Закрашенная область 1 из 1" in text
        assert win.canvas.accessibleDescription() == text
        assert win.tool_buttons["redact"].text().startswith("Закрасить")
