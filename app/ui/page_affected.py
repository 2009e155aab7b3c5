"""The short path after "I'm affected too": the known problem, one optional question, and
the way back to the whole form. Next goes straight to the review."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, wrapped_label

# One sentence or two; the comment on the incident ticket stays short.
MAX_NOTE_CHARS = 500


class AffectedPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        self.incident = wrapped_label()
        lay.addWidget(self.incident)
        self.how = wrapped_label()
        lay.addWidget(self.how)
        question = QLabel(t.tr("Anything different for you? (optional)"))
        self.note = QPlainTextEdit()
        self.note.setObjectName("affected-note")
        self.note.setAccessibleName(t.tr("Anything different for you?"))
        self.note.setPlaceholderText(t.tr(
            "For example: it started earlier for me, or only on the laptop at home."))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.note.fontMetrics().lineSpacing() * 5 + 12)
        self.note.setPlainText(flow.affected_note)
        self.note.textChanged.connect(self._note_changed)
        question.setBuddy(self.note)
        lay.addWidget(question)
        lay.addWidget(self.note)
        self.full = QPushButton(t.tr("Describe my problem in full instead"))
        self.full.clicked.connect(self._full)
        lay.addWidget(self.full, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)

    def _note_changed(self) -> None:
        text = self.note.toPlainText()
        if len(text) > MAX_NOTE_CHARS:
            self.note.setPlainText(text[:MAX_NOTE_CHARS])
            return
        self.flow.set_affected_note(text)

    def _full(self) -> None:
        self.flow.set_full_report(True)
        self.flow.go("category")

    def title(self) -> str:
        return self.t.tr("You are affected by a known problem")

    def refresh(self, what: str) -> None:
        inc = self.flow.affected_incident()
        if inc is None:
            return
        when = inc.updated_at or inc.started_at
        updated = (self.t.tr("Last update at {time}", time=f"{when.astimezone():%H:%M}")
                   if when else "")
        # The helpdesk's words are text, never markup.
        self.incident.setText(f"<b>{escape(inc.title)}</b>"
                              + (f"<br>{escape(inc.details)}" if inc.details else "")
                              + (f"<br><i>{escape(updated)}</i>" if updated else ""))
        self.how.setText(self.flow.destination_text())

    def first_focus(self) -> QWidget | None:
        return self.note
