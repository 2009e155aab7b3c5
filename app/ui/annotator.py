"""The annotator: draw boxes, arrows, text, highlights and redactions over one step image.

Annotations are data (``app.report.Annotation``, image pixel coordinates). This window only
edits that list; the exported image is drawn by ``capture.annotate.render``, which is Qt-free.
The preview here follows the renderer's geometry (line width, highlight alpha, arrow head,
text size, opaque redaction fill) so what the user sees is what support receives.

Keyboard: S/B/A/T/H/R pick a tool; Enter creates a shape of that tool at the view centre;
arrows move the selection (Shift: 10 px), Ctrl+arrows resize it (Ctrl+Shift: 10 px); Delete
removes it; Tab / Shift+Tab cycle through the shapes and then on to the other controls;
Escape deselects; Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+plus / Ctrl+minus zoom,
Ctrl+0 fits the image to the window, Ctrl+1 shows it at 100 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from PIL import Image
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
    QUndoCommand,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import Translator
from app.report import Annotation, AnnotationKind
from app.ui.qimage_convert import pil_to_qimage
from capture.annotate import HIGHLIGHT_ALPHA

Tool = Literal["select", "box", "arrow", "text", "highlight", "redact"]
TOOLS: tuple[Tool, ...] = ("select", "box", "arrow", "text", "highlight", "redact")
TOOL_KEYS: dict[Tool, str] = {
    "select": "S", "box": "B", "arrow": "A", "text": "T", "highlight": "H", "redact": "R",
}
DEFAULT_COLORS: dict[AnnotationKind, str] = {
    "box": "#e53935",
    "arrow": "#e53935",
    "text": "#e53935",
    "highlight": "#ffeb3b",
    "redact": "#000000",
}
RECT_KINDS = ("box", "highlight", "redact")
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.05, 8.0, 1.25
HANDLE_PX = 8  # selection handle size on screen, independent of zoom
FONT_FAMILY = "DejaVu Sans"  # the face capture/fonts.py draws the export with


# --------------------------------------------------------------------------- geometry
# These mirror capture/annotate.py so the preview matches the export.


def line_width(width: int, height: int) -> int:
    return max(2, round(min(width, height) / 270))


def text_size(image_height: int) -> int:
    return max(12, round(image_height / 45))


def arrow_geometry(
    a: Annotation, width: int
) -> tuple[tuple[QPointF, QPointF], QPolygonF] | None:
    """The shaft (start, base of head) and the head triangle, as the renderer draws them."""
    x0, y0, x1, y1 = a.x, a.y, a.x + a.w, a.y + a.h
    length = math.hypot(x1 - x0, y1 - y0)
    if length < 1:
        return None
    head = min(length * 0.5, max(10.0, width * 5.0))
    angle = math.atan2(y1 - y0, x1 - x0)
    ux, uy = math.cos(angle), math.sin(angle)
    bx, by = x1 - ux * head, y1 - uy * head
    spread = head * 0.5
    tri = QPolygonF(
        [
            QPointF(x1, y1),
            QPointF(bx - uy * spread, by + ux * spread),
            QPointF(bx + uy * spread, by - ux * spread),
        ]
    )
    return (QPointF(x0, y0), QPointF(round(bx), round(by))), tri


def changed(a: Annotation, **fields: object) -> Annotation:
    """A validated copy of ``a`` with ``fields`` replaced (model_copy would skip validation)."""
    return Annotation.model_validate({**a.model_dump(), **fields})


def _dist_to_segment(p: QPointF, a: QPointF, b: QPointF) -> float:
    dx, dy = b.x() - a.x(), b.y() - a.y()
    seg = dx * dx + dy * dy
    t = 0.0 if seg == 0 else max(0.0, min(1.0, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / seg))
    return math.hypot(p.x() - (a.x() + t * dx), p.y() - (a.y() + t * dy))


# --------------------------------------------------------------------------- undo


class _ShapesCommand(QUndoCommand):
    """Replace the whole shape list; consecutive edits with the same key merge into one."""

    def __init__(
        self,
        canvas: AnnotationCanvas,
        text: str,
        before: list[Annotation],
        after: list[Annotation],
        selected_before: int | None,
        selected_after: int | None,
        merge_key: tuple[str, int] | None = None,
    ) -> None:
        super().__init__(text)
        self.canvas = canvas
        self.before, self.after = before, after
        self.selected_before, self.selected_after = selected_before, selected_after
        self.merge_key = merge_key

    def id(self) -> int:
        return 1 if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _ShapesCommand) or other.merge_key != self.merge_key:
            return False
        self.after, self.selected_after = other.after, other.selected_after
        return True

    def redo(self) -> None:
        self.canvas.set_state(self.after, self.selected_after)

    def undo(self) -> None:
        self.canvas.set_state(self.before, self.selected_before)


# --------------------------------------------------------------------------- canvas


class AnnotationCanvas(QWidget):
    """The image at the current zoom with the shapes over it; mouse and keyboard editing."""

    shapes_changed = Signal()
    selection_changed = Signal()
    zoom_changed = Signal(float)

    def __init__(
        self,
        image: QImage,
        shapes: Sequence[Annotation],
        undo: QUndoStack,
        translator: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pixmap = QPixmap.fromImage(image)
        self.image_size = image.size()
        self._shapes = list(shapes)
        self._selected: int | None = None
        self._zoom = 1.0
        self.tool: Tool = "select"
        self.undo_stack = undo
        self._t = translator
        self.new_text = translator.tr("Note")
        self._line = line_width(image.width(), image.height())
        self._font = QFont(FONT_FAMILY)
        self._font.setPixelSize(text_size(image.height()))
        self._drag: tuple[str, QPointF, Annotation | None, list[Annotation]] | None = None
        self._draft: Annotation | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setFixedSize(self._scaled_size())

    # ------------------------------------------------------------------ state

    @property
    def shapes(self) -> list[Annotation]:
        return list(self._shapes)

    @property
    def selected(self) -> int | None:
        return self._selected

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_state(self, shapes: list[Annotation], selected: int | None) -> None:
        self._shapes = list(shapes)
        self._select(selected)
        self.shapes_changed.emit()
        self.update()

    def select(self, index: int | None) -> None:
        self._select(index)
        self.update()

    def _select(self, index: int | None) -> None:
        if index is not None and not 0 <= index < len(self._shapes):
            index = None
        if index != self._selected:
            self._selected = index
            self.selection_changed.emit()

    def set_zoom(self, zoom: float) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if zoom != self._zoom:
            self._zoom = zoom
            self.setFixedSize(self._scaled_size())
            self.update()
            self.zoom_changed.emit(zoom)

    def _scaled_size(self) -> QSize:
        return QSize(
            max(1, math.ceil(self.image_size.width() * self._zoom)),
            max(1, math.ceil(self.image_size.height() * self._zoom)),
        )

    def to_image(self, pos: QPointF) -> QPointF:
        return QPointF(pos.x() / self._zoom, pos.y() / self._zoom)

    def to_widget(self, x: float, y: float) -> QPointF:
        """Widget coordinates of the image point (x, y): for tests and scrolling."""
        return QPointF(x * self._zoom, y * self._zoom)

    # ------------------------------------------------------------------ edits

    def commit(
        self,
        text: str,
        after: list[Annotation],
        selected: int | None,
        *,
        before: list[Annotation] | None = None,
        merge_key: tuple[str, int] | None = None,
    ) -> None:
        self.undo_stack.push(
            _ShapesCommand(
                self,
                text,
                list(self._shapes) if before is None else before,
                after,
                self._selected,
                selected,
                merge_key,
            )
        )

    def add(self, shape: Annotation) -> None:
        self.commit(self._t.tr("Add shape"), [*self._shapes, shape], len(self._shapes))

    def delete_selected(self) -> None:
        if self._selected is None:
            return
        after = [s for i, s in enumerate(self._shapes) if i != self._selected]
        self.commit(self._t.tr("Delete shape"), after, None)

    def replace_selected(self, shape: Annotation, text: str, merge: str) -> None:
        i = self._selected
        if i is None or shape == self._shapes[i]:
            return
        after = list(self._shapes)
        after[i] = shape
        self.commit(text, after, i, merge_key=(merge, i))

    def move_selected(self, dx: int, dy: int) -> None:
        i = self._selected
        if i is not None:
            moved = self._clamped(changed(self._shapes[i], x=self._shapes[i].x + dx,
                                          y=self._shapes[i].y + dy))
            self.replace_selected(moved, self._t.tr("Move shape"), "move")

    def resize_selected(self, dw: int, dh: int) -> None:
        i = self._selected
        if i is None or self._shapes[i].kind == "text":
            return
        a = self._shapes[i]
        w, h = a.w + dw, a.h + dh
        if a.kind in RECT_KINDS:
            w, h = max(1, w), max(1, h)
        self.replace_selected(changed(a, w=w, h=h), self._t.tr("Resize shape"), "resize")

    def set_selected_text(self, text: str) -> None:
        i = self._selected
        if i is not None and self._shapes[i].kind == "text" and text.strip():
            self.replace_selected(changed(self._shapes[i], text=text),
                                  self._t.tr("Edit text"), "text")

    def create_default(self) -> None:
        """A shape of the current tool, a sensible size, centred in the visible area."""
        if self.tool == "select":
            return
        visible = self.visibleRegion().boundingRect()
        if visible.isEmpty():
            visible = self.rect()
        centre = self.to_image(QPointF(visible.center()))
        vis_w = visible.width() / self._zoom
        vis_h = visible.height() / self._zoom
        w = max(16, round(vis_w / 5))
        h = max(12, round(vis_h / 6))
        cx, cy = round(centre.x()), round(centre.y())
        self.add(self._new_shape(self.tool, cx - w // 2, cy - h // 2, w, h))

    def _new_shape(self, kind: AnnotationKind, x: int, y: int, w: int, h: int) -> Annotation:
        if kind == "text":
            return Annotation(kind="text", x=x, y=y, text=self.new_text.strip() or "…",
                              color=DEFAULT_COLORS["text"])
        return Annotation(kind=kind, x=x, y=y, w=w, h=h, color=DEFAULT_COLORS[kind])

    def _clamped(self, a: Annotation) -> Annotation:
        """Keep at least a corner of the shape on the image so it cannot get lost."""
        b = self.bounds(a)
        iw, ih = self.image_size.width(), self.image_size.height()
        dx = max(0.0, -(b.right() - 1)) - max(0.0, b.left() - (iw - 1))
        dy = max(0.0, -(b.bottom() - 1)) - max(0.0, b.top() - (ih - 1))
        if dx == 0 and dy == 0:
            return a
        return changed(a, x=a.x + math.ceil(dx) if dx > 0 else a.x + math.floor(dx),
                       y=a.y + math.ceil(dy) if dy > 0 else a.y + math.floor(dy))

    # ------------------------------------------------------------------ geometry

    def bounds(self, a: Annotation) -> QRectF:
        """The shape's extent in image coordinates."""
        if a.kind == "text":
            fm = QFontMetricsF(self._font)
            return QRectF(a.x, a.y, fm.horizontalAdvance(a.text), fm.height())
        return QRectF(QPointF(a.x, a.y), QPointF(a.x + a.w, a.y + a.h)).normalized()

    def hit(self, p: QPointF) -> int | None:
        """The topmost shape under image point ``p`` (redactions are drawn on top)."""
        tolerance = max(4.0, HANDLE_PX / self._zoom)
        order = [i for i, s in enumerate(self._shapes) if s.kind == "redact"][::-1]
        order += [i for i, s in enumerate(self._shapes) if s.kind != "redact"][::-1]
        for i in order:
            a = self._shapes[i]
            if a.kind == "arrow":
                end = QPointF(a.x + a.w, a.y + a.h)
                if _dist_to_segment(p, QPointF(a.x, a.y), end) <= tolerance:
                    return i
            elif self.bounds(a).adjusted(-1, -1, 1, 1).contains(p):
                return i
        return None

    def handle_point(self, a: Annotation) -> QPointF:
        """Where the resize handle sits, in image coordinates: the arrow tip or bottom-right."""
        if a.kind == "arrow":
            return QPointF(a.x + a.w, a.y + a.h)
        b = self.bounds(a)
        return b.bottomRight()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 1)
        p.scale(self._zoom, self._zoom)
        p.drawPixmap(0, 0, self._pixmap)
        shapes = list(self._shapes)
        if self._draft is not None:
            shapes.append(self._draft)
        for a in shapes:
            if a.kind != "redact":
                self._paint_shape(p, a)
        for a in shapes:
            if a.kind == "redact":
                p.fillRect(QRect(a.x, a.y, a.w, a.h), QColor(a.color))
        p.resetTransform()
        if self._selected is not None:
            self._paint_selection(p, self._shapes[self._selected])
        if self.hasFocus():
            # Keyboard users need to see that arrows, Enter and Tab now act on the image.
            pen = QPen(self.palette().highlight().color(), 3)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5))
        p.end()

    def _paint_shape(self, p: QPainter, a: Annotation) -> None:
        color = QColor(a.color)
        lw = self._line
        p.setRenderHint(QPainter.RenderHint.Antialiasing, a.kind in ("arrow", "text"))
        if a.kind == "highlight":
            fill = QColor(color)
            fill.setAlpha(HIGHLIGHT_ALPHA)
            p.fillRect(QRect(a.x, a.y, a.w, a.h), fill)
        elif a.kind == "box":
            # The renderer's outline lies inside the rectangle, so inset by half the pen.
            pen = QPen(color, lw)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(a.x + lw / 2, a.y + lw / 2, max(0, a.w - lw), max(0, a.h - lw)))
        elif a.kind == "arrow":
            geometry = arrow_geometry(a, lw)
            if geometry is None:
                return
            (start, base), head = geometry
            pen = QPen(color, lw)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawLine(start, base)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawPolygon(head)
        elif a.kind == "text":
            fm = QFontMetricsF(self._font)
            path = QPainterPath()
            path.addText(QPointF(a.x, a.y + fm.ascent()), self._font, a.text)
            stroke = max(1, self._font.pixelSize() // 10)
            dark = color.red() + color.green() + color.blue() < 384
            rim = QColor("#ffffff") if dark else QColor("#000000")
            p.strokePath(path, QPen(rim, 2 * stroke, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            p.fillPath(path, color)

    def _paint_selection(self, p: QPainter, a: Annotation) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        b = self.bounds(a)
        r = QRectF(b.left() * self._zoom, b.top() * self._zoom,
                   b.width() * self._zoom, b.height() * self._zoom).adjusted(-3, -3, 3, 3)
        # Two contrasting dashes so the outline shows on any background.
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor("#ffffff"), 1))
        p.drawRect(r)
        dash = QPen(QColor("#1565c0"), 1, Qt.PenStyle.DashLine)
        p.setPen(dash)
        p.drawRect(r)
        if a.kind != "text":
            h = self.handle_point(a)
            c = QPointF(h.x() * self._zoom, h.y() * self._zoom)
            half = HANDLE_PX / 2
            p.setPen(QPen(QColor("#ffffff"), 1))
            p.setBrush(QColor("#1565c0"))
            p.drawRect(QRectF(c.x() - half, c.y() - half, HANDLE_PX, HANDLE_PX))

    # ------------------------------------------------------------------ mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position()
        p = self.to_image(pos)
        sel = self._selected
        before = list(self._shapes)
        if sel is not None and self.tool != "text":
            h = self.handle_point(self._shapes[sel])
            near = QPointF(h.x() * self._zoom, h.y() * self._zoom) - pos
            if self._shapes[sel].kind != "text" and near.manhattanLength() <= HANDLE_PX:
                self._drag = ("resize", p, self._shapes[sel], before)
                return
        hit = self.hit(p)
        if self.tool == "select" or (hit is not None and hit == sel):
            self.select(hit)
            if hit is not None:
                self._drag = ("move", p, self._shapes[hit], before)
            return
        if self.tool == "text":
            self.add(self._clamped(self._new_shape("text", round(p.x()), round(p.y()), 0, 0)))
            return
        self.select(None)
        self._drag = ("draw", p, None, before)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        mode, start, original, _ = self._drag
        p = self.to_image(event.position())
        dx, dy = round(p.x() - start.x()), round(p.y() - start.y())
        if mode == "draw":
            self._draft = self._drawn(start, p)
        elif original is not None and self._selected is not None:
            if mode == "move":
                shape = self._clamped(changed(original, x=original.x + dx, y=original.y + dy))
            else:
                w, h = original.w + dx, original.h + dy
                if original.kind in RECT_KINDS:
                    w, h = max(1, w), max(1, h)
                shape = changed(original, w=w, h=h)
            self._shapes[self._selected] = shape
            self.shapes_changed.emit()
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self.mouseMoveEvent(event)
        mode, _, _, before = self._drag
        self._drag = None
        draft, self._draft = self._draft, None
        if mode == "draw":
            if draft is not None:
                self.add(draft)
            self.update()
            return
        if self._shapes != before:
            text = self._t.tr("Move shape") if mode == "move" else self._t.tr("Resize shape")
            self.commit(text, list(self._shapes), self._selected, before=before)

    def _drawn(self, start: QPointF, end: QPointF) -> Annotation | None:
        """The shape a drag from ``start`` to ``end`` makes, or None while it is too small."""
        x0, y0 = round(start.x()), round(start.y())
        x1, y1 = round(end.x()), round(end.y())
        tool = self.tool
        kind: AnnotationKind = "box" if tool == "select" or tool == "text" else tool
        if kind == "arrow":
            if math.hypot(x1 - x0, y1 - y0) < 3:
                return None
            return Annotation(kind="arrow", x=x0, y=y0, w=x1 - x0, h=y1 - y0,
                              color=DEFAULT_COLORS["arrow"])
        left, top = min(x0, x1), min(y0, y1)
        w, h = abs(x1 - x0), abs(y1 - y0)
        if w < 2 or h < 2:
            return None
        return self._new_shape(kind, left, top, w, h)

    # ------------------------------------------------------------------ keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        step = 10 if mods & Qt.KeyboardModifier.ShiftModifier else 1
        arrows = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if key in arrows and self._selected is not None:
            dx, dy = arrows[Qt.Key(key)]
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.resize_selected(dx, dy)
            else:
                self.move_selected(dx, dy)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self.delete_selected()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.tool != "select":
            self.create_default()
        elif key == Qt.Key.Key_Escape and self._selected is not None:
            self.select(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab walks through the shapes first; past the last one focus moves on as usual.
        if self.hasFocus() and self._shapes:
            n = len(self._shapes)
            if self._selected is None:
                target: int | None = 0 if next else n - 1
            else:
                target = self._selected + (1 if next else -1)
                if not 0 <= target < n:
                    target = None
            self.select(target)
            if target is not None:
                return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


class _ZoomScrollArea(QScrollArea):
    """Ctrl+wheel zooms around the pointer; the plain wheel scrolls."""

    def __init__(self, window: AnnotatorWindow) -> None:
        super().__init__()
        self._window = window

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._window.zoom_by(ZOOM_STEP**steps, event.position())
            event.accept()
            return
        super().wheelEvent(event)


# --------------------------------------------------------------------------- window


class AnnotatorWindow(QDialog):
    """Edit the annotations of one step image; :meth:`annotations` has the result.

    ``exec()`` returns ``QDialog.Accepted`` when the user pressed Done.
    """

    def __init__(
        self,
        image: Image.Image | QImage,
        annotations: Sequence[Annotation],
        translator: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._t = translator
        tr = translator.tr
        qimage = image if isinstance(image, QImage) else pil_to_qimage(image)
        self.undo_stack = QUndoStack(self)
        self.canvas = AnnotationCanvas(qimage, annotations, self.undo_stack, translator)
        self.canvas.setAccessibleName(tr("Screenshot with annotations"))
        self._fitted = False
        self.setWindowTitle(tr("Annotate screenshot"))
        self.setAccessibleName(tr("Annotate screenshot"))

        # A tool (what you pick) and the shape it draws are two words in Russian and
        # Ukrainian ("Маркер" draws a "Выделение"), so each has its context.
        ptr = translator.ptr
        self.tool_names: dict[Tool, str] = {
            "select": ptr("annotation tool", "Select"),
            "box": ptr("annotation tool", "Box"),
            "arrow": ptr("annotation tool", "Arrow"),
            "text": ptr("annotation tool", "Text"),
            "highlight": ptr("annotation tool", "Highlight"),
            "redact": ptr("annotation tool", "Redact"),
        }
        self.kind_names: dict[AnnotationKind, str] = {
            "box": ptr("annotation shape", "Box"),
            "arrow": ptr("annotation shape", "Arrow"),
            "text": ptr("annotation shape", "Text"),
            "highlight": ptr("annotation shape", "Highlight"),
            "redact": ptr("annotation shape", "Redaction"),
        }
        tool_tips: dict[Tool, str] = {
            "select": tr("Select and move shapes"),
            "box": tr("Draw a box around something"),
            "arrow": tr("Draw an arrow pointing at something"),
            "text": tr("Write a note on the image"),
            "highlight": tr("Mark an area with a translucent colour"),
            "redact": tr("Cover private information with a solid black box"),
        }
        # Tools are actions, not button shortcuts: a button shortcut "animates" its click and
        # switches the tool 100 ms later, after the next key may already have arrived.
        self.tool_actions: dict[Tool, QAction] = {}
        self.tool_buttons: dict[Tool, QToolButton] = {}
        self._tool_group = QActionGroup(self)
        self._tool_group.setExclusive(True)
        tools_row = QHBoxLayout()
        for tool in TOOLS:
            key = TOOL_KEYS[tool]
            action = QAction(f"{self.tool_names[tool]} ({key})", self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{tool_tips[tool]} ({key})")
            action.toggled.connect(lambda on, t=tool: self._tool_toggled(t, on))
            self._tool_group.addAction(action)
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(self.tool_names[tool])
            button.setAccessibleDescription(tool_tips[tool])
            self.tool_actions[tool] = action
            self.tool_buttons[tool] = button
            tools_row.addWidget(button)

        self.text_field = QLineEdit(self.canvas.new_text)
        self.text_field.setAccessibleName(tr("Note text"))
        self.text_field.setToolTip(tr("Text for new notes and for the selected note"))
        self.text_field.setMaximumWidth(220)
        self.text_field.textEdited.connect(self._text_edited)
        text_label = QLabel(tr("&Note:"))
        text_label.setBuddy(self.text_field)
        tools_row.addSpacing(12)
        tools_row.addWidget(text_label)
        tools_row.addWidget(self.text_field)
        tools_row.addStretch(1)

        self.undo_action = self._action(tr("Undo"), QKeySequence.StandardKey.Undo,
                                        self.undo_stack.undo)
        self.redo_action = self._action(tr("Redo"), QKeySequence.StandardKey.Redo,
                                        self.undo_stack.redo)
        # Platform themes disagree on Redo (Ctrl+Y or Ctrl+Shift+Z); accept both everywhere.
        redo_keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        for extra in ("Ctrl+Shift+Z", "Ctrl+Y"):
            if QKeySequence(extra) not in redo_keys:
                redo_keys.append(QKeySequence(extra))
        self.redo_action.setShortcuts(redo_keys)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.delete_action = self._action(tr("Delete shape"), None, self.canvas.delete_selected)
        self.zoom_in_action = self._action(tr("Zoom in"), QKeySequence.StandardKey.ZoomIn,
                                           lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_in_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self.zoom_out_action = self._action(tr("Zoom out"), QKeySequence.StandardKey.ZoomOut,
                                            lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_action = self._action(tr("Fit"), QKeySequence("Ctrl+0"), self.fit)
        self.actual_action = self._action(tr("100 %"), QKeySequence("Ctrl+1"),
                                          lambda: self.set_zoom(1.0))
        actions_row = QHBoxLayout()
        for action in (self.undo_action, self.redo_action, self.delete_action):
            actions_row.addWidget(self._action_button(action))
        actions_row.addSpacing(12)
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action,
                       self.actual_action):
            actions_row.addWidget(self._action_button(action))
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName(tr("Zoom level"))
        actions_row.addWidget(self.zoom_label)
        actions_row.addStretch(1)

        self.view = _ZoomScrollArea(self)
        self.view.setWidget(self.canvas)
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setFrameShape(QFrame.Shape.StyledPanel)
        self.view.setAccessibleName(tr("Screenshot view"))

        self.status = QLabel()
        self.status.setAccessibleName(tr("Selected shape"))
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.done_button = QPushButton(tr("&Done"))
        self.done_button.setAccessibleName(tr("Done"))
        self.done_button.setToolTip(tr("Keep these annotations (Ctrl+Enter)"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel"))
        for b in (self.done_button, self.cancel_button):
            # Enter belongs to the canvas (create a shape); it must never close the window.
            b.setAutoDefault(False)
            b.setDefault(False)
        buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._action(tr("Done"), QKeySequence("Ctrl+Return"), self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(tools_row)
        layout.addLayout(actions_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.canvas.selection_changed.connect(self._update_status)
        self.canvas.shapes_changed.connect(self._update_status)
        self.canvas.zoom_changed.connect(self._update_zoom_label)
        self.resize(1100, 760)
        self.tool_actions["select"].setChecked(True)
        self._update_zoom_label(self.canvas.zoom)
        self._update_status()

    # ------------------------------------------------------------------ results

    def annotations(self) -> list[Annotation]:
        return self.canvas.shapes

    # ------------------------------------------------------------------ tools and zoom

    def set_tool(self, tool: Tool) -> None:
        self.canvas.tool = tool
        action = self.tool_actions[tool]
        if not action.isChecked():
            action.setChecked(True)
        self._update_status()

    def _tool_toggled(self, tool: Tool, on: bool) -> None:
        if on:
            self.set_tool(tool)

    @property
    def zoom(self) -> float:
        return self.canvas.zoom

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under ``anchor`` (viewport coordinates) in place."""
        viewport = self.view.viewport()
        if anchor is None:
            anchor = QPointF(viewport.width() / 2, viewport.height() / 2)
        hbar, vbar = self.view.horizontalScrollBar(), self.view.verticalScrollBar()
        on_canvas = QPointF(self.canvas.mapFrom(viewport, anchor.toPoint()))
        image_point = self.canvas.to_image(on_canvas)
        self.canvas.set_zoom(zoom)
        target = self.canvas.to_widget(image_point.x(), image_point.y())
        hbar.setValue(round(target.x() - anchor.x()))
        vbar.setValue(round(target.y() - anchor.y()))

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        self.set_zoom(self.canvas.zoom * factor, anchor)

    @Slot()
    def fit(self) -> None:
        viewport = self.view.maximumViewportSize()
        size = self.canvas.image_size
        zoom = min(viewport.width() / size.width(), viewport.height() / size.height())
        self.canvas.set_zoom(zoom)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            # A screenshot is usually larger than the window: start by showing all of it.
            self._fitted = True
            viewport = self.view.maximumViewportSize()
            size = self.canvas.image_size
            if size.width() > viewport.width() or size.height() > viewport.height():
                self.fit()

    # ------------------------------------------------------------------ helpers

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _action_button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if shortcut:
            button.setToolTip(f"{action.text()} ({shortcut})")
        return button

    @Slot(str)
    def _text_edited(self, text: str) -> None:
        self.canvas.new_text = text
        self.canvas.set_selected_text(text)

    @Slot(float)
    def _update_zoom_label(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)} %")

    @Slot()
    def _update_status(self) -> None:
        tr = self._t.tr
        canvas = self.canvas
        i = canvas.selected
        self.delete_action.setEnabled(i is not None)
        if i is None:
            hint = tr(
                "{tool} tool. Drag on the image, or press Enter to add a shape in the middle; "
                "Tab selects shapes.",
                tool=self.tool_names[canvas.tool],
            ) if canvas.tool != "select" else tr(
                "Pick a tool (B, A, T, H, R) and drag on the image; Tab selects shapes."
            )
            self.status.setText(hint)
            canvas.setAccessibleDescription(hint)
            return
        a = canvas.shapes[i]
        if a.kind == "text" and self.text_field.text() != a.text:
            self.text_field.setText(a.text)
        text = tr(
            "{kind} {number} of {total}: x {x}, y {y}, {w} × {h} px. Arrows move, "
            "Ctrl+arrows resize, Delete removes.",
            kind=self.kind_names[a.kind],
            number=i + 1,
            total=len(canvas.shapes),
            x=a.x,
            y=a.y,
            w=a.w,
            h=a.h,
        )
        self.status.setText(text)
        canvas.setAccessibleDescription(text)


def edit_annotations(
    image: Image.Image | QImage,
    annotations: Sequence[Annotation],
    translator: Translator,
    parent: QWidget | None = None,
) -> list[Annotation] | None:
    """Run the annotator modally; the edited list, or None when the user cancelled."""
    window = AnnotatorWindow(image, annotations, translator, parent)
    try:
        if window.exec() == QDialog.DialogCode.Accepted:
            return window.annotations()
        return None
    finally:
        window.deleteLater()


__all__ = ["AnnotationCanvas", "AnnotatorWindow", "edit_annotations"]
