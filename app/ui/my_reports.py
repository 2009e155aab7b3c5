""""My reports": what this user sent, where each stands, what support replied, and an answer
box for a ticket (the answer goes through the outbox, so it is never lost)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import Translator
from app.report_status import AnswerSink, MyReport, ReportReply, ReportStatusSource
from app.ui.page_base import error_colour, wrapped_label

_LINK = Qt.ItemDataRole.UserRole
_INDEX = Qt.ItemDataRole.UserRole + 1


class MyReportsWindow(QDialog):
    def __init__(self, source: ReportStatusSource, t: Translator,
                 parent: QWidget | None = None, *,
                 on_answer: Callable[[], None] | None = None) -> None:
        """``on_answer``: called after an answer is queued (the app starts a delivery round
        at once instead of waiting for the next timer)."""
        super().__init__(parent)
        self.t = t
        self.source = source
        self.on_answer = on_answer
        self.setWindowTitle(t.tr("My reports"))
        self.setObjectName("my-reports")
        self.resize(720, 560)
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(t.tr("My reports"))
        self.tree.setHeaderLabels([t.tr("Report"), t.ptr("column: when", "Sent"),
                                   t.tr("Status"), t.tr("Ticket")])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._open)
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())
        split.addWidget(self.tree)

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.waiting = wrapped_label()
        self.waiting.setObjectName("waiting-for-you")
        self.waiting.setStyleSheet("font-weight: bold")
        dl.addWidget(self.waiting)
        dl.addWidget(QLabel(t.tr("Replies from support")))
        # Plain text only: a reply is the helpdesk's text, never markup that Flare renders.
        self.conversation = QPlainTextEdit()
        self.conversation.setReadOnly(True)
        self.conversation.setObjectName("replies")
        self.conversation.setAccessibleName(t.tr("Replies from support"))
        dl.addWidget(self.conversation, 2)
        self.answer_label = QLabel(t.tr("&Your answer"))
        dl.addWidget(self.answer_label)
        self.answer = QPlainTextEdit()
        self.answer.setObjectName("answer")
        self.answer.setAccessibleName(t.tr("Your answer"))
        self.answer.setTabChangesFocus(True)
        self.answer.textChanged.connect(self._answer_changed)
        self.answer_label.setBuddy(self.answer)
        dl.addWidget(self.answer, 1)
        row = QHBoxLayout()
        self.answer_note = wrapped_label()
        self.answer_note.setObjectName("answer-note")
        row.addWidget(self.answer_note, 1)
        self.send = QPushButton(t.tr("Send &answer"))
        self.send.setObjectName("send-answer")
        self.send.clicked.connect(self._send_answer)
        row.addWidget(self.send)
        dl.addLayout(row)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        lay.addWidget(split)
        self.detail = detail

        self.empty = wrapped_label(t.tr("You have not sent any report yet."))
        lay.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.reports: list[MyReport] = []
        self._keep_note = False
        self.reload()

    # ------------------------------------------------------------------ content

    def reload_keeping_answer(self) -> None:
        """After a delivery round: new replies and states, the same report selected, and
        what the person is typing and was told left as it is."""
        r = self.current_report()
        self.reload(keep_item=r.item_id if r else None, keep_note=True)

    def reload(self, keep_item: int | None = None, keep_note: bool = False) -> None:
        self._keep_note = keep_note  # clearing the tree changes the current item too
        self.reports = self.source.my_reports()
        self.tree.clear()
        current = None
        for index, r in enumerate(self.reports):
            when = f"{r.created_at.astimezone():%Y-%m-%d %H:%M}" if r.created_at else ""
            status = r.status
            if r.waiting_for_reporter:
                status = self.t.tr("{status} - waiting for your answer", status=r.status)
            item = QTreeWidgetItem(self.tree, [r.title, when, status, r.ticket])
            item.setData(0, _LINK, r.link)
            item.setData(0, _INDEX, index)
            if keep_item is not None and r.item_id == keep_item:
                current = item
        self.empty.setVisible(not self.reports)
        self.detail.setVisible(bool(self.reports))
        if current is None and self.reports:
            # The first report support waits on, else the newest.
            first = next((i for i, r in enumerate(self.reports) if r.waiting_for_reporter), 0)
            current = self.tree.topLevelItem(first)
        if current is not None:
            self.tree.setCurrentItem(current)
        self._show_current()
        self._keep_note = False

    def current_report(self) -> MyReport | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return self.reports[int(item.data(0, _INDEX))]

    def _show_current(self) -> None:
        r = self.current_report()
        self.waiting.setVisible(bool(r and r.waiting_for_reporter))
        if r is not None and r.waiting_for_reporter:
            self.waiting.setText(self.t.tr(
                "Support is waiting for your answer on ticket {ticket}.", ticket=r.ticket))
        self.conversation.setPlainText(self._conversation_text(r))
        answerable = bool(r and r.can_answer and isinstance(self.source, AnswerSink))
        for w in (self.answer_label, self.answer):
            w.setVisible(answerable)
        self.send.setVisible(answerable)
        if not self._keep_note:
            self.answer_note.setText("")
        self._answer_changed()

    def _conversation_text(self, r: MyReport | None) -> str:
        if r is None:
            return ""
        if not r.replies:
            return (self.t.tr("No reply from support yet.") if r.ticket
                    else self.t.tr("Replies appear here once the report is a ticket."))
        return "\n\n".join(self._one(reply) for reply in r.replies)

    def _one(self, reply: ReportReply) -> str:
        when = f"{reply.at.astimezone():%Y-%m-%d %H:%M}" if reply.at else ""
        head = " · ".join(x for x in (reply.author, when) if x)
        if reply.pending:
            head += f" ({reply.pending})"
        return f"{head}\n{reply.text}"

    # ------------------------------------------------------------------ answering

    def _answer_changed(self) -> None:
        self.send.setEnabled(bool(self.answer.toPlainText().strip()))

    def _send_answer(self) -> None:
        r = self.current_report()
        text = self.answer.toPlainText().strip()
        if r is None or not text or not isinstance(self.source, AnswerSink):
            return
        try:
            self.source.answer(r.item_id, text)
        except Exception as exc:  # the outbox could not take it: say so, keep the text
            self.answer_note.setStyleSheet(f"color: {error_colour(self)}")
            self.answer_note.setText(self.t.tr(
                "Your answer was not queued ({error}); it is still in the box.",
                error=str(exc)))
            return
        self.answer.clear()
        self.reload(keep_item=r.item_id)
        self.answer_note.setStyleSheet("")
        self.answer_note.setText(self.t.tr(
            "Your answer is queued and goes to ticket {ticket} now (or as soon as the "
            "helpdesk can be reached).", ticket=r.ticket))
        if self.on_answer is not None:
            self.on_answer()

    def _open(self, item: QTreeWidgetItem, _col: int) -> None:
        link = str(item.data(0, _LINK) or "")
        if link:
            url = QUrl(link) if "://" in link else QUrl.fromLocalFile(link)
            QDesktopServices.openUrl(url)
