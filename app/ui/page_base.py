"""What every page of the report window has: a title, a refresh, and where focus starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import Translator
from app.ui.qtapp import bring_to_front

# Only named in annotations: the tray's known-problems window uses this module's labels, and
# must not load the report machinery behind the idle icon.
if TYPE_CHECKING:
    from app.flow import ReportFlow

__all__ = ["Page", "bring_to_front", "column", "error_colour", "radio_row", "scrolling",
           "wrapped_label"]


def error_colour(widget: QWidget) -> str:
    """A red that reads well on the current background, light or dark."""
    dark = widget.palette().window().color().lightness() < 128
    return "#ff8787" if dark else "#c92a2a"


def wrapped_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def radio_row(group: QButtonGroup, text: str, checked: bool,
              chosen: Callable[[bool], None]) -> QHBoxLayout:
    """A choice of ``group`` whose long text wraps: a radio button's own text never does, so
    the text goes in a label beside it (its buddy, and the button's accessible name) and the
    page never grows wider than the window."""
    row = QHBoxLayout()
    radio = QRadioButton()
    radio.setAccessibleName(text)
    label = wrapped_label(text)
    label.setBuddy(radio)
    radio.setChecked(checked)
    radio.toggled.connect(chosen)
    group.addButton(radio)
    row.addWidget(radio, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    return row


class Page(QWidget):
    """A page of the report window; the window calls :meth:`refresh` after changes."""

    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.t = t

    def title(self) -> str:
        raise NotImplementedError

    def refresh(self, what: str) -> None:
        """Show the flow's current state; ``what`` says what changed ("page", "answers", …)."""

    def first_focus(self) -> QWidget | None:
        return None


def scrolling(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(inner)
    return area


def column(parent: QWidget) -> QVBoxLayout:
    lay = QVBoxLayout(parent)
    lay.setContentsMargins(0, 0, 0, 0)
    return lay
