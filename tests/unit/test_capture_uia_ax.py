"""Windows (UI Automation) and macOS (AX API) steps, against recorded trees.

Each file in data/uia/ and data/ax/ is what the platform's reader returns for one click: UIA
property ids and control type ids as Microsoft documents them, AX attributes as Apple does.
The step line must be the one AT-SPI gives on Linux for the same control, in every language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.i18n import Translator
from capture import ax, uia
from capture.a11y import ROLE_DIALOG
from capture.click_steps import ClickSteps, click_capture_support
from capture.describe import describe_click, describe_typing
from capture.geometry import Rect, monitors_from_mss
from capture.native_a11y import NativeDesktop, click_event, key_event, mapping_for
from capture.platform_info import PlatformInfo
from capture.recorder import StepRecorder
from capture.screen_source import RawGrab
from capture.x11_input import InputEvent

DATA = Path(__file__).parent / "data"


def record(kind: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / kind / f"{name}.json").read_text("utf-8"))
    return data


def uia_line(name: str, tr: Callable[..., str] | None = None) -> str:
    rec = record("uia", name)
    element = uia.element_from_record(rec)
    window = uia.window_from_record(rec)
    assert window is not None
    args = (1, 5, 5, element, window.title, window.program)
    return describe_click(*args, tr) if tr else describe_click(*args)


def ax_line(name: str, tr: Callable[..., str] | None = None) -> str:
    rec = record("ax", name)
    element = ax.element_from_record(rec)
    args = (1, 5, 5, element, None, None)
    return describe_click(*args, tr) if tr else describe_click(*args)


@pytest.mark.parametrize("name, line", [
    ("button_send", "Left click on 'Send' (button) in 'Quarterly report – Message (HTML)' "
                    "(OUTLOOK)"),
    ("edit_password", "Left click on 'Password' (password field) in 'Sign in to Invoices' "
                      "(Invoices)"),
    ("edit_user", "Left click on 'User name' (text field) in 'Sign in to Invoices' (Invoices)"),
    ("menuitem_save_as", "Left click on 'Save as' (menu item) in 'notes.txt - Notepad' "
                         "(Notepad)"),
    ("tabitem_advanced", "Left click on 'Advanced' (tab) in 'Internet Properties' (rundll32)"),
    ("hyperlink_reset", "Left click on 'Reset my password' (link) in 'Helpdesk portal - Work - "
                        "Microsoft Edge' (msedge)"),
    ("listitem_budget", "Left click on 'Budget 2026.xlsx' (list item) in 'Documents' "
                        "(explorer)"),
    ("checkbox_remember", "Left click on 'Remember me' (check box) in 'Sign in to Invoices' "
                          "(Invoices)"),
    ("window_title", "Left click on 'notes.txt - Notepad' (window) in 'notes.txt - Notepad' "
                     "(Notepad)"),
    ("pane_unnamed", "Left click in 'notes.txt - Notepad' (Notepad)"),
])
def test_uia_records_give_the_linux_sentences(name: str, line: str) -> None:
    assert uia_line(name) == line


@pytest.mark.parametrize("name, line", [
    ("button_send", "Left click on 'Send' (button) in 'Quarterly report' (Mail)"),
    ("textfield_user", "Left click on 'User name' (text field) in 'Sign in to Invoices' "
                       "(Invoices)"),
    ("securetextfield_password", "Left click on 'Password' (password field) in 'Sign in to "
                                 "Invoices' (Invoices)"),
    ("menuitem_export", "Left click on 'Export as PDF…' (menu item) in 'Budget.numbers' "
                        "(Numbers)"),
    ("tab_server", "Left click on 'Server Settings' (tab) in 'Accounts' (Mail)"),
    ("tab_plain_radio", "Left click on 'Advanced' (tab) in 'Accounts' (Mail)"),
    ("link_reset", "Left click on 'Reset my password' (link) in 'Helpdesk portal' (Safari)"),
    ("sheet_save_error", "Left click on 'OK' (button) in 'Budget.numbers' (Numbers)"),
])
def test_ax_records_give_the_linux_sentences(name: str, line: str) -> None:
    assert ax_line(name) == line


@pytest.mark.parametrize("language, windows, mac", [
    ("ru", "Щелчок левой кнопкой по «Password» (поле пароля) в окне «Sign in to Invoices» "
           "(Invoices)",
           "Щелчок левой кнопкой по «Server Settings» (вкладка) в окне «Accounts» (Mail)"),
    ("uk", "Клацання лівою кнопкою на «Password» (поле пароля) у вікні «Sign in to Invoices» "
           "(Invoices)",
           "Клацання лівою кнопкою на «Server Settings» (вкладка) у вікні «Accounts» (Mail)"),
])
def test_the_sentences_are_in_the_reporters_language(language: str, windows: str,
                                                     mac: str) -> None:
    tr = Translator(language).tr
    assert uia_line("edit_password", tr) == windows
    assert ax_line("tab_server", tr) == mac


def test_typing_into_a_password_field_names_it_and_never_its_value() -> None:
    rec = record("ax", "securetextfield_password")
    rec["element"]["AXValue"] = "hunter2"  # even a reader that had read it
    rec["element"]["AXTitle"] = ""
    element = ax.element_from_record(rec)
    assert describe_typing(element, None, None) == (
        "Typed into 'Password' (password field) in 'Sign in to Invoices' (Invoices)")
    field = record("ax", "textfield_user")
    field["element"].update(AXValue="j.smith", AXDescription="")
    unnamed = ax.element_from_record(field)
    assert unnamed is not None and unnamed.name == ""
    assert "j.smith" not in describe_typing(unnamed, None, None)
    assert uia.P_NAME in uia.READ_PROPERTIES and "30045" not in uia.READ_PROPERTIES


def test_a_win32_message_box_gives_its_static_text_as_the_error_text() -> None:
    rec = record("uia", "dialog_outlook_ok")
    element = uia.element_from_record(rec)
    assert element is not None and element.window_role == ROLE_DIALOG
    assert uia.dialog_text_from_record(rec) == (
        "Microsoft Outlook", "Cannot start Microsoft Outlook. Cannot open the Outlook window. "
        "The set of folders cannot be opened.")
    assert uia.dialog_rect(rec) == ("Microsoft Outlook", (760, 420, 400, 170))
    assert uia.dialog_text_from_record(record("uia", "button_send")) is None


def test_a_sheet_and_a_dialog_give_their_static_texts() -> None:
    sheet = record("ax", "sheet_save_error")
    assert ax.dialog_text_from_record(sheet) == ("Budget.numbers", (
        "The document “Budget.numbers” could not be saved.\nYou don’t have permission to save "
        "the file in the folder “Shared”."))
    assert ax.dialog_rect(sheet) == ("Budget.numbers", (330, 82, 460, 160))
    element = ax.element_from_record(record("ax", "dialog_disk"))
    assert element is not None and element.window_role == ROLE_DIALOG
    assert ax.dialog_text_from_record(record("ax", "dialog_disk")) == (
        "", "The operation can’t be completed because the disk is full.")
    assert ax.dialog_text_from_record(record("ax", "button_send")) is None


def test_without_the_accessibility_permission_macos_says_where_to_grant_it() -> None:
    assert ax.trust_problem(lambda: True) == ""
    problem = ax.trust_problem(lambda: False)
    assert "Privacy & Security > Accessibility" in problem
    assert Translator("uk").tr(problem) != problem
    ok, why = click_capture_support(PlatformInfo("darwin"))  # no pyobjc here: not trusted
    assert not ok and "Accessibility" in why
    assert click_capture_support(PlatformInfo("windows")) == (True, "")


class _Pynput:
    class Button:
        def __init__(self, name: str) -> None:
            self.name = name

    class Key:
        def __init__(self, name: str | None) -> None:
            self.name = name


def test_pynput_events_become_step_events() -> None:
    left = click_event(10.6, 20.2, _Pynput.Button("left"), True)
    assert left is not None and (left.kind, left.x, left.y, left.button) == ("click", 10, 20, 1)
    right = click_event(1, 2, _Pynput.Button("right"), True, False)  # pynput 1.8: injected
    assert right is not None and right.button == 3
    assert click_event(1, 2, _Pynput.Button("left"), False) is None  # the release
    assert key_event(_Pynput.Key("shift")) is None
    tab = key_event(_Pynput.Key("tab"))
    assert tab is not None and tab.moves_focus
    char = key_event(object())  # a character key has no name
    assert char is not None and char.kind == "key" and not char.moves_focus


# ------------------------------------------------------------------ recorded events end to end


CALLS: list[str] = []  # the order of grabs and reads in the end-to-end runs


class _Source:
    def monitors(self) -> list[Any]:
        return monitors_from_mss([{"left": 0, "top": 0, "width": 1920, "height": 1080}])

    def grab_raw(self, rect: Rect) -> RawGrab:
        CALLS.append("grab")
        size = rect.width * rect.height * 4  # not one flat colour: that is refused as blank
        return RawGrab((bytes(range(256)) * (size // 256 + 1))[:size], rect.width, rect.height)

    def close(self) -> None:
        pass


class _Replay:
    """The reader: each click's recorded tree, in order; the focus: the password field."""

    def __init__(self, kind: str, names: list[str]) -> None:
        self._records = [record(kind, n) for n in names]
        self._focus = record(kind, "edit_password" if kind == "uia" else
                             "securetextfield_password")

    def window_at(self, x: int, y: int) -> dict[str, Any]:
        CALLS.append("window")
        return {k: v for k, v in self._records[0].items() if k in ("window", "process", "pid",
                                                                   "app")}

    def element_at(self, x: int, y: int) -> dict[str, Any]:
        CALLS.append("element")
        return self._records.pop(0)

    def focused(self) -> dict[str, Any]:
        return self._focus

    def close(self) -> None:
        pass


