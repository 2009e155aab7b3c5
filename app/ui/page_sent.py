"""Page 7: where the report went (sent, saved, queued for later, or refused), and why."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, wrapped_label

# While the first attempt to send is still running (a slow helpdesk), look for its result this
# often; the send itself runs in a worker thread, the window stays usable.


class SentPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        self.message = wrapped_label()
        self.message.setObjectName("sent-message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.message.setOpenExternalLinks(True)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)
        lay.addWidget(self.message)
        self.notes = wrapped_label()
        self.notes.setObjectName("sent-details")
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.notes)
        self.open_folder = QPushButton(t.tr("Show the report folder"))
        self.open_folder.clicked.connect(self._open_folder)
        lay.addWidget(self.open_folder, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        self.hint = QLabel(t.tr("You can follow it under \"My reports\" in the Flare menu."))
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)

    def title(self) -> str:
        return self.t.tr("Thank you")

    def refresh(self, what: str) -> None:
        r = self.flow.result
        if r is None:
            return
        text = escape(self.flow.sent_message())
        if r.state == "sent" and r.ticket_url:
            link = escape(r.ticket_url)
            text += f'<br><a href="{link}">{escape(self.t.tr("Open the ticket"))}</a>'
        self.message.setText(text)
        details = self.flow.sent_details()
        self.notes.setText("\n".join(details))
        self.notes.setVisible(bool(details))
        self.open_folder.setVisible(r.path is not None)
        # While sending, the flow says when it ended (refresh("result")): nothing polls.
        # Nothing was sent for a status-page incident: there is nothing to follow in My reports.
        self.hint.setVisible(r.state != "sending" and not self.flow.sends_nothing())

    def _open_folder(self) -> None:
        r = self.flow.result
        if r is not None and r.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(r.path)))

    def first_focus(self) -> QWidget | None:
        return self.message
