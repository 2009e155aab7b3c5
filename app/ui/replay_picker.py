"""Pick frames of the instant replay to add to the report (nothing else leaves memory)."""

from __future__ import annotations

import io
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QPixmap
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

from app.i18n import Translator
from app.ui.page_base import wrapped_label

PRESELECTED = 3  # the last few seconds are usually what matters
THUMB = (128, 80)


class ReplayPicker(QDialog):
    """Works on a snapshot taken when it opens: the frames ticked are the frames added."""

    def __init__(self, snapshot: Any, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.snapshot = snapshot
        self.setWindowTitle(t.tr("Instant replay"))
        self.resize(860, 520)
        lay = QVBoxLayout(self)
        lay.addWidget(wrapped_label(t.tr(
            "The screen of the last minute, kept in memory only. Tick the moments that show "
            "the problem; only those are added to the report.")))
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setAccessibleName(t.tr("Moments of the last minute"))
        self.list.setIconSize(QSize(*THUMB))
        self.list.setMaximumWidth(THUMB[0] + 140)
        entries = snapshot.entries()
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
            # Once laid out: the newest moments (the ones ticked) are the ones in view.
            QTimer.singleShot(0, self.list.scrollToBottom)
        # Thumbnails are drawn a few at a time, newest first, so the dialog opens at once.
        self._pending = list(range(len(entries) - 1, -1, -1))
        QTimer.singleShot(0, self._next_thumbnails)

    def _pixmap(self, index: int, size: tuple[int, int]) -> QPixmap:
        thumb = self.snapshot.frame(index).image.copy()
        thumb.thumbnail(size)
        buf = io.BytesIO()
        thumb.save(buf, "PNG")
        pix = QPixmap()
        pix.loadFromData(buf.getvalue())
        return pix

    def _next_thumbnails(self) -> None:
        for _ in range(4):
            if not self._pending:
                return
            row = self._pending.pop(0)
            item = self.list.item(row)
            item.setIcon(QIcon(self._pixmap(int(item.data(Qt.ItemDataRole.UserRole)), THUMB)))
        QTimer.singleShot(0, self._next_thumbnails)

    def _preview(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is None:
            self.preview.clear()
            return
        self.preview.setPixmap(self._pixmap(int(item.data(Qt.ItemDataRole.UserRole)), (640, 400)))

    def chosen(self) -> list[int]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out
