"""Small things from issue 15: the ticket body leads with the findings that matter and says
what the reporter left out; poll_minutes 1 polls every minute, not every two."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.folder import FolderConnector
from app.helpdesk.outbox import Outbox
from app.helpdesk.protocol import TicketRef, TicketStatus
from app.helpdesk.status import poll_statuses
from app.helpdesk.ticket_text import ticket_text
from app.report import Consent, Diagnostics, DiagnosticSection, Finding
from tests.factories import sample_bundle, sample_report


def test_findings_come_by_severity_and_skipped_collectors_take_one_line() -> None:
    report, _files, _diag = sample_report()
    report = report.model_copy(update={"consent": Consent(
        excluded_steps=2, excluded_diagnostics=["processes", "network"])})
    diagnostics = Diagnostics(started_at=report.created_at, sections=[
        DiagnosticSection(name="printers", title="Printers", status="skipped"),
        DiagnosticSection(name="usb", title="USB devices", status="skipped"),
        DiagnosticSection(name="uptime", title="Uptime",
                          findings=[Finding(severity="info", message="up 2 days")]),
        DiagnosticSection(name="disk", title="Disk",
                          findings=[Finding(severity="error", message="C: is 99% full")]),
        DiagnosticSection(name="vpn", title="VPN", status="timeout", error="no answer in 2 s"),
    ])
    text = ticket_text(report, diagnostics)
    block = text.split("Diagnostics findings\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == ["- Disk: [error] C: is 99% full", "- Uptime: [note] up 2 days",
                     "- VPN: [timed out] no answer in 2 s",
                     "- not collected: Printers, USB devices"]
    assert "Left out by the reporter: 2 screenshots; diagnostics: processes, network" in text


def test_nothing_left_out_says_nothing() -> None:
    report, _files, diagnostics = sample_report()
    assert "Left out" not in ticket_text(report, diagnostics)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_one_minute_poll_reads_each_ticket_every_round(tmp_path: Path) -> None:
    clock = Clock()
    folder = FolderConnector(tmp_path / "reports")
    with Outbox(tmp_path / "state", clock) as box:
        path = sample_bundle(tmp_path / "draft")
        item = box.enqueue(path, "folder", report_id="r1", title="t")
        box.mark_sent(item.id, folder.submit(open_delivery_bundle(path)))
        reads = []
        real = folder.status

        def counting(ref: TicketRef) -> TicketStatus:
            reads.append(clock.now)
            return real(ref)

        folder.status = counting  # type: ignore[method-assign]
        for _ in range(5):
            before = len(reads)
            poll_statuses(box, lambda _d: folder, every_s=60)
            # The read took a second (its check is stamped when it ends); the poll timer
            # fires 60 s after it last fired.
            clock.now += timedelta(seconds=1)
            if len(reads) > before:
                box.touch_status_check(item.id)
            clock.now += timedelta(seconds=59)
    assert len(reads) == 5  # with no slack: 3 (every other round)
