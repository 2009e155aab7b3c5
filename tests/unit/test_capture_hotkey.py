"""Global Capture step shortcut: combination checks, platform support, and the listener wiring
on the platforms that cannot run here (Windows, macOS, Wayland), with a fake pynput."""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from capture.errors import CaptureError
from capture.hotkey import (
    DEFAULT_CAPTURE_HOTKEY,
    INSTALL_HINT,
    MACOS_INPUT_HINT,
    WAYLAND_HINT,
    GlobalHotkey,
    InvalidHotkeyError,
    hotkey_support,
    parse_hotkey,
)
from capture.platform_info import PlatformInfo

LINUX_X11 = PlatformInfo("linux", wayland=False, x11_display=":5")
WAYLAND = PlatformInfo("linux", wayland=True, x11_display=":0")
NO_DISPLAY = PlatformInfo("linux", wayland=False, x11_display="")
MACOS = PlatformInfo("darwin")
WINDOWS = PlatformInfo("windows")


# --------------------------------------------------------------------------- combinations


@pytest.mark.parametrize(
    ("text", "normalised", "label"),
    [
        (DEFAULT_CAPTURE_HOTKEY, "<ctrl>+<shift>+<f9>", "Ctrl+Shift+F9"),
        ("<SHIFT>+<Ctrl>+<F9>", "<ctrl>+<shift>+<f9>", "Ctrl+Shift+F9"),
        ("  <alt>+<cmd>+s ", "<alt>+<cmd>+s", "Alt+Super+S"),
        ("<ctrl>+<shift>+S", "<ctrl>+<shift>+s", "Ctrl+Shift+S"),
        ("<ctrl>++", "<ctrl>++", "Ctrl++"),
        ("<ctrl>+<alt>+<page_down>", "<ctrl>+<alt>+<page_down>", "Ctrl+Alt+page_down"),
        ("<ctrl>+<65>", "<ctrl>+<65>", "Ctrl+65"),
    ],
)
def test_valid_combinations_are_normalised(text: str, normalised: str, label: str) -> None:
    hotkey = parse_hotkey(text)
    assert str(hotkey) == normalised
    assert hotkey.label("linux") == label


def test_labels_use_each_systems_key_names() -> None:
    hotkey = parse_hotkey("<cmd>+<alt>+<ctrl>+<f12>")
    assert hotkey.label("darwin") == "Control+Option+Command+F12"
    assert hotkey.label("windows") == "Ctrl+Alt+Win+F12"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "ends with '+' or is empty"),
        ("<ctrl>+<shift>+", "ends with '+' or is empty"),
        ("<ctrl>+<shft>+<f9>", "unknown key <shft>"),
        ("<ctrl>+<f99>", "unknown key <f99>"),
        ("ctrl+shift+F9", "'ctrl' is neither one character nor a <name>"),
        ("<ctrl>+<shift>", "only modifiers"),
        ("<shift>+<f9>", "needs <ctrl>, <alt> or <cmd>"),
        ("<f9>", "needs <ctrl>, <alt> or <cmd>"),
        ("<ctrl>+<ctrl>+<f9>", "<ctrl> appears twice"),
        ("<ctrl>+a+A", "A appears twice"),
        ("<ctrl_l>+<f9>", "use <ctrl> instead of <ctrl_l>"),
        ("<alt_gr>+<f9>", "use <alt> instead of <alt_gr>"),
        ("<ctrl>+<shift>+1", "Shift changes digits"),
        ("<ctrl>+ +<f9>", "write the space bar as <space>"),
    ],
)
def test_bad_combinations_say_what_is_wrong_and_how_to_write_one(text: str, problem: str) -> None:
    with pytest.raises(InvalidHotkeyError) as info:
        parse_hotkey(text)
    message = str(info.value)
    assert problem in message
    assert message.startswith(f"The shortcut {text!r} is not valid")
    assert DEFAULT_CAPTURE_HOTKEY in message
    assert "\n" not in message
    assert info.value.exit_code == 3


def test_keys_missing_from_mac_keyboards_are_refused_only_on_macos() -> None:
    assert str(parse_hotkey("<ctrl>+<print_screen>", "windows")) == "<ctrl>+<print_screen>"
    with pytest.raises(InvalidHotkeyError, match="Mac keyboards have no <print_screen>"):
        parse_hotkey("<ctrl>+<print_screen>", "darwin")


# --------------------------------------------------------------------------- support


def test_wayland_cannot_have_a_global_shortcut() -> None:
    supported, reason = hotkey_support(WAYLAND, pynput_installed=lambda: True)
    assert not supported
    assert reason == WAYLAND_HINT
    assert "flare capture" in reason


def test_no_x_display_is_reported() -> None:
    supported, reason = hotkey_support(NO_DISPLAY, pynput_installed=lambda: True)
    assert not supported
    assert "DISPLAY" in reason


