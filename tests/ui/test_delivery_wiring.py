"""The report window and the tray wired to the delivery layer, offscreen: every report goes
through the durable outbox (the folder destination too), an unreachable helpdesk leaves it
queued with the reason on the last page, and the tray's schedule sends it later."""

from __future__ import annotations

import http.server
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bundle import list_bundles, read_bundle
from app.context import AppContext
from app.helpdesk.outbox import Outbox
from app.helpdesk.protocol import Incident, TicketRef, TicketStatus, TicketSummary
from app.ui.app import FlareApp
from app.ui.page_incidents import IncidentsPage
from app.ui.page_sent import SentPage
from app.wiring import flow_deps
from tests.netutil import closed_port
from tests.ui.window_driving import click_next, fill_and_send, fill_to_review, open_window

CLOSED_SPEC = """\
flare_connector: 1
name: closed
title: Closed door helpdesk
params:
  url: {required: true, setting: destination.url}
http:
  base_url: "{{ params.url }}"
operations:
  submit:
    steps:
      - name: create
        method: POST
        url: /tickets
        expect: [201]
        body:
          json:
            subject: "{{ text.subject }}"
            body: "{{ text.body }}"
        extract:
          ticket_id: id
    result:
      id: "{{ vars.ticket_id }}"
"""


def unreachable(tmp_path: Path) -> AppContext:
    tmp_path.mkdir(parents=True, exist_ok=True)
    spec = tmp_path / "closed.yaml"
    spec.write_text(CLOSED_SPEC, "utf-8")
    return AppContext.for_tests(tmp_path, destination__type="spec", destination__spec=spec,
                                destination__url=f"http://127.0.0.1:{closed_port()}")


def test_closing_while_sending_waits_for_the_send_and_keeps_no_draft(
        qtbot: QtBot, tmp_path: Path) -> None:
    """Esc while the report is being written and queued: the window goes at once, the send
    finishes, and no draft of the sent report is left behind to be sent again."""
    ctx = AppContext.for_tests(tmp_path)
    deps = flow_deps(ctx)
    real, release = deps.submitter, threading.Event()

    class Slow:
        def submit(self, bundle: Any) -> Any:
            release.wait(10)
            return real.submit(bundle)

    deps.submitter = Slow()
    window = open_window(qtbot, ctx, deps)
    closed: list[bool] = []
    window.finished_report.connect(lambda: closed.append(True))
    fill_to_review(qtbot, window)
    click_next(qtbot, window)  # Send
    window.close()
    assert not window.isVisible() and not closed, "the window goes, the send goes on"
    release.set()
    qtbot.waitUntil(lambda: bool(closed), timeout=10_000)
    assert window.flow.page == "sent"
    assert not window.flow.draft.exists(), "a sent report leaves no draft to send twice"


def test_the_window_sends_through_the_outbox_to_the_report_folder(
        qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    window = open_window(qtbot, ctx)
    fill_and_send(qtbot, window)
    [path] = list(list_bundles(ctx.reports_dir()))
    bundle = read_bundle(path)
    assert bundle.report.title and [s.caption for s in bundle.report.steps] == ["The VPN error"]
    page = window.current_page()
    assert isinstance(page, SentPage)
    assert str(path) in page.message.text()
    assert page.open_folder.isVisibleTo(page)
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        [item] = box.items()
    assert (item.destination, item.state, item.report_id) == ("folder", "sent",
                                                              str(bundle.report.id))


def test_an_unreachable_helpdesk_leaves_the_report_queued_with_the_reason(
        qtbot: QtBot, tmp_path: Path) -> None:
    ctx = unreachable(tmp_path)
    window = open_window(qtbot, ctx)
    assert window.flow.pages()[0] == "category", "no incidents from a helpdesk that is down"
    fill_and_send(qtbot, window)
    page = window.current_page()
    assert isinstance(page, SentPage)
    assert "queued and will be sent when the helpdesk is reachable" in page.message.text()
    details = page.notes.text()
    assert page.notes.isVisibleTo(page)
    assert "cannot be reached right now" in details
    assert f"127.0.0.1:{ctx.settings.get('destination.url').rsplit(':', 1)[1]}" in details
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        [item] = box.items()
    assert (item.destination, item.state, item.error_kind) == ("spec", "queued", "network")
    assert item.bundle_path.is_dir() and (item.bundle_path / "report.json").is_file()
    assert list(list_bundles(ctx.reports_dir())) == []


class TinyHelpdesk:
    """A helpdesk on 127.0.0.1 that files every POST /tickets as ticket 55."""

    def __init__(self) -> None:
        received: list[dict[str, str]] = []
        self.received = received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(size)))
                body = b'{"id": "55"}'
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> TinyHelpdesk:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def run_round(qtbot: QtBot, flare: FlareApp) -> None:
    flare.start_delivery()
    assert flare.delivery is not None
    with qtbot.waitSignal(flare.delivery.round_done, timeout=20_000):
        pass  # the round runs in the scheduler's worker thread


