"""One report's way to the helpdesk as data: what the reporter chose to go with it
(:class:`ReportOptions`) and what came of sending it (:class:`Outcome`).

Light on purpose (no connectors, no HTTP): the report window names these types without
loading the delivery layer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.helpdesk.protocol import TicketRef

if TYPE_CHECKING:
    from app.report import Report

OutcomeState = Literal["sent", "saved", "queued", "sending", "failed"]


@dataclass(frozen=True)
class ReportOptions:
    """What the reporter chose before the form, as delivery acts on it. The report carries
    the choices (``Report.add_to_ticket``, ``Report.affected_incidents``); the outbox's
    ``options`` column only still holds them for reports queued by an older Flare."""

    add_to_ticket: str = ""  # the helpdesk id of an open ticket to add the report to
    affected_incidents: tuple[str, ...] = field(default_factory=tuple)
    # The reporter's answer to support from "My reports" (app/helpdesk/reply.py): added to
    # the ticket without files, and shown under that ticket instead of as a report.
    reply: bool = False

    @classmethod
    def of(cls, report: Report) -> ReportOptions:
        """The choices as the report carries them (report.json, so every destination sees
        them)."""
        return cls(report.add_to_ticket, tuple(report.affected_incidents))

    def __bool__(self) -> bool:
        return bool(self.add_to_ticket or self.affected_incidents)

    def to_json(self) -> str:
        if not (self.add_to_ticket or self.affected_incidents or self.reply):
            return ""
        data: dict[str, object] = {"add_to_ticket": self.add_to_ticket,
                                   "affected_incidents": list(self.affected_incidents)}
        if self.reply:
            data["reply"] = True
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ReportOptions:
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(str(data.get("add_to_ticket") or ""),
                   tuple(str(i) for i in data.get("affected_incidents") or ()),
                   data.get("reply") is True)

    def notes(self) -> list[str]:
        """Lines for the ticket text, so support sees the choice whatever the helpdesk."""
        if not self.affected_incidents:
            return []
        return ["The reporter is affected by the known incident(s) "
                f"{', '.join(self.affected_incidents)} too."]


@dataclass(frozen=True)
class Outcome:
    """Where a report went: sent (``ticket``), saved (the folder destination, ``path``),
    queued (the outbox sends it later), failed (kept in the outbox; the helpdesk refused it),
    or still sending (``follow(timeout)`` returns the final outcome once there is one, waiting
    at most ``timeout`` seconds for it, for ever with None: call that from a worker thread)."""

    item_id: int
    state: OutcomeState
    ticket: TicketRef | None = None
    error: str = ""  # why it is queued or failed, as the delivery layer says it
    error_kind: str = ""  # network, server, rate_limit, auth, validation, config
    helpdesk_message: str = ""
    path: Path | None = None
    notes: tuple[str, ...] = ()
    reused_existing: bool = False
    added_to_ticket: bool = False  # the report went into the open ticket the user chose
    # The user chose an open ticket but this destination cannot add to one: a new ticket that
    # names it was filed instead.
    new_instead_of_add: bool = False
    follow: Callable[[float | None], Outcome | None] | None = field(
        default=None, compare=False, repr=False)

    @property
    def ticket_number(self) -> str:
        return self.ticket.display() if self.ticket is not None else ""

    @property
    def ticket_url(self) -> str:
        return self.ticket.url if self.ticket is not None else ""
