"""Page 2: what the problem is about."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.flow import ReportFlow
from app.i18n import Translator
from app.keyboard_layouts import numbered, option_number
from app.ui.page_base import Page, column, wrapped_label

_DESCRIPTION = Qt.ItemDataRole.UserRole + 1
_PAD = 6


class _CategoryDelegate(QStyledItemDelegate):
    """The category name in bold, its description below in the muted text colour.

    The item's panel (selection, hover, focus) is drawn by Qt's own delegate with the text
    left out, and the selection read from the list: touching QStyle from Python makes
    PySide6 build its hundreds of enum members, 7 ms of the window's first paint."""

    def __init__(self, parent: QListWidget) -> None:
        super().__init__(parent)
        self._list = parent
        self._blank = False

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if self._blank:
            option.text = ""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, QFont(option.font)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        bold, plain = self._fonts(option)
        height = QFontMetrics(bold).height() + QFontMetrics(plain).height() + 3 * _PAD
        return QSize(super().sizeHint(option, index).width(), height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self._blank = True
        try:
            super().paint(painter, option, index)  # the panel, without the text
        finally:
            self._blank = False
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        model = self._list.selectionModel()
        selected = model is not None and model.isSelected(index)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted_role = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        bold, plain = self._fonts(opt)
        rect: QRect = opt.rect.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        painter.save()
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        # The number that picks it (see _Categories), where people read the name.
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         numbered(index.row() + 1, label) if index.row() < 9 else label)
        painter.setFont(plain)
        painter.setPen(palette.color(muted_role))
        below = rect.adjusted(0, painter.fontMetrics().height() + _PAD, 0, 0)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         str(index.data(_DESCRIPTION) or ""))
        painter.restore()


class _Categories(QListWidget):
    """The category list: a category's number chooses it and goes on, one key (digits are
    the same keys in every layout); arrows, letters, Enter and the mouse work as before."""

    def __init__(self, go_on: Callable[[], None]) -> None:
        super().__init__()
        self._go_on = go_on

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        n = None if mods else option_number(event.text(), self.count())
        if n is None:
            super().keyPressEvent(event)
            return
        self.setCurrentRow(n - 1)
        event.accept()
        self._go_on()


class CategoryPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        intro = wrapped_label(t.tr("Choose the kind of problem. The next page asks only the "
                                   "questions that matter for it."))
        lay.addWidget(intro)
        self.list = _Categories(lambda: self._go_on(None))
        self.list.setObjectName("categories")
        self.list.setAccessibleName(t.tr("Kind of problem"))
        self.list.setSpacing(2)
        self.list.setItemDelegate(_CategoryDelegate(self.list))
        for c in flow.categories():
            item = QListWidgetItem(c.label)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setData(_DESCRIPTION, c.description)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, c.label)
            if c.description:
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, c.description)
            self.list.addItem(item)
        # A choice is a selection, not the current item: Qt makes the first item current when
        # the list gets the focus, and that must not pick a category for the person.
        self.list.itemSelectionChanged.connect(self._picked)
        # A double-click chooses and goes on (Enter does too: the list leaves it to the
        # window's default button, Next).
        self.list.itemDoubleClicked.connect(self._go_on)
        lay.addWidget(self.list, 1)
        intro.setBuddy(self.list)

    def title(self) -> str:
        return self.t.tr("What is the problem about?")

    def _picked(self) -> None:
        chosen = self.list.selectedItems()
        if chosen:
            self.flow.set_category(str(chosen[0].data(Qt.ItemDataRole.UserRole)))

    def _go_on(self, _item: QListWidgetItem | None) -> None:
        go_next = getattr(self.window(), "go_next", None)
        if go_next is not None:
            go_next()

    def refresh(self, what: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == self.flow.category:
                if not item.isSelected():
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
