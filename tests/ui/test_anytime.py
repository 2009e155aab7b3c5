"""The shortcuts at any time, around the tray: off where the desktop forbids them (said in the
menu, not as an error), clashes and unreachable displays in one line, locked by policy."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.context import AppContext
from app.i18n import Translator
from app.ui.app import FlareApp
from app.ui.settings_dialog import SettingsDialog
from app.ui.tray import Tray, TrayActions


def tray_app(ctx: AppContext, language: str = "en") -> tuple[FlareApp, list[str]]:
    flare = FlareApp(ctx)
    t = Translator(language)
    flare.tray = Tray(t, "Flare", TrayActions(
        report=flare.open_report, capture_step=flare.capture_step,
        toggle_recording=flare.toggle_recording, my_reports=flare.show_my_reports,
        settings=flare.show_settings, quit=None,
        capture_region=flare.anytime.capture_region,
        capture_window=flare.anytime.capture_window), flare)
    told: list[str] = []
    flare.notify = lambda title, text: told.append(text)  # type: ignore[method-assign]
    return flare, told


def menu_texts(tray: Tray) -> list[str]:
    return [a.text() for a in tray.menu.actions() if a.isVisible() and a.text()]


def test_wayland_says_why_in_the_menu_and_not_as_an_error(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    flare, told = tray_app(AppContext.for_tests(tmp_path))
    assert flare.tray is not None
    assert flare.anytime.start_shortcuts() and told == []
    assert flare.anytime.shortcuts is None
    note = flare.tray.shortcuts_note
    assert note.isVisible() and not note.isEnabled()
    assert note.text() == "Shortcuts are off here (why?)"
    assert "Wayland does not let applications have desktop-wide shortcuts" in note.toolTip()
    texts = menu_texts(flare.tray)
    assert texts.index("Screenshot of a region…") == texts.index("Start recording") + 1
    assert texts.index("Screenshot of a window…") == texts.index("Start recording") + 2


def test_wayland_note_in_ukrainian(qtbot: QtBot, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    flare, _ = tray_app(AppContext.for_tests(tmp_path, general__language="uk"), "uk")
    assert flare.tray is not None
    flare.anytime.start_shortcuts()
    assert flare.tray.shortcuts_note.text() == "Сполучення клавіш тут не працюють (чому?)"
    assert "Знімок області…" in menu_texts(flare.tray)


def test_a_clash_with_the_recorder_and_a_dead_display_are_one_line_each(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":987")  # nobody listens there
    flare, told = tray_app(AppContext.for_tests(
        tmp_path, capture__screenshot_shortcut="<ctrl>+<shift>+<f9>"))
    problems = flare.anytime.start_shortcuts()
    assert told == problems and len(problems) == 2
    assert problems[0] == ("The shortcut Ctrl+Shift+F9 for Screenshot now is the same as the "
                           "one for Capture step; choose another one in Flare's settings.")
    assert problems[1].startswith("The desktop-wide shortcuts are off: ")
    assert all("\n" not in p for p in problems)
    assert not flare.tray.shortcuts_note.isVisible()  # type: ignore[union-attr]


def test_both_empty_means_off_without_a_word(qtbot: QtBot, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    flare, told = tray_app(AppContext.for_tests(
        tmp_path, capture__report_shortcut="", capture__screenshot_shortcut=""))
    assert flare.anytime.start_shortcuts() == [] and told == []
    assert not flare.tray.shortcuts_note.isVisible()  # type: ignore[union-attr]


def test_policy_locks_the_shortcuts_in_settings(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__report_shortcut="<ctrl>+<alt>+<f12>")
    dialog = SettingsDialog(ctx, Translator("en"))
    qtbot.addWidget(dialog)
    assert not dialog.editors["capture.report_shortcut"].isEnabled()
    assert dialog.editors["capture.screenshot_shortcut"].isEnabled()
    assert ctx.settings.get("capture.report_shortcut") == "<ctrl>+<alt>+<f12>"


def test_settings_refuse_a_bad_or_clashing_shortcut_in_one_line(qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLineEdit

    ctx = AppContext.for_tests(tmp_path)
    dialog = SettingsDialog(ctx, Translator("en"))
    qtbot.addWidget(dialog)
    shot = dialog.editors["capture.screenshot_shortcut"]
    assert isinstance(shot, QLineEdit) and shot.text() == "<ctrl>+<shift>+<f7>"
    shot.setText("<ctrl>+<shift>+<f9>")
    dialog.save()
    assert dialog.error.text() == (
        "The shortcut Ctrl+Shift+F9 for Screenshot now is the same as the one for Capture "
        "step; choose another one in Flare's settings.")
    assert not ctx.dirs.user_settings_file.exists(), "nothing saved"
    shot.setText("<shift>+<f7>")
    dialog.save()
    assert "needs <ctrl>, <alt> or <cmd>" in dialog.error.text()
    shot.setText("")  # off
    dialog.save()
    assert ctx.settings.get("capture.screenshot_shortcut") == ""


def test_settings_say_why_the_shortcuts_are_off_on_wayland(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    # capture/ speaks the process's language, which the app sets at start.
    monkeypatch.setattr("app.i18n._current", [Translator("ru")])
    dialog = SettingsDialog(AppContext.for_tests(tmp_path), Translator("ru"))
    qtbot.addWidget(dialog)
    assert dialog.shortcuts_note is not None
    assert dialog.shortcuts_note.text().startswith("Wayland не даёт приложениям")


@pytest.mark.xvfb
def test_grabbed_shortcuts_show_in_the_menu_and_a_taken_one_is_told(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from capture.hotkey import parse_hotkey
    from capture.x11_keys import Shortcut, X11Shortcuts
    from tests.integration.xserver import start_xvfb

    with start_xvfb() as xs:
        monkeypatch.setenv("DISPLAY", xs.display)
        monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        other = X11Shortcuts(xs.display, [Shortcut("other", parse_hotkey("<ctrl>+<shift>+<f8>"),
                                                   lambda: None)])
        assert other.start() == []
        flare, told = tray_app(AppContext.for_tests(tmp_path))
        tray = flare.tray
        assert tray is not None
        try:
            problems = flare.anytime.start_shortcuts()
            assert problems == told == [
                "The shortcut Ctrl+Shift+F8 for Report a problem is already taken by another "
                "program; choose another one in Flare's settings."]
            assert tray.report_action.text() == "Report a problem…"
            assert tray.capture_action.text() == "Capture step\tCtrl+Shift+F7"
            other.stop()
            flare.anytime.restart()  # e.g. after Settings: now it is free
            assert tray.report_action.text() == "Report a problem…\tCtrl+Shift+F8"
        finally:
            flare.anytime.stop()
            other.stop()
