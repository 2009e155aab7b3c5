"""Journey (f): the Outlook case sent from the tray app to the real Request Tracker while RT
answers 503; the window says it is queued, the person closes it, and the tray delivers it by
itself. The ticket is read back from RT: once, with the answers and the screenshot."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from tests.integration.helpdesk_reads import rt_files, rt_get
from tests.integration.helpdesk_servers import FaultProxy, Server
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import (
    OUTLOOK,
    answer_outlook_case,
    next_to_review,
    show_outlook_error,
    tray_menu,
)

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]


def _tickets_with(server: Server, email: str, text: str) -> list[str]:
    found = rt_get(server, f"/tickets?query=Requestor = '{email}' AND Subject LIKE '{text}'")
    return [str(item["id"]) for item in found.get("items", [])]


def test_queued_while_rt_is_down_then_delivered_by_the_tray(rt_server: Server,
                                                            tmp_path: Path) -> None:
    env = rt_server.extra
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    with FaultProxy(rt_server.url) as proxy, \
            desktop(tmp_path, "f-queued-rt", language="en", tray=True) as d:
        # The first ticket create meets a helpdesk that is down for maintenance.
        proxy.plan = [("POST /REST/2.0/ticket", ("status", 503, {"Retry-After": "3"}))]
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": proxy.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_JOURNEY_RT_PW", "destination.queue": "General",
            # Her own address each run: RT keeps the tickets of earlier runs and journeys.
            "reporter.email": email, "capture.hotkey": "",
        })
        d.env["FLARE_JOURNEY_RT_PW"] = env["RT_ROOT_PASSWORD"]
        show_outlook_error(d)
        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            tray_menu(p, d, 1, "Report a problem — Flare")
            answer_outlook_case(p, d)
            subject = p.atspi.text(s.find(atspi.ROLE_TEXT, "Subject of your report"))
            next_to_review(p, d)
            s.find(atspi.ROLE_LABEL, "Send opens a new ticket in Request Tracker.")
            d.screenshot("review")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, contains="queued", timeout_s=60)
            d.screenshot("queued")
            p.key("Escape")  # the window closes; the tray keeps the report moving
            deadline = time.monotonic() + 120
            while not _tickets_with(rt_server, email, subject[:60]) and time.monotonic() < deadline:
                time.sleep(1)
            d.screenshot("delivered")
        finally:
            p.close()
    tickets = _tickets_with(rt_server, email, subject[:60])
    assert len(tickets) == 1, f"expected one ticket for {subject!r}, RT has {tickets}"
    files = rt_files(rt_server, tickets[0])
    assert any(name.startswith("step-001.") for name in files), sorted(files)
    html = files.get("report.html", b"").decode("utf-8", "replace")
    for text in OUTLOOK.values():
        assert text.replace('"', "&quot;") in html or text in html, text