@pytest.mark.parametrize("platform", [LINUX_X11, WINDOWS, MACOS])
def test_missing_pynput_says_how_to_install_it(platform: PlatformInfo) -> None:
    supported, reason = hotkey_support(
        platform, pynput_installed=lambda: False, macos_input_allowed=lambda: True
    )
    assert (supported, reason) == (False, INSTALL_HINT)
    assert "pip install 'flare-reporter[clicks]'" in reason


@pytest.mark.parametrize("platform", [LINUX_X11, WINDOWS])
def test_x11_and_windows_with_pynput_are_supported(platform: PlatformInfo) -> None:
    assert hotkey_support(platform, pynput_installed=lambda: True) == (True, "")


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [(True, (True, "")), (None, (True, "")), (False, (False, MACOS_INPUT_HINT))],
)
def test_macos_needs_input_monitoring(allowed: bool | None, expected: tuple[bool, str]) -> None:
    result = hotkey_support(
        MACOS, pynput_installed=lambda: True, macos_input_allowed=lambda: allowed
    )
    assert result == expected
    if not result[0]:
        assert "System Settings > Privacy & Security > Input Monitoring" in result[1]


def test_other_systems_are_refused() -> None:
    supported, reason = hotkey_support(PlatformInfo("other"), pynput_installed=lambda: True)
    assert not supported
    assert reason


# --------------------------------------------------------------------------- listener wiring


class FakeGlobalHotKeys(threading.Thread):
    """Stands in for pynput's listener: a thread that runs the callbacks, as pynput does."""

    instances: list[FakeGlobalHotKeys] = []  # noqa: RUF012 - reset per test by the fixture

    def __init__(self, hotkeys: dict[str, Callable[[], None]]) -> None:
        super().__init__(daemon=True)
        self.hotkeys = hotkeys
        self.stopped = threading.Event()
        self.die_before_ready = False
        self.IS_TRUSTED = True
        self._ready = threading.Event()
        self._presses: queue.Queue[tuple[str, threading.Event] | None] = queue.Queue()
        FakeGlobalHotKeys.instances.append(self)

    def run(self) -> None:
        if self.die_before_ready:
            return
        self._ready.set()
        while (item := self._presses.get(timeout=10)) is not None:
            combination, handled = item
            self.hotkeys[combination]()
            handled.set()

    def wait(self) -> None:
        self._ready.wait()

    def stop(self) -> None:
        # Like pynput's X11 listener, whose stop() waits for readiness first: stopping one
        # that died before becoming ready would block forever.
        assert self._ready.wait(5), "stop() on a listener that never became ready hangs"
        self.stopped.set()
        self._presses.put(None)

    def press(self, combination: str) -> bool:
        """Deliver a press on the listener thread; whether it was handled within 5 s."""
        handled = threading.Event()
        self._presses.put((combination, handled))
        return handled.wait(5)


@pytest.fixture
def fake_keyboard() -> SimpleNamespace:
    FakeGlobalHotKeys.instances = []
    return SimpleNamespace(GlobalHotKeys=FakeGlobalHotKeys)


def test_callbacks_are_wired_to_normalised_combinations(fake_keyboard: SimpleNamespace) -> None:
    calls: list[str] = []
    hotkey = GlobalHotkey(
        lambda: calls.append("capture"),
        WINDOWS,
        combination="<SHIFT>+<ctrl>+<F9>",
        on_stop=lambda: calls.append("stop"),
        load_keyboard=lambda: fake_keyboard,
    )
    with hotkey:
        assert hotkey.running
        (listener,) = FakeGlobalHotKeys.instances
        assert set(listener.hotkeys) == {"<ctrl>+<shift>+<f9>", "<ctrl>+<shift>+<f10>"}
        assert listener.press("<ctrl>+<shift>+<f9>")
        assert listener.press("<ctrl>+<shift>+<f10>")
        assert listener.press("<ctrl>+<shift>+<f9>")
    assert calls == ["capture", "stop", "capture"]
    assert listener.stopped.is_set()
    assert not hotkey.running


def test_without_a_stop_callback_only_capture_is_registered(
    fake_keyboard: SimpleNamespace,
) -> None:
    with GlobalHotkey(lambda: None, LINUX_X11, load_keyboard=lambda: fake_keyboard):
        (listener,) = FakeGlobalHotKeys.instances
        assert list(listener.hotkeys) == [DEFAULT_CAPTURE_HOTKEY]