def test_the_tray_schedule_shows_what_waits_and_sends_it_when_due(
        qtbot: QtBot, tmp_path: Path) -> None:
    down = unreachable(tmp_path)
    window = open_window(qtbot, down)
    fill_and_send(qtbot, window)
    title = window.flow.build_bundle().report.title
    window.close()

    flare = FlareApp(down)
    run_round(qtbot, flare)
    assert flare.delivery is not None
    [line] = flare.queue_lines
    assert line.startswith(f"{title}: next try in ") and "127.0.0.1" in line
    assert flare.delivery.due_timer.isActive(), "armed for when the retry is due"
    flare.quit()
    assert not flare.delivery.due_timer.isActive() and not flare.delivery.poll_timer.isActive()
    with Outbox(down.dirs.state, down.clock) as box:
        assert [i.state for i in box.items()] == ["queued"], "quitting loses nothing"

    # The helpdesk is back and the retry is due: the tray's round sends it and says so.
    with TinyHelpdesk() as helpdesk:
        later = AppContext.for_tests(tmp_path, destination__type="spec",
                                     destination__spec=tmp_path / "closed.yaml",
                                     destination__url=helpdesk.url)
        later.clock = lambda: datetime.now(UTC) + timedelta(hours=2)
        flare2 = FlareApp(later)
        notes: list[tuple[str, str]] = []
        flare2.notify = lambda title, text: notes.append((title, text))  # type: ignore[method-assign]
        run_round(qtbot, flare2)
        assert [r["subject"] for r in helpdesk.received] == [
            f"{title} [Flare {window.flow.report_id.hex[:8]}]"]
    assert flare2.queue_lines == []
    assert notes == [("Report sent", f"\"{title}\" was sent as ticket 55.")]
    with Outbox(later.dirs.state, later.clock) as box:
        [item] = box.items()
    assert item.state == "sent" and item.ticket is not None and item.ticket.id == "55"
    assert flare2.delivery is not None
    flare2.delivery.stop()


def test_page_one_choices_are_offered_and_kept(qtbot: QtBot, tmp_path: Path) -> None:
    class Helpdesk:
        def incidents(self) -> list[Incident]:
            return [Incident("INC-1", "Mail is slow in Building B")]

        def open_tickets(self) -> list[TicketSummary]:
            return [TicketSummary(TicketRef("7", "#7"), "Printer jams",
                                  TicketStatus("open", "open"))]

        def similar_tickets(self, subject: str) -> list[TicketSummary]:
            return []  # this helpdesk cannot search

    ctx = AppContext.for_tests(tmp_path)
    deps = flow_deps(ctx)
    deps.incidents = Helpdesk()
    window = open_window(qtbot, ctx, deps)
    page = window.current_page()
    assert isinstance(page, IncidentsPage)
    qtbot.mouseClick(page.buttons["INC-1"], Qt.MouseButton.LeftButton)
    assert window.flow.joined_incidents() == {"INC-1"}
    qtbot.mouseClick(page.buttons["INC-1"], Qt.MouseButton.LeftButton)
    assert window.flow.joined_incidents() == set(), "a second click takes it back"


def test_my_reports_lists_what_the_outbox_holds(qtbot: QtBot, tmp_path: Path) -> None:
    from app.i18n import Translator
    from app.ui.my_reports import MyReportsWindow

    saved_ctx = AppContext.for_tests(tmp_path / "a")
    fill_and_send(qtbot, open_window(qtbot, saved_ctx))
    down = unreachable(tmp_path / "b")
    fill_and_send(qtbot, open_window(qtbot, down))

    flare = FlareApp(saved_ctx)
    flare.t = Translator("uk")
    dialog = MyReportsWindow(flare.my_reports_source(), flare.t)
    qtbot.addWidget(dialog)
    [row] = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    assert row is not None and row.text(2) == "збережено"
    [path] = list(list_bundles(saved_ctx.reports_dir()))
    assert row.data(0, Qt.ItemDataRole.UserRole) == str(path)

    queued = FlareApp(down)
    [waiting] = queued.my_reports_source().my_reports()
    assert waiting.status.startswith("next try in ") and "127.0.0.1" in waiting.status
    assert waiting.ticket == ""
