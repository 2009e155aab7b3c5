"""The app around the window: commands from a second start, settings, "My reports", Qt's own
translations."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.i18n import Translator
from app.report_status import MyReport
from app.settings import Settings
from app.ui.app import FlareApp
from app.ui.my_reports import MyReportsWindow
from app.ui.qtapp import install_qt_translations
from app.ui.settings_dialog import SettingsDialog
from app.ui.single_instance import InstanceServer, ask_running, server_name


def test_a_show_command_opens_one_window_and_keeps_it(qtbot: QtBot, tmp_path: Path) -> None:
    flare = FlareApp(AppContext.for_tests(tmp_path))
    flare.handle_command("show")
    window = flare.window
    assert window is not None
    qtbot.addWidget(window)
    flare.handle_command("report")
    assert flare.window is window, "a second start focuses the window it already has"
    flare.handle_command("unknown-command")
    assert flare.window is window


def test_instance_server_hears_a_later_start(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "state")
    assert name != server_name(tmp_path / "other"), "separate folders, separate instances"
    assert not ask_running(name, "show"), "nobody listens yet"
    heard: list[str] = []
    server = InstanceServer(name, heard.append)
    try:
        from PySide6.QtNetwork import QLocalSocket

        sock = QLocalSocket()
        sock.connectToServer(name)
        assert sock.waitForConnected(2000)
        sock.write(b"show\n")
        sock.flush()
        qtbot.waitUntil(lambda: heard == ["show"], timeout=3000)
        sock.disconnectFromServer()
    finally:
        server.close()


def test_settings_show_locked_values_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, tray__show_incidents=False)
    dialog = SettingsDialog(ctx, Translator("en"))
    qtbot.addWidget(dialog)
    locked = dialog.editors["tray.show_incidents"]
    assert not locked.isEnabled()
    notes = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Managed by your organisation" in notes
    language = dialog.editors["general.language"]
    assert isinstance(language, QComboBox) and language.isEnabled()
    language.setCurrentIndex(language.findData("uk"))
    replay = dialog.editors["capture.replay_enabled"]
    assert isinstance(replay, QCheckBox)
    dialog.save()
    assert ctx.settings.get("general.language") == "uk"
    assert ctx.dirs.user_settings_file.is_file()
    assert ctx.settings.get("tray.show_incidents") is False, "policy still wins"


def test_user_settings_survive_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    dialog = SettingsDialog(ctx, Translator("en"))
    qtbot.addWidget(dialog)
    folder = dialog.editors["reports.folder"]
    folder.setText(str(tmp_path / "my-reports"))  # type: ignore[attr-defined]
    dialog.save()
    from app.settings import load_settings

    reloaded: Settings = load_settings(ctx.dirs.user_settings_file)
    assert reloaded.get("reports.folder") == tmp_path / "my-reports"
    assert ctx.reports_dir() == tmp_path / "my-reports"


def test_my_reports_lists_what_the_source_says(qtbot: QtBot) -> None:
    class Source:
        def my_reports(self) -> list[MyReport]:
            when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
            return [MyReport("VPN refuses me", when, "открыта", "#42", "https://hd.invalid/42")]

    window = MyReportsWindow(Source(), Translator("ru"))
    qtbot.addWidget(window)
    assert window.tree.topLevelItemCount() == 1
    item = window.tree.topLevelItem(0)
    assert item is not None
    assert item.text(0) == "VPN refuses me"
    assert item.text(2) == "открыта"
    assert not window.empty.isVisibleTo(window)


@pytest.mark.parametrize(("language", "save"), [("ru", "Сохранить"), ("uk", "Зберегти")])
def test_qt_own_buttons_are_translated(
    qtbot: QtBot, qapp: QApplication, language: str, save: str
) -> None:
    translators = install_qt_translations(qapp, language)
    try:
        assert translators, "PySide6 ships qtbase catalogs for ru and uk"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        qtbot.addWidget(box)
        button = box.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        assert button.text().replace("&", "") == save
    finally:
        for tr in translators:
            qapp.removeTranslator(tr)


def test_settings_take_effect_at_once_or_say_a_restart_is_needed(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    ctx = AppContext.for_tests(tmp_path)
    flare = FlareApp(ctx)
    stopped: list[bool] = []

    class Replay:
        def stop(self) -> None:
            stopped.append(True)

    flare.replay = Replay()  # type: ignore[assignment]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(str(a[2])))
    user_file = ctx.dirs.user_settings_file
    ctx.settings = ctx.settings.set_user("capture.replay_enabled", False, user_file)
    flare._settings_saved(replay_before=True)
    assert stopped == [True] and flare.replay is None, "turning replay off stops it at once"
    assert said == [], "nothing to restart for"
    ctx.settings = ctx.settings.set_user(
        "general.language", "uk" if flare.language != "uk" else "ru", user_file)
    flare._settings_saved(replay_before=False)
    assert len(said) == 1 and "next start" in said[0]
