"""Journey (g3): a colleague filed the same problem in Request Tracker minutes ago; after the
questions the report window offers it ("This looks like ticket N, filed … minutes ago"), the
person takes it with the mouse, and the report lands on that ticket (read back from RT), with
no new ticket."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

from app.helpdesk.incidents import search_words
from tests.integration.helpdesk_reads import rt_get, rt_post
from tests.integration.helpdesk_servers import Server
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import answer_outlook_case, show_outlook_error

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]


def test_similar_ticket_is_offered_and_taken(rt_server: Server, tmp_path: Path) -> None:
    env = rt_server.extra
    email = f"eve-{uuid.uuid4().hex[:8]}@example.org"
    with desktop(tmp_path, "g3-similar-rt", language="en") as d:
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": rt_server.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_JOURNEY_RT_PW", "destination.queue": "General",
            "reporter.email": email, "capture.hotkey": "",
        })
        d.env["FLARE_JOURNEY_RT_PW"] = env["RT_ROOT_PASSWORD"]
        show_outlook_error(d)
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Report a problem")
        p = Person(d)
        try:
            s = p.screen
            answer_outlook_case(p, d)
            subject = p.atspi.text(s.find(atspi.ROLE_TEXT, "Subject of your report"))
            word = search_words(subject)
            assert word, subject
            # A colleague's ticket with the same telling word, filed just now.
            theirs = str(rt_post(rt_server, "/ticket", {
                "Queue": "General", "Subject": f"Since this morning {word} fails for me too",
                "Requestor": f"colleague-{uuid.uuid4().hex[:6]}@example.org"})["id"])
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Is it already in a ticket?", timeout_s=30)
            offer = s.find(atspi.ROLE_RADIO_BUTTON, contains=f"This looks like ticket {theirs},")
            assert "minute ago" in offer.name or "minutes ago" in offer.name, offer.name
            d.screenshot("offered")
            p.click(offer)
            # The report holds its screenshot and the diagnostics ask nothing: both passed by.
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL,
                   f"Send adds the report to ticket {theirs}.",
                   timeout_s=30)
            d.screenshot("review")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, f"Your report was added to ticket {theirs}.",
                   timeout_s=60)
            d.screenshot("sent")
        finally:
            p.close()
    deadline = time.monotonic() + 30
    history: list[str] = []
    while time.monotonic() < deadline:
        history = [rt_get(rt_server, f"/transaction/{i['id']}").get("Type", "")
                   for i in rt_get(rt_server, f"/ticket/{theirs}/history?per_page=100")["items"]]
        if "Correspond" in history:
            break
        time.sleep(0.5)
    assert "Correspond" in history, history
    assert rt_get(rt_server, f"/tickets?query=Requestor = '{email}'")["count"] == 0
