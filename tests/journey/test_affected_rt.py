"""Journey (g): support has filed a known incident in Request Tracker; the report window
offers it, the person says "I'm affected too" with the mouse, answers the one optional
question, reviews and sends, and the comment lands on the real RT incident ticket (read back:
who, which machine, the diagnostics line, the answer) with no new ticket. The long incident
title wraps: the button stays on the screen."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest

from tests.integration.helpdesk_reads import rt_get, rt_post
from tests.integration.helpdesk_servers import Server
from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_policy, write_settings
from tests.journey.steps import show_outlook_error, type_into_focus

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]

NOTE = "It started at 08:15 for me, and the calendar is empty too"
INCIDENT = ("E-mail is down for everyone in Building B since 08:40: Outlook cannot reach the "
            "server; we are working on it with the provider and post an update every 30 minutes")


def _comments(server: Server, ticket_id: str) -> list[str]:
    """The text of every Comment transaction on the ticket, as RT keeps it."""
    out = []
    page = rt_get(server, f"/ticket/{ticket_id}/attachments?per_page=100")
    for item in page["items"]:
        att = rt_get(server, f"/attachment/{item['id']}")
        if not str(att.get("ContentType", "")).startswith("text/plain"):
            continue
        if rt_get(server, f"/transaction/{att['TransactionId']['id']}").get("Type") == "Comment":
            out.append(base64.b64decode(att.get("Content") or "").decode("utf-8", "replace"))
    return out


def test_affected_too_reaches_rt(rt_server: Server, tmp_path: Path) -> None:
    env = rt_server.extra
    queue = f"Incidents-{uuid.uuid4().hex[:6]}"
    rt_post(rt_server, "/queue", {"Name": queue})
    incident = str(rt_post(rt_server, "/ticket", {"Queue": queue, "Subject": INCIDENT})["id"])
    email = f"ann-{uuid.uuid4().hex[:8]}@example.org"
    with desktop(tmp_path, "g-affected-rt", language="en") as d:
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": rt_server.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_JOURNEY_RT_PW", "destination.queue": "General",
            "reporter.email": email, "reporter.name": "Ann Example",
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
            s.find(atspi.ROLE_LABEL, "No need to fill in the whole form: press Next, answer "
                                     "one optional question and send.")
            d.screenshot("affected")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "You are affected by a known problem")
            s.find(atspi.ROLE_LABEL, f"Send adds a short comment to the known problem "
                                     f"{incident}.")
            type_into_focus(p, d, NOTE, "question")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Check what will be sent", timeout_s=30)
            d.screenshot("review")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, f"Support now knows that the known problem {incident} "
                                     "affects you too.", timeout_s=60)
            d.screenshot("sent")
        finally:
            p.close()
    comments = _comments(rt_server, incident)
    assert len(comments) == 1, comments
    for expected in (f"Who: Ann Example <{email}>", "Machine: ", "Diagnostics: ",
                     f"Anything different: {NOTE}"):
        assert expected in comments[0], comments[0]
    # The comment is the whole delivery: no new ticket from this person.
    assert rt_get(rt_server, f"/tickets?query=Requestor = '{email}'")["count"] == 0
