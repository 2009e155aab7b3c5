"""No tray, still told: the agent (``flare --autostart`` on a desktop without a tray) follows
a known problem the person joined, and an update support posts on the status page (a local
Statuspage v2 server) reaches the person through the desktop's notification service (dunst,
on a private bus): the same words the tray shows under Known problems."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.helpdesk.incident_follow import follower_reader, join, load_joined
from tests.journey.desktop import desktop, flare_command, need_tools, write_policy, write_settings
from tests.statuspage_server import status_page

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

TITLE = "Printing fails on every floor"
FIRST = "We are looking into the print server."
UPDATE = "The print server is back; queued jobs are printing now."


def test_the_agent_notifies_an_update_of_a_joined_problem(tmp_path: Path) -> None:
    need_tools("dunst", "dbus-monitor")
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    with status_page() as page, desktop(tmp_path, "agent-known-problem-update") as d:
        page.announce("pr1", TITLE, FIRST, status="identified", at=started)
        write_settings(d.home, {"destination.type": "folder",
                                "reports.folder": str(d.home / "reports"),
                                "destination.poll_minutes": 1, "capture.hotkey": ""})
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {
            "incidents.feeds": [{"type": "statuspage", "name": "Status", "url": page.url}]}))
        state = Path(subprocess.run(
            [sys.executable, "-c", "from app.dirs import Dirs; print(Dirs.for_user().state)"],
            env=d.env, capture_output=True, text=True, check=True).stdout.strip())
        [incident] = follower_reader(requests.Session(), tmp_path / "cache")(
            "statuspage", page.url)
        join(state, incident, now=time.time(), interval_s=0)  # joined earlier; due now
        page.post_update("pr1", UPDATE)
        monitor_log = tmp_path / "notify.log"
        with monitor_log.open("w") as out:
            monitor = subprocess.Popen(
                ["dbus-monitor", "--session",
                 "interface='org.freedesktop.Notifications',member='Notify'"],
                env=d.env, stdout=out, stderr=subprocess.DEVNULL)
        try:
            agent = d.start([*flare_command(), "--autostart"], "flare-agent")
            deadline = time.monotonic() + 60
            while UPDATE not in monitor_log.read_text() and time.monotonic() < deadline:
                assert agent.poll() is None, "the agent stopped"
                time.sleep(0.5)
            time.sleep(0.5)
            d.screenshot("notified")
            windows = d.run("xdotool", "search", "--onlyvisible", "--name", "Flare", check=False)
        finally:
            monitor.terminate()
            monitor.wait(5)
        log = monitor_log.read_text()
        assert "Update on a known problem" in log and f"{TITLE}: {UPDATE}" in log, log[-2000:]
        assert windows.strip() == "", "the agent opened a window"
        [j] = load_joined(state)
        assert [u["text"] for u in j.updates] == [FIRST, UPDATE]