def test_a_failing_callback_is_logged_and_the_shortcut_keeps_working(
    fake_keyboard: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk full")

    with GlobalHotkey(flaky, WINDOWS, load_keyboard=lambda: fake_keyboard):
        (listener,) = FakeGlobalHotKeys.instances
        assert listener.press(DEFAULT_CAPTURE_HOTKEY)
        assert listener.press(DEFAULT_CAPTURE_HOTKEY)
    assert len(calls) == 2
    assert "capture shortcut's action failed" in caplog.text


def test_bad_combination_fails_before_anything_starts(fake_keyboard: SimpleNamespace) -> None:
    with pytest.raises(InvalidHotkeyError, match="unknown key <f99>"):
        GlobalHotkey(lambda: None, WINDOWS, combination="<ctrl>+<f99>")
    with pytest.raises(InvalidHotkeyError, match="same as the Capture step shortcut"):
        GlobalHotkey(
            lambda: None,
            WINDOWS,
            on_stop=lambda: None,
            stop_combination="<shift>+<ctrl>+<f9>",
        )
    assert FakeGlobalHotKeys.instances == []


def test_start_on_wayland_refuses_without_loading_pynput() -> None:
    def load() -> Any:
        raise AssertionError("pynput must not be loaded on Wayland")

    with pytest.raises(CaptureError, match="Wayland does not let") as info:
        GlobalHotkey(lambda: None, WAYLAND, load_keyboard=load).start()
    assert info.value.exit_code == 4


def test_missing_pynput_is_an_install_hint() -> None:
    def load() -> Any:
        raise ModuleNotFoundError("No module named 'pynput'", name="pynput")

    with pytest.raises(CaptureError) as info:
        GlobalHotkey(lambda: None, LINUX_X11, load_keyboard=load).start()
    assert str(info.value) == INSTALL_HINT


def test_pynput_without_a_backend_gives_its_first_line() -> None:
    def load() -> Any:
        raise ImportError(
            "this platform is not supported: ('failed to acquire X connection')\n\n"
            "Try one of the following resolutions: ..."
        )

    with pytest.raises(CaptureError) as info:
        GlobalHotkey(lambda: None, LINUX_X11, load_keyboard=load).start()
    message = str(info.value)
    assert "failed to acquire X connection" in message
    assert "\n" not in message


def test_listener_dying_at_start_is_reported(fake_keyboard: SimpleNamespace) -> None:
    class Dying(FakeGlobalHotKeys):
        def __init__(self, hotkeys: dict[str, Callable[[], None]]) -> None:
            super().__init__(hotkeys)
            self.die_before_ready = True

    hotkey = GlobalHotkey(
        lambda: None, LINUX_X11, load_keyboard=lambda: SimpleNamespace(GlobalHotKeys=Dying)
    )
    with pytest.raises(CaptureError, match="RECORD extension"):
        hotkey.start()
    assert not hotkey.running


def test_untrusted_macos_process_gets_the_settings_path(fake_keyboard: SimpleNamespace) -> None:
    class Untrusted(FakeGlobalHotKeys):
        def run(self) -> None:
            # pynput's macOS listener marks itself ready and ends when the tap is refused.
            self.IS_TRUSTED = False
            self._ready.set()

    hotkey = GlobalHotkey(
        lambda: None, MACOS, load_keyboard=lambda: SimpleNamespace(GlobalHotKeys=Untrusted)
    )
    with pytest.raises(CaptureError) as info:
        hotkey.start()
    assert str(info.value) == MACOS_INPUT_HINT


def test_stop_from_the_stop_callback_works_quietly(
    fake_keyboard: SimpleNamespace, caplog: pytest.LogCaptureFixture
) -> None:
    holder: list[GlobalHotkey] = []
    hotkey = GlobalHotkey(
        lambda: None,
        WINDOWS,
        on_stop=lambda: holder[0].stop(),
        load_keyboard=lambda: fake_keyboard,
    )
    holder.append(hotkey)
    hotkey.start()
    (listener,) = FakeGlobalHotKeys.instances
    assert listener.press("<ctrl>+<shift>+<f10>")
    assert listener.stopped.is_set()
    listener.join(5)
    assert not hotkey.running
    assert caplog.text == ""  # e.g. no "cannot join current thread" from the callback
    hotkey.stop()  # a second stop is harmless


def test_start_twice_keeps_one_listener(fake_keyboard: SimpleNamespace) -> None:
    hotkey = GlobalHotkey(lambda: None, WINDOWS, load_keyboard=lambda: fake_keyboard)
    with hotkey:
        hotkey.start()
        assert len(FakeGlobalHotKeys.instances) == 1


@pytest.mark.parametrize("language", ["ru", "uk"])
@pytest.mark.parametrize("text", ["<ctrl>+<shft>+<f9>", "<f9>", "<ctrl>+<ctrl>+<f9>", "",
                                  "ctrl+shift+F9", "<ctrl>+<shift>+1"])
def test_bad_combinations_are_explained_in_the_persons_language(language: str, text: str) -> None:
    # The message is shown inside translated ones (the settings dialog, the tray's notice):
    # an English clause there reads as a half-translated sentence.
    from app.i18n import set_language

    set_language(language)
    try:
        with pytest.raises(InvalidHotkeyError) as info:
            parse_hotkey(text)
    finally:
        set_language("en")
    message = str(info.value)
    # key names stay as written, and so do the keys' own names (Shift)
    words = re.sub(r"<[^>]*>|'[^']*'|«[^»]*»|\bShift\b", "", message)
    assert not re.search(r"[A-Za-z]{3,}", words), message
    assert re.search(r"[А-Яа-яІіЇїЄєҐґ]{4,}", message)
