"""The helpdesk layer seen through the reporting flow's Protocols (app/flow.py):
``Submitter`` (queue + send at once), ``IncidentSource`` and ``ReportStatusSource``."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.bundle import Bundle, write_bundle
from app.flow import IncidentInfo, MyReport, OpenTicket, SubmitResult
from app.helpdesk.delivery import Deliverer
from app.helpdesk.errors import DeliveryError
from app.helpdesk.outbox import Outbox
from app.helpdesk.protocol import Connector, Unsupported


class OutboxSubmitter:
    """Writes the reviewed bundle, queues it durably, then tries to send it right away."""

    def __init__(self, outbox: Outbox, deliverer: Deliverer, destination: str,
                 staging_dir: Path) -> None:
        self.outbox = outbox
        self.deliverer = deliverer
        self.destination = destination
        self.staging_dir = staging_dir

    def submit(self, bundle: Bundle) -> SubmitResult:
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.staging_dir))
        try:
            path = write_bundle(bundle.report, bundle.files, tmp,
                                diagnostics=bundle.diagnostics)
            item = self.outbox.enqueue(path, self.destination, report_id=str(bundle.report.id),
                                       title=bundle.report.title)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        outcome = self.deliverer.send_now(item.id)
        if outcome.state == "sent" and outcome.ticket is not None:
            return SubmitResult(state="sent", ticket_number=outcome.ticket.display(),
                                ticket_url=outcome.ticket.url)
        return SubmitResult(state="queued", notes=(outcome.error,) if outcome.error else ())


class HelpdeskIncidents:
    """Known incidents and the reporter's open tickets, where the helpdesk offers them."""

    def __init__(self, connector: Connector, reporter_email: str) -> None:
        self.connector = connector
        self.reporter_email = reporter_email

    def incidents(self) -> list[IncidentInfo]:
        if "incidents" not in self.connector.capabilities:
            return []
        try:
            found = self.connector.incidents()
        except (DeliveryError, Unsupported):
            return []
        return [IncidentInfo(i.id, i.title, i.details, i.url) for i in found]

    def open_tickets(self) -> list[OpenTicket]:
        if "open_tickets" not in self.connector.capabilities or not self.reporter_email:
            return []
        try:
            found = self.connector.open_tickets(self.reporter_email)
        except (DeliveryError, Unsupported):
            return []
        return [OpenTicket(t.ref.id, t.ref.display(), t.title, t.status.label, t.ref.url)
                for t in found]


class OutboxReports:
    """"My reports": what the outbox holds, newest first, with ticket states."""

    def __init__(self, outbox_factory: Callable[[], Outbox], limit: int = 50) -> None:
        self.outbox_factory = outbox_factory
        self.limit = limit

    def my_reports(self) -> list[MyReport]:
        with self.outbox_factory() as box:
            now = box.clock().timestamp()
            items = sorted(box.items(), key=lambda i: i.created_at, reverse=True)[: self.limit]
        return [
            MyReport(
                title=i.title, created_at=datetime.fromtimestamp(i.created_at, UTC),
                status=i.status_label or i.why(now),
                ticket=i.ticket.display() if i.ticket else "",
                link=i.ticket.url if i.ticket else "",
            )
            for i in items
        ]
