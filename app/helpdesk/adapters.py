"""The helpdesk layer seen through the reporting flow's Protocols (app/flow.py):
``Submitter`` (queue + send at once), ``IncidentSource`` and ``ReportStatusSource``.

Only the outbox is imported at module level: the idle tray app lists "My reports" and what is
queued through this module, and the report model, the bundle writer and the HTTP connectors
would double its memory. They are imported where a report is actually written or sent.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.helpdesk.outbox import Outbox, OutboxItem
from app.i18n import Translator
from app.ui.report_status import MyReport

if TYPE_CHECKING:
    from app.bundle import Bundle
    from app.flow import IncidentInfo, OpenTicket, SubmitOptions, SubmitResult
    from app.helpdesk.delivery import Deliverer, Outcome
    from app.helpdesk.protocol import Connector


class OutboxSubmitter:
    """Writes the reviewed bundle, queues it durably, then tries to send it right away.

    With ``wait_s`` the send runs in a worker thread (with its own outbox connection: SQLite
    connections stay in their thread) and ``submit`` waits at most that long; a send still
    running then is reported as ``sending`` and its result is read later through
    ``SubmitResult.follow``. Without it the send runs in the caller's thread.
    """

    def __init__(self, outbox: Outbox, deliverer: Deliverer, destination: str,
                 staging_dir: Path, *, wait_s: float | None = None) -> None:
        self.outbox = outbox
        self.deliverer = deliverer
        self.destination = destination
        self.staging_dir = staging_dir
        self.wait_s = wait_s

    def submit(self, bundle: Bundle) -> SubmitResult:
        from app.flow import SubmitOptions

        return self.submit_with(bundle, SubmitOptions())

    def submit_with(self, bundle: Bundle, options: SubmitOptions) -> SubmitResult:
        item = self._enqueue(bundle, options)
        if self.wait_s is None:
            return self._result(self.deliverer.send_now(item.id))
        return self._send_in_worker(item.id, self.wait_s)

    def _enqueue(self, bundle: Bundle, options: SubmitOptions) -> OutboxItem:
        from app.bundle import write_bundle
        from app.helpdesk.delivery import ReportOptions

        self.staging_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.staging_dir))
        try:
            path = write_bundle(bundle.report, bundle.files, tmp,
                                diagnostics=bundle.diagnostics)
            opts = ReportOptions(options.add_to_ticket, tuple(options.affected_incidents))
            return self.outbox.enqueue(path, self.destination, report_id=str(bundle.report.id),
                                       title=bundle.report.title, options=opts.to_json())
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _send_in_worker(self, item_id: int, wait_s: float) -> SubmitResult:
        from app.flow import SubmitResult
        from app.helpdesk.delivery import Deliverer

        done = threading.Event()
        box: list[SubmitResult] = []

        def work() -> None:
            try:
                with Outbox(self.outbox.dir.parent, self.outbox.clock) as own:
                    d = self.deliverer
                    mine = Deliverer(own, d.connector_for, policy=d.policy, rng=d.rng,
                                     owner=d.owner, in_flight_s=d.in_flight_s,
                                     check=d.check)
                    box.append(self._result(mine.send_now(item_id), own))
            except Exception as exc:  # the item stays queued; the tray sends it later
                box.append(SubmitResult(state="queued", reason=str(exc)))
            finally:
                done.set()

        threading.Thread(target=work, name=f"flare-send-{item_id}", daemon=True).start()
        if done.wait(wait_s):
            return box[0]

        def follow() -> SubmitResult | None:
            return box[0] if done.is_set() else None

        return SubmitResult(state="sending", follow=follow)

    def _result(self, outcome: Outcome, box: Outbox | None = None) -> SubmitResult:
        from app.flow import SubmitResult

        if outcome.state == "sent" and outcome.ticket is not None:
            if self.destination == "folder":
                return SubmitResult(state="saved", path=Path(outcome.ticket.id))
            return SubmitResult(state="sent", ticket_number=outcome.ticket.display(),
                                ticket_url=outcome.ticket.url,
                                added_to_ticket=outcome.added_to_ticket,
                                new_instead_of_add=outcome.new_instead_of_add)
        item = (box or self.outbox).get(outcome.item_id)
        return SubmitResult(state="failed" if outcome.state == "failed" else "queued",
                            reason=outcome.error or item.last_error,
                            reason_kind=item.error_kind,
                            helpdesk_message=item.helpdesk_message)


class HelpdeskIncidents:
    """Known incidents and the reporter's open tickets, where the helpdesk offers them.

    The connector is made on first use (in the flow's worker thread), so a misconfigured or
    slow destination never delays the report window; any failure reads as "nothing known".
    """

    def __init__(self, connector: Connector | Callable[[], Connector],
                 reporter_email: str) -> None:
        self._connector = connector
        self.reporter_email = reporter_email

    def _get(self) -> Connector | None:
        from app.errors import FlareError
        from app.helpdesk.protocol import Connector

        if isinstance(self._connector, Connector):
            return self._connector
        try:
            self._connector = self._connector()
        except FlareError:  # a destination that is not set up: nothing to show
            return None
        return self._connector

    def incidents(self) -> list[IncidentInfo]:
        from app.flow import IncidentInfo
        from app.helpdesk.errors import DeliveryError
        from app.helpdesk.protocol import Unsupported

        conn = self._get()
        if conn is None or "incidents" not in conn.capabilities:
            return []
        try:
            found = conn.incidents()
        except (DeliveryError, Unsupported):
            return []
        return [IncidentInfo(i.id, i.title, i.details, i.url) for i in found]

    def open_tickets(self) -> list[OpenTicket]:
        from app.flow import OpenTicket
        from app.helpdesk.errors import DeliveryError
        from app.helpdesk.protocol import Unsupported

        conn = self._get()
        if conn is None or "open_tickets" not in conn.capabilities or not self.reporter_email:
            return []
        try:
            found = conn.open_tickets(self.reporter_email)
        except (DeliveryError, Unsupported):
            return []
        return [OpenTicket(t.ref.id, t.ref.display(), t.title, t.status.label, t.ref.url)
                for t in found]


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


def waiting(box: Outbox) -> list[Waiting]:
    now = box.clock().timestamp()
    return [Waiting(i.title, i.state, i.attempts, max(0, int(i.next_attempt_at - now)),
                    i.last_error, i.why(now))
            for i in box.items(("queued", "sending", "failed"))]
