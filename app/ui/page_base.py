"""What every page of the report window has: a title, a refresh, and where focus starts."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.qtapp import bring_to_front

__all__ = ["Page", "bring_to_front", "column", "error_colour", "scrolling", "wrapped_label"]


def error_colour(widget: QWidget) -> str:
    """A red that reads well on the current background, light or dark."""
    dark = widget.palette().window().color().lightness() < 128
    return "#ff8787" if dark else "#c92a2a"


def wrapped_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


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
