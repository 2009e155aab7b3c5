"""The tray's "Known problems": the joined incidents with their latest update and time, as
the follower (real code, a status-page feed read through a stand-in reader) saw them, and the
window with every update that choosing one opens."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.helpdesk.incident_follow import IncidentFollower, join, known_problems
from app.helpdesk.protocol import Incident
from app.i18n import Translator
from app.ui.known_problems import KnownProblemWindow, tray_entries
from app.ui.tray import Tray, TrayActions

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _inc(details: str, at: datetime) -> Incident:
    return Incident(id="vc1", title="Video calls drop", url="https://status.example/i/vc1",
                    source="statuspage", feed="https://status.example", details=details,
                    updated_at=at)


def test_follower_keeps_the_updates_the_tray_shows(qtbot: QtBot, tmp_path: Path) -> None:
    live = [_inc("Investigating.", T0)]
    now = {"t": T0}
    join(tmp_path, live[0], now=T0.timestamp(), interval_s=300, rng=random.Random(1))
    follower = IncidentFollower(tmp_path, read_feed=lambda _k, _w: live, helpdesk_status=None,
                                interval_s=300, clock=lambda: now["t"], rng=random.Random(2))
    fixed = T0 + timedelta(minutes=20)
    live[0] = _inc("A fix is rolling out.", fixed)
    now["t"] = T0 + timedelta(minutes=30)
    [event] = follower.poll()
    assert event.kind == "update" and event.text == "A fix is rolling out."
    [j] = known_problems(tmp_path)
    assert [u["text"] for u in j.updates] == ["Investigating.", "A fix is rolling out."]

    t = Translator("en")
    local = now["t"].astimezone()
    shown: list[QDialog] = []
    entries = tray_entries(t, tmp_path, local, shown.append)
    time = f"{fixed.astimezone():%H:%M}" if fixed.astimezone().date() == local.date() else \
        f"{fixed.astimezone():%Y-%m-%d %H:%M}"
    assert [line for line, _ in entries] == [f"Video calls drop · {time}: A fix is rolling out."]

    tray = Tray(t, "Flare", TrayActions(report=lambda: None, capture_step=lambda: None,
                                        toggle_recording=lambda: None, my_reports=lambda: None,
                                        settings=lambda: None, quit=None))
    tray.set_incidents(entries)
    assert tray.incidents_action.isVisible()
    assert tray.incidents_menu.title() == "Known problems (1)"
    [action] = tray.incidents_menu.actions()
    action.trigger()
    [window] = shown
    assert isinstance(window, KnownProblemWindow)
    qtbot.addWidget(window)
    texts = [label.text() for label in window.update_labels]
    assert texts[0].endswith("A fix is rolling out.") and texts[1].endswith("Investigating.")
    assert any(b.text() == "Open its page" for b in window.findChildren(QPushButton))
    tray.set_incidents([])
    assert not tray.incidents_action.isVisible()


def test_resolved_ones_leave_the_list(tmp_path: Path) -> None:
    join(tmp_path, _inc("Investigating.", T0), now=T0.timestamp(), interval_s=300)
    follower = IncidentFollower(tmp_path, read_feed=lambda _k, _w: [], helpdesk_status=None,
                                interval_s=300, clock=lambda: T0 + timedelta(hours=1))
    assert [e.kind for e in follower.poll()] == ["resolved"]
    assert known_problems(tmp_path) == []
