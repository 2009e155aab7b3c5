"""Page 1: known incidents and the reporter's open tickets, before the form."""

from __future__ import annotations

from functools import partial
from html import escape

from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.flow import ReportFlow
from app.i18n import Translator
from app.ui.page_base import Page, column, radio_row, scrolling, wrapped_label


class IncidentsPage(Page):
    def __init__(self, flow: ReportFlow, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(flow, t, parent)
        outer = column(self)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        outer.addWidget(scrolling(inner), 1)
        self.buttons: dict[str, QPushButton] = {}
        self._first: QWidget | None = None
        incidents = flow.incidents()
        if incidents:
            box = QGroupBox(t.tr("Known problems right now"))
            col = QVBoxLayout(box)
            col.addWidget(wrapped_label(t.tr(
                "Support already knows about these. If yours is one of them, say so: "
                "you do not need to fill in the whole form.")))
            for inc in incidents:
                row = QHBoxLayout()
                # The helpdesk's words are text, never markup.
                when = inc.updated_at or inc.started_at
                updated = (t.tr("Last update at {time}", time=f"{when.astimezone():%H:%M}")
                           if when else "")
                text = wrapped_label(f"<b>{escape(inc.title)}</b>"
                                     + (f"<br>{escape(inc.details)}" if inc.details else "")
                                     + (f"<br><i>{escape(updated)}</i>" if updated else ""))
                button = QPushButton(t.tr("I'm affected too"))
                button.setAccessibleName(t.tr("I'm affected too: {title}", title=inc.title))
                button.setCheckable(True)
                button.setChecked(inc.id in flow.joined_incidents())
                button.toggled.connect(lambda on, i=inc.id: self._affected(i, on))
                self.buttons[inc.id] = button
                self._first = self._first or button
                row.addWidget(text, 1)
                row.addWidget(button)
                col.addLayout(row)
            lay.addWidget(box)
        tickets = flow.open_tickets()
        if tickets:
            box = QGroupBox(t.tr("Your open tickets"))
            col = QVBoxLayout(box)
            col.addWidget(wrapped_label(t.tr(
                "Is this about one of them? Then add to it instead of opening a new one.")))
            group = QButtonGroup(box)
            new = QRadioButton(t.tr("This is a new problem"))
            new.setChecked(not flow.add_to_ticket)
            new.toggled.connect(lambda on: self._ticket("", on))
            group.addButton(new)
            col.addWidget(new)
            self._first = self._first or new
            for tk in tickets:
                status = f" — {tk.status.label}" if tk.status.label else ""
                described = t.tr("Add to my open ticket {number}: {title}", number=tk.ref.display(),
                                 title=tk.title) + status
                col.addLayout(radio_row(group, described, flow.add_to_ticket == tk.ref.id,
                                        partial(self._ticket, tk.ref.id)))
            lay.addWidget(box)
        lay.addStretch(1)
        self.status = QLabel()
        outer.addWidget(self.status)

    def _affected(self, incident_id: str, on: bool) -> None:
        self.flow.affected_too(incident_id, on)

    def _ticket(self, ticket_id: str, on: bool) -> None:
        if on:
            self.flow.choose_ticket(ticket_id)

    def title(self) -> str:
        return self.t.tr("Is it already known?")

    def refresh(self, what: str) -> None:
        joined = self.flow.joined_incidents()
        if self.flow.short_path():
            text = self.t.tr("No need to fill in the whole form: press Next, answer one "
                             "optional question and send.")
        elif joined:
            text = self.t.tr("Your report will say that this known problem affects you too.")
        else:
            text = ""
        self.status.setText(text)

    def first_focus(self) -> QWidget | None:
        return self._first
