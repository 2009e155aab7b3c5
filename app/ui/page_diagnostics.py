"""Page 5: the diagnostics collected while the user typed; each section can be left out."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, wrapped_label

_NAME = Qt.ItemDataRole.UserRole


class DiagnosticsPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        lay.addWidget(wrapped_label(t.tr(
            "Facts about this computer that help support. Secrets and personal data were "
            "removed. Untick anything you do not want to send; select a line to see exactly "
            "what it contains.")))
        self.status = wrapped_label()
        self.status.setObjectName("diagnostics-status")
        lay.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setObjectName("diagnostics")
        self.tree.setAccessibleName(t.tr("Diagnostics to send"))
        self.tree.setHeaderLabels([t.tr("Section"), t.tr("Result"), t.tr("Summary")])
        self.tree.setRootIsDecorated(False)
        header = self.tree.header()
        header.setStretchLastSection(True)
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._ticked)
        self.tree.currentItemChanged.connect(self._show)
        split.addWidget(self.tree)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setObjectName("diagnostics-detail")
        self.detail.setAccessibleName(t.tr("What this section contains"))
        split.addWidget(self.detail)
        lay.addWidget(split, 1)
        self._filled = False

    def title(self) -> str:
        return self.t.tr("Diagnostics")

    def refresh(self, what: str) -> None:
        if what not in ("page", "diagnostics_ready"):
            return
        done = self.flow.diagnostics_done()
        self.status.setText("" if done else self.t.tr("Still collecting… you can go on; "
                                                      "what is ready by then is sent."))
        self.status.setVisible(not done)
        if self._filled and not done:
            return
        self._fill()

    def _fill(self) -> None:
        t = self.t
        labels = {"ok": t.tr("collected"), "error": t.tr("failed"),
                  "timeout": t.tr("took too long"), "skipped": t.tr("not applicable")}
        self.tree.blockSignals(True)
        self.tree.clear()
        for s in self.flow.sections():
            item = QTreeWidgetItem(self.tree, [s.title or s.name, labels.get(s.status, s.status),
                                               s.summary])
            item.setData(0, _NAME, s.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            excluded = s.name in self.flow.excluded_sections
            item.setCheckState(0, Qt.CheckState.Unchecked if excluded else Qt.CheckState.Checked)
        self.tree.blockSignals(False)
        self._filled = self.flow.diagnostics_done()
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _ticked(self, item: QTreeWidgetItem, col: int) -> None:
        if col == 0:
            self.flow.set_section_included(
                str(item.data(0, _NAME)), item.checkState(0) == Qt.CheckState.Checked
            )

    def _show(self, item: QTreeWidgetItem | None, _old: QTreeWidgetItem | None) -> None:
        if item is None:
            self.detail.clear()
            return
        name = item.data(0, _NAME)
        for s in self.flow.sections():
            if s.name == name:
                parts = [s.summary]
                parts += [f"• {f.message}" for f in s.findings]
                if s.error:
                    parts.append(s.error)
                if s.redactions:
                    parts.append(self.t.tr("Removed before sending: {what}", what=", ".join(
                        f"{n} × {k}" for k, n in sorted(s.redactions.items()))))
                if s.data:
                    parts.append(json.dumps(s.data, indent=2, ensure_ascii=False))
                self.detail.setPlainText("\n\n".join(p for p in parts if p))
                return

    def first_focus(self) -> QWidget | None:
        return self.tree
