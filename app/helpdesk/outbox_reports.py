"""What the outbox holds, for people: "My reports" (newest first, with ticket states) and the
tray's list of reports still waiting, each with why it waits.

Only the outbox is imported: the idle tray app polls this, and the report model, the bundle
writer and the HTTP connectors would double its memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.helpdesk.outbox import Outbox, OutboxItem
from app.i18n import Translator
from app.report_status import MyReport


class OutboxReports:
    """"My reports": what the outbox holds, newest first, with ticket states, in the user's
    language (``OutboxItem.why`` is the English line for logs and the CLI)."""

    def __init__(self, outbox_factory: Callable[[], Outbox], t: Translator | None = None,
                 limit: int = 50) -> None:
        self.outbox_factory = outbox_factory
        self.t = t or Translator("en")
        self.limit = limit

    def my_reports(self) -> list[MyReport]:
        with self.outbox_factory() as box:
            now = box.clock().timestamp()
            items = sorted(box.items(), key=lambda i: i.created_at, reverse=True)[: self.limit]
        return [self._row(i, now) for i in items]

    def _row(self, i: OutboxItem, now: float) -> MyReport:
        created = datetime.fromtimestamp(i.created_at, UTC)
        if i.destination == "folder" and i.ticket is not None:
            # The folder destination's "ticket" is the copy in the reports folder.
            return MyReport(i.title, created, self.t.tr("saved"), link=i.ticket.id)
        if i.state == "sent" and i.ticket is not None:
            return MyReport(i.title, created, i.status_label or self.t.tr("sent"),
                            ticket=i.ticket.display(), link=i.ticket.url)
        status = why_text(self.t, i.state, i.attempts,
                          max(0, int(i.next_attempt_at - now)), i.last_error)
        return MyReport(i.title, created, status)


def why_text(t: Translator, state: str, attempts: int, retry_in_s: int, error: str) -> str:
    """Why a report is not sent yet, for the user (the tray, "My reports")."""
    if state == "sending":
        return t.tr("sending now")
    if state == "failed":
        return t.tr("not sent: {error}", error=error)
    if attempts == 0:
        return t.tr("waiting to be sent")
    return t.tr("next try in {minutes} min: {error}",
                minutes=max(1, round(retry_in_s / 60)), error=error)


@dataclass(frozen=True)
class Waiting:
    """A report the outbox still holds (queued, sending or failed), for the tray."""

    title: str
    state: str
    attempts: int
    retry_in_s: int
    error: str
    why: str  # OutboxItem.why(): the delivery layer's own English line
    item_id: int = 0


def waiting(box: Outbox) -> list[Waiting]:
    now = box.clock().timestamp()
    return [Waiting(i.title, i.state, i.attempts, max(0, int(i.next_attempt_at - now)),
                    i.last_error, i.why(now), i.id)
            for i in box.items(("queued", "sending", "failed"))]
