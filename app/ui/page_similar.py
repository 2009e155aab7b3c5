"""After the questions: "this looks like ticket 1002, filed 10 minutes ago: add to it?" —
the helpdesk's recent tickets like this one (the reporter's own and the site's)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QWidget

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, radio_row, wrapped_label


class SimilarPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        lay = column(self)
        lay.addWidget(wrapped_label(t.tr(
            "Support may already have this problem in a ticket. Adding to it helps them more "
            "than a new one.")))
        group = QButtonGroup(self)
        self.new = QRadioButton(t.tr("No, this is a new problem"))
        self.new.setChecked(not flow.add_to_ticket)
        self.new.toggled.connect(lambda on: self._choose("", on))
        group.addButton(self.new)
        now = flow.ctx.clock()
        for tk in flow.similar_tickets():
            filed = tk.status.updated_at
            minutes = max(1, int((now - filed).total_seconds() // 60)) if filed else 0
            text = (t.ntr("This looks like ticket {number}, filed {n} minute ago: {title}. "
                          "Add my report to it.",
                          "This looks like ticket {number}, filed {n} minutes ago: {title}. "
                          "Add my report to it.", n=minutes, number=tk.ref.display(),
                          title=tk.title)
                    if filed else
                    t.tr("This looks like ticket {number}: {title}. Add my report to it.",
                         number=tk.ref.display(), title=tk.title))
            lay.addLayout(radio_row(group, text, flow.add_to_ticket == tk.ref.id,
                                    partial(self._choose, tk.ref.id)))
        lay.addWidget(self.new)
        lay.addStretch(1)

    def _choose(self, ticket_id: str, on: bool) -> None:
        if on:
            self.flow.choose_ticket(ticket_id)

    def title(self) -> str:
        return self.t.tr("Is it already in a ticket?")

    def first_focus(self) -> QWidget | None:
        return self.new