class _Listener:
    """Delivers the recorded events at start, as pynput's hook thread would."""

    def __init__(self, on_event: Callable[[InputEvent], None], events: list[InputEvent]) -> None:
        self._on_event, self._events = on_event, events

    def start(self) -> None:
        for event in self._events:
            self._on_event(event)

    def stop(self) -> None:
        pass


def _run(system: str, kind: str, names: list[str], events: list[InputEvent],
         tr: Callable[..., str] | None = None, ignore: frozenset[int] = frozenset()) -> list[str]:
    recorder = StepRecorder(lambda _click: None)  # type: ignore[arg-type, return-value]
    recorder.start()
    steps = ClickSteps(
        recorder, PlatformInfo(system), lambda: datetime(2026, 1, 1, tzinfo=UTC),
        **({"tr": tr} if tr else {}), ignore_pids=ignore,
        source_factory=lambda _p: _Source(),
        native_reader=lambda _s: _Replay(kind, names),
        native_listener=lambda put: _Listener(put, events))
    errors: list[str] = []
    steps.on_error = errors.append
    steps.start()
    error = steps.finish(10)
    assert errors == []
    steps.stop()
    lines = [s.description for s in recorder.steps]
    assert [s.marker for s in recorder.steps] == [line.startswith(("Left", "Right", "Клац"))
                                                  for line in lines]
    if error is not None:
        lines.append(f"error: {error.title}: {error.text}")
    return lines


