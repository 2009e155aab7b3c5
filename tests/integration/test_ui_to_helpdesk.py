"""The report window (offscreen) and the tray's delivery schedule against the real Request
Tracker 5 on 127.0.0.1: a new ticket read back with every file, "add to my open ticket", and
a report queued while RT was unreachable that the tray sends once RT answers."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt starts: no display needed

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.helpdesk.configured import connector_factory
from app.helpdesk.delivery_bundle import open_delivery_bundle, refer_to_attached
from app.helpdesk.incidents import HelpdeskIncidents
from app.helpdesk.outbox import Outbox
from app.ui.app import FlareApp
from app.ui.page_incidents import IncidentsPage
from app.ui.page_sent import SentPage
from app.ui.report_window import ReportWindow
from app.wiring import flow_deps
from tests.integration.helpdesk_reads import rt_connector, rt_context, rt_files, rt_get
from tests.integration.helpdesk_servers import Server, make_bundle, sha
from tests.netutil import closed_port
from tests.ui.window_driving import click_next, fill_and_send, open_window

pytestmark = pytest.mark.helpdesk


def wait_for_result(qtbot: QtBot, window: ReportWindow) -> None:
    """A send that takes longer than the window waits goes on in the background; the sent
    page picks its result up."""
    qtbot.waitUntil(lambda: window.flow.result is not None
                    and window.flow.result.state != "sending", timeout=60_000)


def spooled_files(ctx: AppContext) -> dict[str, str]:
    """The files of the one queued report, as the outbox holds them: name -> sha256."""
    with Outbox(ctx.dirs.state, ctx.clock) as box:
        [item] = box.items()
    # report.html as a helpdesk receives it: naming the screenshots attached beside it.
    return {f.name: f.sha256()
            for f in refer_to_attached(open_delivery_bundle(item.bundle_path)).files}


def test_the_window_files_a_ticket_in_rt_with_every_file(
        qtbot: QtBot, rt_server: Server, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = rt_context(tmp_path, rt_server, monkeypatch)
    window = open_window(qtbot, ctx)
    fill_and_send(qtbot, window)
    wait_for_result(qtbot, window)
    result = window.flow.result
    assert result is not None and result.state == "sent", window.flow.sent_details()
    page = window.current_page()
    assert isinstance(page, SentPage)
    assert f"Ticket number: {result.ticket_number}" in page.message.text()
    assert f"Display.html?id={result.ticket_number}" in page.message.text()

    ticket = rt_get(rt_server, f"/ticket/{result.ticket_number}")
    assert ticket["Subject"].endswith(f"[Flare {window.flow.report_id.hex[:8]}]")
    got = {name: sha(data) for name, data in rt_files(rt_server, result.ticket_number).items()}
    want = spooled_files(ctx)
    assert {"report.html", "diagnostics.json", "step-001.png"} <= set(want)
    for name, digest in want.items():
        assert got.get(name) == digest, f"{name} is missing or differs in RT"


def test_the_window_adds_to_an_open_ticket_in_rt(
        qtbot: QtBot, rt_server: Server, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    earlier = rt_connector(rt_server).submit(
        open_delivery_bundle(make_bundle(tmp_path / "earlier", steps=1)))
    ctx = rt_context(tmp_path / "app", rt_server, monkeypatch)
    deps = flow_deps(ctx)
    # Open tickets are found by the reporter's address, as the helpdesk knows it.
    deps.incidents = HelpdeskIncidents(connector_factory(ctx)("rt"), "reporter@example.test")
    # This test is about adding to the ticket, not about how long the window waits for the
    # list: RT's answer for a requestor with many tickets takes seconds on a loaded machine.
    deps.incidents_wait_s = 30.0
    window = open_window(qtbot, ctx, deps)
    page = window.current_page()
    assert isinstance(page, IncidentsPage), "RT lists the reporter's open tickets"
    from PySide6.QtWidgets import QRadioButton

    [mine] = [r for r in page.findChildren(QRadioButton)
              if f"ticket {earlier.id}:" in r.accessibleName()]
    qtbot.mouseClick(mine, Qt.MouseButton.LeftButton)
    assert window.flow.add_to_ticket == earlier.id
    click_next(qtbot, window)
    fill_and_send(qtbot, window)
    wait_for_result(qtbot, window)
    result = window.flow.result
    assert result is not None and result.state == "sent", window.flow.sent_details()
    assert result.added_to_ticket and result.ticket_number == earlier.id
    assert window.flow.sent_message() == (
        f"Your report was added to your open ticket {earlier.id}.")

    want = spooled_files(ctx)
    got = {name: sha(data) for name, data in rt_files(rt_server, earlier.id).items()}
    assert got["step-001.png"] == want["step-001.png"], "the new screenshot is on the ticket"
    assert got["report.html"] == want["report.html"]
    history = rt_get(rt_server, f"/ticket/{earlier.id}/history?fields=Type")
    assert "Correspond" in [h.get("Type") for h in history["items"]]


def test_the_tray_sends_a_report_queued_while_rt_was_down(
        qtbot: QtBot, rt_server: Server, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    up = rt_context(tmp_path, rt_server, monkeypatch)
    down = AppContext.for_tests(
        tmp_path, destination__type="rt", destination__url=f"http://127.0.0.1:{closed_port()}",
        destination__username=rt_server.extra["RT_ROOT_USER"],
        destination__token="env:FLARE_TEST_RT_PW", destination__queue="General")
    window = open_window(qtbot, down)
    fill_and_send(qtbot, window)
    result = window.flow.result
    assert result is not None and result.state == "queued"
    assert "cannot be reached" in window.flow.sent_details()[0]
    window.close()
    want = spooled_files(down)

    up.clock = lambda: datetime.now(UTC) + timedelta(hours=2)  # the retry is due
    flare = FlareApp(up)
    notes: list[tuple[str, str]] = []
    flare.notify = lambda title, text: notes.append((title, text))  # type: ignore[method-assign]
    flare.start_delivery()
    assert flare.delivery is not None
    with qtbot.waitSignal(flare.delivery.round_done, timeout=60_000):
        pass
    flare.delivery.stop()
    with Outbox(up.dirs.state, up.clock) as box:
        [item] = box.items()
    assert item.state == "sent" and item.ticket is not None, item.why(0)
    assert notes == [("Report sent", f"\"{item.title}\" was sent as ticket {item.ticket.id}.")]
    assert flare.queue_lines == []
    got = {name: sha(data) for name, data in rt_files(rt_server, item.ticket.id).items()}
    for name, digest in want.items():
        assert got.get(name) == digest, f"{name} is missing or differs in RT"
