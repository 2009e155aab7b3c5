"""Where a report landed and the state of its ticket: the two values the outbox keeps.

Apart from :mod:`app.helpdesk.protocol` (which re-exports them) so that reading the outbox
(`flare outbox list`, the idle tray) needs neither the connector protocol, dataclasses nor typing.
"""

from __future__ import annotations

from app.records import Record

# Not typing.TYPE_CHECKING: see app.records.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Literal

    TicketState = Literal["open", "waiting", "resolved", "closed"]
else:
    TicketState = str
TICKET_STATES: tuple[TicketState, ...] = ("open", "waiting", "resolved", "closed")


class TicketRef(Record):
    """Where a report landed: the helpdesk's id, the number people quote, a link."""

    id: str
    number: str = ""
    url: str = ""

    def display(self) -> str:
        return self.number or self.id


class TicketStatus(Record):
    state: TicketState
    label: str = ""  # the helpdesk's own word ("stalled", "Feedback", "Pending")
    updated_at: datetime | None = None
