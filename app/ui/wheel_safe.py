"""Answer widgets that the mouse wheel never changes: the wheel scrolls the page instead.

Qt's combo and spin boxes take wheel events even when closed and unfocused, so scrolling down
a form silently changed answers ("Who is affected?" became "Just me"). These pass the wheel on
to the scroll area around them.
"""

from __future__ import annotations

from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QSpinBox,
    QTimeEdit,
    QWidget,
)


class ComboBox(QComboBox):
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()


class SpinBox(QSpinBox):
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()


class DoubleSpinBox(QDoubleSpinBox):
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()


class TimeEdit(QTimeEdit):
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()

    def focusNextPrevChild(self, next: bool) -> bool:
        return _leave(self, next)


class DateTimeEdit(QDateTimeEdit):
    def wheelEvent(self, e: QWheelEvent) -> None:
        e.ignore()

    def focusNextPrevChild(self, next: bool) -> bool:
        return _leave(self, next)


def _leave(edit: QDateTimeEdit, forward: bool) -> bool:
    """Tab leaves a date or time field for the next question, as in every other field: Qt
    walks through the field's five sections first, five keys for an answer the machine
    already filled in. The sections stay a Left/Right arrow away."""
    return QWidget.focusNextPrevChild(edit, forward)
