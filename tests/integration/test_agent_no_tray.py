"""No tray, still delivered: ``flare --autostart`` (the login entry) on a desktop without a
tray runs the agent (no window), which sends a report queued while the real Request Tracker
was down and says so through the desktop's notification service (dunst, on a private bus)."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.integration.helpdesk_servers import FaultProxy, Server, make_bundle
from tests.journey.desktop import desktop, flare_command, need_tools, write_policy, write_settings

pytestmark = [pytest.mark.xvfb, pytest.mark.helpdesk, pytest.mark.slow]


def _tickets(server: Server, email: str) -> list[str]:
    env = server.extra
    r = requests.get(server.url + "/REST/2.0/tickets",
                     params={"query": f"Requestor = '{email}'"},
                     auth=(env["RT_ROOT_USER"], env["RT_ROOT_PASSWORD"]), timeout=30)
    r.raise_for_status()
    return [str(i["id"]) for i in r.json().get("items", [])]


def _flare(d: object, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = d.env  # type: ignore[attr-defined]
    return subprocess.run([*flare_command(), *args], env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


def test_background_start_without_a_tray_delivers_and_notifies(rt_server: Server,
                                                               tmp_path: Path) -> None:
    need_tools("dunst", "dbus-monitor")
    env = rt_server.extra
    email = f"agent-{uuid.uuid4().hex[:8]}@example.org"
    bundle = make_bundle(tmp_path / "bundles", email=email, title=f"VPN drops {email}")
    with FaultProxy(rt_server.url) as proxy, desktop(tmp_path, "agent-no-tray") as d:
        proxy.plan = [("POST /REST/2.0/ticket", ("status", 503, {}))]
        write_settings(d.home, {
            "destination.type": "rt", "destination.url": proxy.url,
            "destination.username": env["RT_ROOT_USER"],
            "destination.token": "env:FLARE_AGENT_RT_PW", "destination.queue": "General",
            "reporter.email": email, "capture.hotkey": "",
        })
        d.env["FLARE_POLICY_DIR"] = str(write_policy(d.home, {"outbox.retry_initial_s": 2}))
        d.env["FLARE_AGENT_RT_PW"] = env["RT_ROOT_PASSWORD"]
        queued = _flare(d, "outbox", "send", str(bundle))
        assert queued.returncode == 5, queued.stdout + queued.stderr  # RT answered 503: kept
        assert _tickets(rt_server, email) == []
        monitor_log = tmp_path / "notify.log"
        with monitor_log.open("w") as out:
            monitor = subprocess.Popen(
                ["dbus-monitor", "--session",
                 "interface='org.freedesktop.Notifications',member='Notify'"],
                env=d.env, stdout=out, stderr=subprocess.DEVNULL)
        try:
            agent = d.start([*flare_command(), "--autostart"], "flare-agent")
            deadline = time.monotonic() + 120
            while not _tickets(rt_server, email) and time.monotonic() < deadline:
                assert agent.poll() is None, "the agent stopped"
                time.sleep(1)
            deadline = time.monotonic() + 20
            while "Report sent" not in monitor_log.read_text() and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(0.5)
            d.screenshot("notified")
            status = _flare(d, "agent", "--status")
            windows = d.run("xdotool", "search", "--onlyvisible", "--name", "Flare", check=False)
        finally:
            monitor.terminate()
            monitor.wait(5)
    tickets = _tickets(rt_server, email)
    assert len(tickets) == 1, tickets
    log = monitor_log.read_text()
    assert "Report sent" in log and f"ticket {tickets[0]}" in log, log[-2000:]
    assert "The agent (process" in status.stdout, status.stdout
    assert windows.strip() == "", "the agent opened a window"


def test_the_agent_steps_aside_while_another_flare_process_drains(tmp_path: Path) -> None:
    """Two drainers never run at once: while the tray holds the lease the agent sends nothing;
    when the tray quits (and releases it) the agent takes over within one lease check."""
    import threading
    from datetime import UTC, datetime

    from app.context import AppContext
    from app.helpdesk.agent import Agent
    from app.helpdesk.courier import DeliveryRound
    from app.helpdesk.drainer import DrainerLease
    from app.helpdesk.outbox import Outbox
    from app.wiring import find_personal_data

    ctx = AppContext.for_tests(tmp_path)
    with Outbox(ctx.dirs.state, lambda: datetime.now(UTC)) as box:
        box.enqueue(make_bundle(tmp_path / "b"), "rt", report_id="r1", title="queued")
    tray = DrainerLease(ctx.dirs.state, "tray", ttl_s=60)
    assert tray.acquire()
    rounds: list[float] = []

    class Courier:
        def run(self, *, send: bool, poll: bool) -> DeliveryRound:
            rounds.append(time.monotonic())
            agent.stop.set()
            return DeliveryRound()

    agent = Agent(ctx, finder=find_personal_data, notify=lambda s, b: True,
                  courier=Courier,  # type: ignore[arg-type]
                  lease=DrainerLease(ctx.dirs.state, "agent", ttl_s=1.0))
    worker = threading.Thread(target=agent.run, daemon=True)
    worker.start()
    time.sleep(2.5)
    assert rounds == [], "the agent sent while the tray drained"
    released = time.monotonic()
    tray.release()
    worker.join(10)
    assert not worker.is_alive()
    assert len(rounds) == 1 and rounds[0] - released < 2.0