def test_recorded_windows_clicks_become_described_steps_and_the_error_text() -> None:
    events = [InputEvent("click", 700, 460, 1), InputEvent("key", 0, 0),
              InputEvent("key", 0, 0), InputEvent("click", 1090, 560, 1)]
    CALLS.clear()
    assert _run("windows", "uia", ["edit_password", "dialog_outlook_ok"], events) == [
        "Left click on 'Password' (password field) in 'Sign in to Invoices' (Invoices)",
        "Typed into 'Password' (password field) in 'Sign in to Invoices' (Invoices)",
        "Left click on 'OK' (button) in 'Microsoft Outlook' (OUTLOOK)",
        "error: Microsoft Outlook: Cannot start Microsoft Outlook. Cannot open the Outlook "
        "window. The set of folders cannot be opened.",
    ]
    # The window (to leave Flare's own out) before the grab, the element only after it.
    assert CALLS == ["window", "grab", "element", "grab", "window", "grab", "element"]


def test_recorded_mac_clicks_in_ukrainian_with_flares_own_windows_left_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ax, "trust_problem", lambda *_: "")  # as if Accessibility were granted
    events = [InputEvent("click", 900, 500, 1), InputEvent("click", 400, 90, 3)]
    lines = _run("darwin", "ax", ["link_reset", "button_send"], events, Translator("uk").tr,
                 ignore=frozenset({612}))  # Mail's pid, as if it were Flare's
    assert lines == [
        "Клацання лівою кнопкою на «Reset my password» (посилання) у вікні «Helpdesk portal» "
        "(Safari)"]


def test_the_desktop_adapter_keeps_dialogs_per_process() -> None:
    class Reader(_Replay):
        pass

    desktop = NativeDesktop(Reader("uia", ["dialog_outlook_ok", "button_send"]),
                            mapping_for("windows"))
    window = desktop.at(1090, 560)
    assert window is not None and window.pid == 5120 and window.title == "Microsoft Outlook"
    assert desktop.dialog_text(5120, "Microsoft Outlook") is None  # not read before the grab
    element = desktop.element_at(5120, 1090, 560, window.title)
    assert element is not None and element.name == "OK"
    assert desktop.dialog_text(5120, "Microsoft Outlook") is not None
    assert desktop.dialog_text(5120, "Another title") is None
    desktop.at(228, 180)  # the dialog is gone: Outlook's main window under the next click
    desktop.element_at(5120, 228, 180, None)
    assert desktop.dialog_text(5120) is None and desktop.dialog_of(5120) is None


def test_at_stop_a_dialog_counts_only_while_it_still_has_the_focus() -> None:
    class Reader(_Replay):
        def __init__(self) -> None:
            super().__init__("uia", ["dialog_outlook_ok"])
            self._focus = record("uia", "dialog_outlook_ok")

    desktop = NativeDesktop(Reader(), mapping_for("windows"))
    found = desktop.dialog_text(5120)
    assert found is not None and found[0] == "Microsoft Outlook"
    assert desktop.dialog_of(5120) == ("Microsoft Outlook", (760, 420, 400, 170))
    assert desktop.dialog_text(8812) is None  # another process's dialog is not its


def test_doctor_says_what_reads_clicks_on_windows_and_why_not_on_macos(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.context import AppContext
    from capture.doctor import check_click_capture

    ctx = AppContext.for_tests(tmp_path)
    windows = check_click_capture(ctx, PlatformInfo("windows"))
    assert windows.status == "ok" and "UI Automation" in windows.detail
    refused = check_click_capture(ctx, PlatformInfo("darwin"))  # no pyobjc here: not trusted
    assert refused.status == "warning" and "Accessibility" in refused.detail
    monkeypatch.setattr(ax, "trust_problem", lambda *_: "")
    granted = check_click_capture(ctx, PlatformInfo("darwin"))
    assert granted.status == "ok" and "Accessibility API" in granted.detail
