"""The tray's crash offer: a notification (never a dialog); its click opens the report window
with the crash's facts as a diagnostics section and "What happened?" started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.crash_offers import CrashOffers
from app.i18n import Translator
from app.ui.app import FlareApp
from app.ui.crash_watch import CrashWatch
from app.ui.tray import Tray, TrayActions
from diagnostics.crashes import Crash

T = datetime(2023, 10, 5, 8, 0, tzinfo=UTC)


def test_a_click_on_the_offer_opens_the_report_with_the_crash(qtbot: QtBot, tmp_path: Path
                                                               ) -> None:
    ctx = AppContext.for_tests(tmp_path)
    flare = FlareApp(ctx)
    now = [T]
    recorded: list[Crash] = []
    offers = CrashOffers(ctx.dirs.state, clock=lambda: now[0],
                         read=lambda since: [c for c in recorded if c.time > since])
    shown: list[tuple[str, str, object]] = []
    watch = CrashWatch(offers, Translator("en"),
                       show=lambda s, b, click: shown.append((s, b, click)),
                       open_report=flare.open_report)
    watch.kick()  # the first look
    qtbot.waitUntil(lambda: watch._thread is not None and not watch._thread.is_alive())
    recorded.append(Crash(program="Thunderbird", version="115.3", signal="SIGSEGV",
                          time=T + timedelta(minutes=2), executable="/usr/bin/thunderbird",
                          pid=4711, source="test", log_tail=("IPC channel error",)))
    now[0] = T + timedelta(minutes=3)
    watch.kick()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    summary, body, click = shown[0]
    assert summary == "Thunderbird closed unexpectedly"
    assert "(SIGSEGV)" in body
    # A notification: no window and no dialog until the person clicks it.
    assert flare.window is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)
                and w.isVisible()]
    assert callable(click)
    click()
    window = flare.window
    assert window is not None
    qtbot.addWidget(window)
    flow = window.flow
    [first, *_] = flow.sections()
    assert first.name == "crash" and first.data["program"] == "Thunderbird"
    assert first.data["log_tail"] == ["IPC channel error"]
    flow.set_category("app_error")
    said = [v for v in flow.prefilled().values() if isinstance(v, str)]
    assert any(v.startswith("Thunderbird 115.3 closed unexpectedly (SIGSEGV) at ") for v in said)
    bundle = flow.build_bundle()
    assert "crash" in [s.name for s in bundle.diagnostics.sections]
    flow.set_section_included("crash", False)  # the person may leave it out
    assert "crash" not in [s.name for s in flow.build_bundle().diagnostics.sections]


def test_only_the_offer_click_opens_a_report(qtbot: QtBot, tmp_path: Path) -> None:
    clicked: list[str] = []
    actions = TrayActions(report=lambda: clicked.append("report"), capture_step=lambda: None,
                          toggle_recording=lambda: None, my_reports=lambda: None,
                          settings=lambda: None, quit=None)
    tray = Tray(Translator("en"), "Flare", actions)
    tray.offer("Thunderbird closed unexpectedly", "…", lambda: clicked.append("crash"))
    tray.icon.messageClicked.emit()
    assert clicked == ["crash"]
    tray.icon.messageClicked.emit()  # once
    tray.notify("Report sent", "Ticket #12")
    tray.icon.messageClicked.emit()  # a plain notification's click opens nothing
    assert clicked == ["crash"]


def test_the_agents_offer_opens_the_report_in_another_process(qtbot: QtBot, tmp_path: Path
                                                              ) -> None:
    """The agent has no window: its notification's click runs `flare report --crash-offer`,
    which attaches the crash the agent remembered."""
    from app.crash_offers import CrashOffers
    from app.helpdesk.agent import Agent, open_crash_report
    from app.ui.crash_watch import attach_taken_offer
    from app.wiring import find_personal_data

    ctx = AppContext.for_tests(tmp_path, crashes__offer=True)
    offered: list[tuple[str, str, object, str]] = []
    agent = Agent(ctx, finder=find_personal_data, notify=lambda s, b: False,
                  offer=lambda s, b, click, label: offered.append((s, b, click, label)) or True)
    now = [T]
    recorded: list[Crash] = []
    agent.crashes = CrashOffers(ctx.dirs.state, clock=lambda: now[0],
                                read=lambda since: [c for c in recorded if c.time > since])
    agent.offer_crashes()  # the first look
    recorded.append(Crash(program="LibreOffice", version="7.4", signal="SIGABRT",
                          time=T + timedelta(seconds=30), executable="/usr/bin/soffice.bin",
                          pid=77, source="test"))
    now[0] = T + timedelta(minutes=1)
    agent.offer_crashes()
    [(summary, _body, click, label)] = offered
    assert (summary, click, label) == ("LibreOffice closed unexpectedly", open_crash_report,
                                       "Report it")
    flare = FlareApp(ctx)
    window = flare.open_report()
    assert window is not None
    qtbot.addWidget(window)
    assert attach_taken_offer(ctx, window)
    assert window.flow.sections()[0].data["program"] == "LibreOffice"
    assert not attach_taken_offer(ctx, window), "taken once"


def test_the_person_may_turn_offers_off_unless_policy_locks_it(qtbot: QtBot, tmp_path: Path
                                                                ) -> None:
    from PySide6.QtWidgets import QCheckBox

    from app.ui.settings_dialog import SettingsDialog

    ctx = AppContext.for_tests(tmp_path / "free")
    dialog = SettingsDialog(ctx, Translator("en"))
    qtbot.addWidget(dialog)
    box = dialog.editors["crashes.offer"]
    assert isinstance(box, QCheckBox) and box.isEnabled() and box.isChecked()
    box.setChecked(False)
    dialog.save()
    assert ctx.settings.get("crashes.offer") is False
    locked = AppContext.for_tests(tmp_path / "locked", crashes__offer=True)
    dialog = SettingsDialog(locked, Translator("en"))
    qtbot.addWidget(dialog)
    assert not dialog.editors["crashes.offer"].isEnabled()
