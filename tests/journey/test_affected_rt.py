"""Journey (g): support has filed a known incident in Request Tracker; the report window
offers it, the person says "I'm affected too" with the mouse, and the report that reaches RT
says so. The long incident title wraps: the button stays on the screen."""

from __future__ import annotations

import base64
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.helpdesk_reads import rt_get
from tests.integration.helpdesk_servers import Server, rt_server
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_policy, write_settings
from tests.journey.steps import answer_outlook_case, next_to_review, show_outlook_error

__all__ = ["rt_server"]
pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]

INCIDENT = ("E-mail is down for everyone in Building B since 08:40: Outlook cannot reach the "
            "server; we are working on it with the provider and post an update every 30 minutes")


def _rt_post(server: Server, path: str, data: dict[str, Any]) -> Any:
    env = server.extra
    r = requests.post(server.url + "/REST/2.0" + path, json=data, timeout=30,
                      auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]))
    r.raise_for_status()
    return r.json()


def _texts(server: Server, ticket_id: str) -> str:
    """Everything RT holds as text for a ticket: the message and its attachments."""
    out = []
    page = rt_get(server, f"/ticket/{ticket_id}/attachments?per_page=100")
    for item in page["items"]:
        att = rt_get(server, f"/attachment/{item['id']}")
        if str(att.get("ContentType", "")).startswith("text/plain"):
            out.append(base64.b64decode(att.get("Content") or "").decode("utf-8", "replace"))
    return "\n".join(out)


def test_affected_too_reaches_rt(rt_server: Server, tmp_path: Path) -> None:
    env = rt_server.extra
    queue = f"Incidents-{uuid.uuid4().hex[:6]}"
    _rt_post(rt_server, "/queue", {"Name": queue})
    incident = str(_rt_post(rt_server, "/ticket", {"Queue": queue, "Subject": INCIDENT})["id"])
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    with desktop(tmp_path, "g-affected-rt", language="en") as d:
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": rt_server.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_JOURNEY_RT_PW", "destination.queue": "General",
            "reporter.email": email,
        })
        # Which queue holds incidents is IT's decision: policy, not the person's settings.
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "destination.incidents_queue": queue}))
        d.env["FLARE_JOURNEY_RT_PW"] = env["RT_ROOT_PASSWORD"]
        show_outlook_error(d)
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Report a problem")
        p = Person(d)
        try:
            s = p.screen
            window = s.find(atspi.ROLE_DIALOG, contains="Report a problem")
            known = s.find(atspi.ROLE_PUSH_BUTTON, "1 known problem or open ticket",
                           timeout_s=30)
            d.screenshot("offered")
            p.click(known)
            s.find(atspi.ROLE_LABEL, "Is it already known?")
            button = s.find(None, f"I'm affected too: {INCIDENT}")
            right = window.extents[0] + window.extents[2]
            assert button.extents[0] + button.extents[2] <= right, "the button is off screen"
            p.click(button)
            s.find(atspi.ROLE_LABEL,
                   "Your report will say that this known problem affects you too.")
            d.screenshot("affected")
            p.key("alt+n")
            answer_outlook_case(p, d)
            subject = p.atspi.text(s.find(atspi.ROLE_TEXT, "Subject of your report"))
            next_to_review(p, d)
            s.find(atspi.ROLE_LABEL, "Send opens a new ticket in Request Tracker.")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, contains="Ticket number", timeout_s=60)
            d.screenshot("sent")
        finally:
            p.close()
    deadline = time.monotonic() + 30
    found: list[str] = []
    while not found and time.monotonic() < deadline:
        data = rt_get(rt_server, f"/tickets?query=Requestor = '{email}' AND "
                                 f"Subject LIKE '{subject[:60]}'")
        found = [str(t["id"]) for t in data.get("items", [])]
        time.sleep(0.5)
    assert len(found) == 1, found
    assert f"affected by the known incident(s) {incident} too" in _texts(rt_server, found[0])
