"""Page 2: what the problem is about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, wrapped_label


class CategoryPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        intro = wrapped_label(t.tr("Choose the kind of problem. The next page asks only the "
                                   "questions that matter for it."))
        lay.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("categories")
        self.list.setAccessibleName(t.tr("Kind of problem"))
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        for c in flow.categories():
            text = c.label + (f"\n{c.description}" if c.description else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, c.label)
            if c.description:
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, c.description)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._picked)
        lay.addWidget(self.list, 1)
        intro.setBuddy(self.list)

    def title(self) -> str:
        return self.t.tr("What is the problem about?")

    def _picked(self, item: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if item is not None:
            self.flow.set_category(str(item.data(Qt.ItemDataRole.UserRole)))

    def refresh(self, what: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == self.flow.category:
                if self.list.currentRow() != i:
                    self.list.setCurrentRow(i)
                break

    def first_focus(self) -> QWidget | None:
        return self.list

    def choose(self, category_id: str) -> None:
        """Select a category as the user would (used by tests and the keyboard path alike)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == category_id:
                self.list.setCurrentRow(i)
                return
        raise KeyError(category_id)
