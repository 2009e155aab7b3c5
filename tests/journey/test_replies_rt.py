"""Journey (h): support replied on the reporter's Request Tracker ticket and set it to
stalled. The tray reads it at its first poll; the person opens My reports from the tray,
reads the reply, types an answer and sends it. RT's ticket gets the answer as
correspondence, from the outbox, without any file."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from app.helpdesk.delivery_bundle import open_delivery_bundle
from app.helpdesk.outbox import Outbox
from tests.integration.helpdesk_reads import rt_connector, rt_get
from tests.integration.helpdesk_servers import Server, make_bundle
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import tray_menu

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]

REPLY = "Hello Ann, is the printer's cable <b>plugged in</b>? Please check and answer here."
ANSWER = "Yes, it is plugged in and the light is green."


def _rt(server: Server, method: str, path: str, data: dict[str, Any]) -> None:
    env = server.extra
    r = requests.request(method, server.url + "/REST/2.0" + path, json=data, timeout=30,
                         auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    assert r.status_code in (200, 201), r.text


def _corresponds(server: Server, ticket: str) -> list[str]:
    history = rt_get(server, f"/ticket/{ticket}/history?fields=Type&per_page=100")
    out = []
    for tx in history["items"]:
        if tx["Type"] == "Correspond":
            parts = rt_get(server, f"/transaction/{tx['id']}/attachments"
                                   "?fields=Content,ContentType,Filename")["items"]
            out += [p["Content"] for p in parts if p["ContentType"] == "text/plain"]
            assert not any(p.get("Filename") for p in parts), "an answer carries no file"
    return out


def test_reply_read_and_answered_from_my_reports(rt_server: Server, tmp_path: Path) -> None:
    env = rt_server.extra
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"  # RT keeps tickets between runs
    with desktop(tmp_path, "h-replies-rt", language="en", tray=True) as d:
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": rt_server.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_JOURNEY_RT_PW", "destination.queue": "General",
            "destination.poll_minutes": 1, "reporter.email": email, "capture.hotkey": "",
        })
        d.env["FLARE_JOURNEY_RT_PW"] = env["RT_ROOT_PASSWORD"]
        # Ann's report went out earlier (the other journeys cover sending): her outbox holds
        # it as sent, and RT has the ticket.
        state = Path(subprocess.run(
            [sys.executable, "-c", "from app.dirs import Dirs; print(Dirs.for_user().state)"],
            env=d.env, capture_output=True, text=True, check=True).stdout.strip())
        bundle = make_bundle(tmp_path / "b", steps=1, email=email, title="Printer on floor 3")
        ref = rt_connector(rt_server).submit(open_delivery_bundle(bundle))
        with Outbox(state, lambda: datetime.now(UTC)) as box:
            item = box.enqueue(bundle, "rt", report_id=str(uuid.uuid4()),
                               title="Printer on floor 3")
            box.mark_sent(item.id, ref)
        # Support answers her publicly and waits for her.
        _rt(rt_server, "POST", f"/ticket/{ref.id}/correspond",
            {"Content": REPLY, "ContentType": "text/plain"})
        _rt(rt_server, "PUT", f"/ticket/{ref.id}", {"Status": "stalled"})

        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            time.sleep(8)  # the first delivery round polls the ticket at start
            d.screenshot("tray-said")
            tray_menu(p, d, 6, "My reports")  # after the region and window entries
            s.find(atspi.ROLE_LABEL,
                   f"Support is waiting for your answer on ticket {ref.id}.", timeout_s=20)
            replies = s.find(atspi.ROLE_TEXT, "Replies from support")
            shown = p.atspi.text(replies)
            assert REPLY in shown, shown  # as support typed it: the markup is text
            d.screenshot("reply")
            p.key("alt+y")
            p.type(ANSWER)
            d.screenshot("answer-typed")
            p.key("alt+a")
            s.find(atspi.ROLE_LABEL, contains="Your answer is queued", timeout_s=20)
            deadline = time.monotonic() + 60
            while not any(c.startswith(ANSWER) for c in _corresponds(rt_server, ref.id)) \
                    and time.monotonic() < deadline:
                time.sleep(1)
            # The open window follows the delivery: her answer is on the ticket, and support
            # no longer waits for her.
            deadline = time.monotonic() + 30
            while "(waiting to be sent)" in p.atspi.text(replies) \
                    and time.monotonic() < deadline:
                time.sleep(0.5)
            shown = p.atspi.text(replies)
            assert ANSWER in shown and "(waiting to be sent)" not in shown, shown
            d.screenshot("answer-sent")
        finally:
            p.close()
    texts = _corresponds(rt_server, ref.id)
    assert sum(t.startswith(ANSWER) for t in texts) == 1, texts
    assert REPLY in texts
