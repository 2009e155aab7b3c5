"""Ticket status for the reporter: a gentle poll of sent tickets, and the report window's
look at open tickets and known incidents."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.helpdesk.errors import DeliveryError
from app.helpdesk.outbox import Outbox
from app.helpdesk.outbox_reports import is_reply_item, replies_to_json
from app.helpdesk.protocol import (
    Connector,
    Incident,
    ReadsReplies,
    TicketRef,
    TicketSummary,
    Unsupported,
)

log = logging.getLogger("flare.helpdesk")

# A closed ticket is checked rarely: it may be reopened, but nobody waits for it.
CLOSED_FACTOR = 24


@dataclass(frozen=True)
class StatusChange:
    item_id: int
    title: str
    ticket: TicketRef
    old_state: str
    new_state: str
    label: str

    def message(self) -> str:
        return f"Your report \"{self.title}\" (ticket {self.ticket.display()}) is now {self.label}"

    @property
    def waits_for_reporter(self) -> bool:
        """Support asked something and waits for the reporter's answer."""
        return self.new_state == "waiting"


def poll_statuses(outbox: Outbox, connector_for: Callable[[str], Connector], *,
                  every_s: float, limit: int = 20) -> list[StatusChange]:
    """Read the status of sent tickets not checked within ``every_s``; return what changed.

    ``every_s`` <= 0 turns polling off (destination.poll_minutes = 0).
    """
    if every_s <= 0:
        return []
    now = outbox.clock().timestamp()
    changes: list[StatusChange] = []
    checked = 0
    connectors: dict[str, Connector] = {}
    for item in outbox.items(("sent",)):
        # An answer sent from "My reports" is on its report's ticket: that item is polled.
        if item.ticket is None or checked >= limit or is_reply_item(item):
            continue
        interval = every_s * (CLOSED_FACTOR if item.status_state == "closed" else 1)
        # A tenth of slack: an item checked near the end of the last round (poll timer every
        # `every_s`) is due at this one, not at the one after (poll_minutes 1 polled every 2).
        if now - item.status_checked_at < interval * 0.9:
            continue
        checked += 1
        try:
            conn = connectors.setdefault(item.destination, connector_for(item.destination))
            if "status" not in conn.capabilities:
                outbox.touch_status_check(item.id)
                continue
            status = conn.status(item.ticket)
        except (DeliveryError, Unsupported) as exc:
            log.info("status of %s not read: %s", item.ticket.id, exc)
            outbox.touch_status_check(item.id)
            continue
        outbox.set_status(item.id, status)
        if "replies" in conn.capabilities and isinstance(conn, ReadsReplies):
            try:
                outbox.set_replies(item.id, replies_to_json(conn.replies(item.ticket)))
            except (DeliveryError, Unsupported) as exc:
                log.info("replies on %s not read: %s", item.ticket.id, exc)
        # A first reading that finds the helpdesk waiting for the reporter is news too (a
        # question asked before the first poll); any other first reading is not.
        first = not item.status_state
        if item.status_state != status.state and (not first or status.state == "waiting"):
            changes.append(StatusChange(item.id, item.title, item.ticket, item.status_state,
                                        status.state, status.label or status.state))
    return changes


@dataclass
class WindowInfo:
    """What the report window shows before the form: open tickets and known incidents."""

    open_tickets: list[TicketSummary] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def report_window_info(connector: Connector, reporter_email: str) -> WindowInfo:
    info = WindowInfo()
    if "open_tickets" in connector.capabilities and reporter_email:
        try:
            info.open_tickets = connector.open_tickets(reporter_email)
        except (DeliveryError, Unsupported) as exc:
            info.problems.append(f"open tickets not available: {exc}")
    if "incidents" in connector.capabilities:
        try:
            info.incidents = connector.incidents()
        except (DeliveryError, Unsupported) as exc:
            info.problems.append(f"known incidents not available: {exc}")
    return info
