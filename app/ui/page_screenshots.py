"""Page 4: the screenshots — recorded steps, replay frames, new captures; caption, annotate,
leave out, reorder.

Annotating and redacting happen in app/ui/annotator.py (written separately). This page calls it
through :data:`Annotate`: ``annotate(parent, image bytes, annotations) -> annotations`` or None
when the user cancels; the flow then draws them (capture/). Without that module the button is
disabled.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.flow import Evidence, ReportFlow
from app.i18n import Translator
from app.report import Annotation
from app.ui.page_base import Page, column, wrapped_label

Annotate = Callable[[QWidget, bytes, list[Annotation]], list[Annotation] | None]


def find_annotator(t: Translator) -> Annotate | None:
    """The annotator's ``edit_annotations(image, annotations, translator, parent)``, adapted.
    Looked up here, imported at the first use: with Pillow it costs a quarter of a second
    that the window would otherwise spend before it shows."""
    if importlib.util.find_spec("app.ui.annotator") is None:
        return None

    def annotate(
        parent: QWidget, image: bytes, shapes: list[Annotation]
    ) -> list[Annotation] | None:
        import io

        from PIL import Image

        from app.ui.annotator import edit_annotations

        with Image.open(io.BytesIO(image)) as img:
            img.load()
            result = edit_annotations(img, shapes, t, parent)
        return None if result is None else list(result)

    return annotate


def pixmap_of(data: bytes) -> QPixmap:
    pix = QPixmap()
    pix.loadFromData(data)
    return pix


class ScreenshotsPage(Page):
    def __init__(
        self,
        flow: ReportFlow,
        t: Translator,
        parent: QWidget | None = None,
        *,
        annotate: Annotate | None = None,
        replay: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(flow, t, parent)
        self.annotate = annotate
        lay = column(self)
        lay.addWidget(wrapped_label(t.tr(
            "Screenshots show support what you saw, with the time stamped on each. Add a "
            "caption to say what matters, hide private details, or leave one out.")))
        top = QHBoxLayout()
        self.capture_button = QPushButton(t.tr("Take a screenshot"))
        self.capture_button.setObjectName("capture")
        self.capture_button.setEnabled(flow.deps.capturer is not None)
        self.capture_button.clicked.connect(lambda _checked=False: self._capture())
        top.addWidget(self.capture_button)
        self.region_button = QPushButton(t.tr("Screenshot of a region…"))
        self.region_button.setObjectName("capture-region")
        self.window_button = QPushButton(t.tr("Screenshot of a window…"))
        self.window_button.setObjectName("capture-window")
        for button, kind in ((self.region_button, "region"), (self.window_button, "window")):
            button.setEnabled(flow.deps.capturer is not None)
            button.clicked.connect(lambda _checked=False, k=kind: self._capture(k))
            top.addWidget(button)
        from app.ui.pick_capture import window_pick_refusal
        from capture.platform_info import PlatformInfo

        why_not = window_pick_refusal(t, PlatformInfo.detect())
        if why_not:  # said where the person looks, not as an error after the click
            self.window_button.setEnabled(False)
            self.window_button.setToolTip(why_not)
        self.replay_button = QPushButton(t.tr("Add the last minute (instant replay)"))
        self.replay_button.setVisible(replay is not None)
        if replay is not None:
            self.replay_button.clicked.connect(replay)
        top.addWidget(self.replay_button)
        top.addStretch(1)
        lay.addLayout(top)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("screenshots")
        self.list.setAccessibleName(t.tr("Screenshots"))
        self.list.setIconSize(QSize(96, 60))
        self.list.setMaximumWidth(300)
        self.list.currentRowChanged.connect(self._selected)
        body.addWidget(self.list)
        detail = QWidget()
        grid = QVBoxLayout(detail)
        grid.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(200, 140)
        grid.addWidget(self.preview, 1)
        cap_row = QGridLayout()
        cap_label = QLabel(t.tr("Caption:"))
        self.caption = QLineEdit()
        self.caption.setObjectName("caption")
        self.caption.setAccessibleName(t.tr("Caption"))
        self.caption.setPlaceholderText(t.tr("What this screenshot shows"))
        cap_label.setBuddy(self.caption)
        self.caption.textEdited.connect(self._caption)
        cap_row.addWidget(cap_label, 0, 0)
        cap_row.addWidget(self.caption, 0, 1)
        grid.addLayout(cap_row)
        self.include = QCheckBox(t.tr("Send this screenshot"))
        self.include.toggled.connect(self._include)
        grid.addWidget(self.include)
        buttons = QHBoxLayout()
        self.up = QPushButton(t.tr("Move up"))
        self.down = QPushButton(t.tr("Move down"))
        self.edit = QPushButton(t.tr("Annotate or hide details…"))
        self.remove = QPushButton(t.tr("Remove"))
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.edit.clicked.connect(self._annotate)
        self.remove.clicked.connect(self._remove)
        if annotate is None:
            self.edit.setEnabled(False)
            self.edit.setToolTip(t.tr("The annotation editor is not part of this installation."))
        for b in (self.up, self.down, self.edit, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        grid.addLayout(buttons)
        body.addWidget(detail, 1)
        lay.addLayout(body, 1)
        self.empty = wrapped_label(t.tr("No screenshots yet. You can send the report without "
                                        "one, but a screenshot of the error helps a lot."))
        lay.addWidget(self.empty)
        self._keys: list[str] = []

    def title(self) -> str:
        return self.t.tr("Screenshots")

    def current(self) -> Evidence | None:
        row = self.list.currentRow()
        if 0 <= row < len(self.flow.evidence):
            return self.flow.evidence[row]
        return None

    def refresh(self, what: str) -> None:
        if what not in ("page", "evidence"):
            return
        keys = [e.key for e in self.flow.evidence]
        current = self.current()
        keep = current.key if current else None
        self.list.blockSignals(True)
        self.list.clear()
        for n, ev in enumerate(self.flow.evidence, 1):
            label = self.t.tr("Step {n}", n=n) + f" · {ev.step.captured_at:%H:%M:%S}"
            if ev.step.description:  # what the step did, from the step recorder
                label += f"\n{ev.step.description}"
            if ev.step.caption:
                label += f"\n{ev.step.caption}"
            if not ev.included:
                label += "\n" + self.t.tr("(not sent)")
            item = QListWidgetItem(QIcon(pixmap_of(ev.image)), label)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._keys = keys
        row = keys.index(keep) if keep in keys else len(keys) - 1
        self.list.setCurrentRow(row)
        self._selected(row)
        self.empty.setVisible(not keys)

    def _selected(self, row: int) -> None:
        ev = self.current()
        has = ev is not None
        for w in (self.caption, self.include, self.up, self.down, self.remove):
            w.setEnabled(has)
        self.edit.setEnabled(has and self.annotate is not None)
        if ev is None:
            self.preview.clear()
            self.caption.clear()
            return
        pix = pixmap_of(ev.image)
        size = self.preview.size()
        self.preview.setPixmap(pix.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
        self.preview.setAccessibleName(self.t.tr("Screenshot {n}", n=row + 1))
        if self.caption.text() != ev.step.caption:
            self.caption.setText(ev.step.caption)
        self.include.blockSignals(True)
        self.include.setChecked(ev.included)
        self.include.blockSignals(False)

    def _caption(self, text: str) -> None:
        ev = self.current()
        if ev is not None:
            self.flow.set_caption(ev.key, text)

    def _include(self, on: bool) -> None:
        ev = self.current()
        if ev is not None:
            self.flow.set_included(ev.key, on)

    def _move(self, delta: int) -> None:
        ev = self.current()
        if ev is not None:
            self.flow.move_evidence(ev.key, delta)
            self.list.setCurrentRow(self.flow.evidence.index(ev))

    def _remove(self) -> None:
        ev = self.current()
        if ev is not None:
            self.flow.remove_evidence(ev.key)

    def _annotate(self) -> None:
        ev = self.current()
        if ev is None or self.annotate is None:
            return
        shapes = self.annotate(self, ev.original or ev.image, list(ev.step.annotations))
        if shapes is not None:
            self.flow.set_annotations(ev.key, shapes)

    def _capture(self, kind: str = "screen") -> None:
        take = getattr(self.window(), "take_screenshot", None)
        if take is not None:
            take(kind)

    def first_focus(self) -> QWidget | None:
        return self.capture_button if self.capture_button.isEnabled() else self.list
