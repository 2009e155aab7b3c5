""""My reports": what this user sent and where each stands."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import Translator
from app.ui.page_base import wrapped_label
from app.ui.report_status import ReportStatusSource

_LINK = Qt.ItemDataRole.UserRole


class MyReportsWindow(QDialog):
    def __init__(self, source: ReportStatusSource, t: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t.tr("My reports"))
        self.setObjectName("my-reports")
        self.resize(640, 360)
        lay = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(t.tr("My reports"))
        self.tree.setHeaderLabels([t.tr("Report"), t.ptr("column: when", "Sent"),
                                   t.tr("Status"), t.tr("Ticket")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        reports = source.my_reports()
        for r in reports:
            when = f"{r.created_at.astimezone():%Y-%m-%d %H:%M}" if r.created_at else ""
            item = QTreeWidgetItem(self.tree, [r.title, when, r.status, r.ticket])
            item.setData(0, _LINK, r.link)
        self.tree.itemActivated.connect(self._open)
        lay.addWidget(self.tree)
        self.empty = wrapped_label(t.tr("You have not sent any report yet."))
        self.empty.setVisible(not reports)
        lay.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _open(self, item: QTreeWidgetItem, _col: int) -> None:
        link = str(item.data(0, _LINK) or "")
        if link:
            url = QUrl(link) if "://" in link else QUrl.fromLocalFile(link)
            QDesktopServices.openUrl(url)
