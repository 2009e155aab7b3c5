"""Pick frames of the instant replay to add to the report (nothing else leaves memory)."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.flow import InstantReplay
from app.i18n import Translator
from app.ui.page_base import wrapped_label

PRESELECTED = 3  # the last few seconds are usually what matters


class ReplayPicker(QDialog):
    def __init__(self, replay: InstantReplay, t: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.replay = replay
        self.setWindowTitle(t.tr("Instant replay"))
        self.resize(760, 480)
        lay = QVBoxLayout(self)
        lay.addWidget(wrapped_label(t.tr(
            "The screen of the last minute, kept in memory only. Tick the moments that show "
            "the problem; only those are added to the report.")))
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(t.tr("Moments of the last minute"))
        self.list.setMaximumWidth(220)
        entries = replay.entries()
        for n, e in enumerate(entries):
            item = QListWidgetItem(f"{e.captured_at.astimezone():%H:%M:%S}")
            item.setData(Qt.ItemDataRole.UserRole, e.index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = n >= len(entries) - PRESELECTED
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._preview)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 200)
        row.addWidget(self.list)
        row.addWidget(self.preview, 1)
        lay.addLayout(row, 1)
        self.empty = wrapped_label(t.tr("Nothing recorded yet: the replay keeps the screen "
                                        "from the moment Flare started."))
        self.empty.setVisible(not entries)
        lay.addWidget(self.empty)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if entries:
            self.list.setCurrentRow(len(entries) - 1)

    def _preview(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is None:
            self.preview.clear()
            return
        frame = self.replay.buffer.frame(int(item.data(Qt.ItemDataRole.UserRole)))
        thumb = frame.image.copy()
        thumb.thumbnail((640, 400))
        buf = io.BytesIO()
        thumb.save(buf, "PNG")
        pix = QPixmap()
        pix.loadFromData(buf.getvalue())
        self.preview.setPixmap(pix)

    def chosen(self) -> list[int]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out
