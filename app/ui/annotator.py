"""The annotator: draw boxes, arrows, text, highlights and redactions over one step image.

Annotations are data (``app.report.Annotation``, image pixel coordinates). This window only
edits that list; the exported image is drawn by ``capture.annotate.render``, which is Qt-free.
The canvas (app/ui/annotator_canvas.py) previews with the renderer's own geometry, so what
the user sees is what support receives.

Keyboard: S/B/A/T/H/R pick a tool; Enter creates a shape of that tool at the view centre;
arrows move the selection (Shift: 10 px), Ctrl+arrows resize it (Ctrl+Shift: 10 px); Delete
removes it; Tab / Shift+Tab cycle through the shapes and then on to the other controls;
Escape deselects; Ctrl+Z / Ctrl+Shift+Z undo and redo; Ctrl+plus / Ctrl+minus zoom,
Ctrl+0 fits the image to the window, Ctrl+1 shows it at 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image
from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QImage,
    QKeySequence,
    QShowEvent,
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
from app.ui.annotator_canvas import (
    TOOL_KEYS,
    TOOLS,
    ZOOM_STEP,
    AnnotationCanvas,
    Tool,
)
from app.ui.qimage_convert import pil_to_qimage

__all__ = ["AnnotationCanvas", "AnnotatorWindow", "Tool", "edit_annotations"]


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
