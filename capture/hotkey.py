"""A desktop-wide "Capture step" shortcut, where the platform lets an application have one.

Qt has no global hotkeys, so this uses pynput's ``keyboard.GlobalHotKeys`` from the optional
extra ``clicks`` (the same package as capture on click). pynput is imported lazily: it opens a
connection to the X server at import time and is absent from minimal installs.

Default combination: Ctrl+Shift+F9, because

- function keys are layout-independent: a letter shortcut stops matching on X11 as soon as the
  user switches to a Cyrillic layout (we ship Russian and Ukrainian), and Shift does not turn
  F9 into another symbol the way it turns ``1`` into ``!``;
- no desktop claims it (GNOME, KDE, Xfce, Windows, macOS), unlike Ctrl+Alt+F1..F12 (switch to
  a Linux text console), Print (desktop screenshot tools) or Win/Super combinations;
- three keys are hardly ever pressed by accident.

pynput cannot swallow a single combination, so the application in front still receives the
keys; a few editors bind Ctrl+Shift+F9 (Word: unlink field, Visual Studio: delete all
breakpoints, after a confirmation; JetBrains IDEs: compile file). Sites where that matters set
another combination.

Known limits: Wayland has no way for applications to listen globally; on Windows keys typed
into an elevated (administrator) window are not seen; macOS asks for Input Monitoring.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from app.errors import EXIT_CONFIG, EXIT_ENVIRONMENT
from app.i18n import N_, current
from capture.errors import CaptureError
from capture.platform_info import PlatformInfo, System

log = logging.getLogger(__name__)

DEFAULT_CAPTURE_HOTKEY = "<ctrl>+<shift>+<f9>"
DEFAULT_STOP_HOTKEY = "<ctrl>+<shift>+<f10>"
"""Used only when a stop callback is given without its own combination: the key next to F9."""

INSTALL_HINT = N_(
    "The global Capture step shortcut needs the optional 'pynput' package: install it with "
    "pip install 'flare-reporter[clicks]', or use the toolbar's Capture step button."
)
WAYLAND_HINT = N_(
    "Wayland does not let applications listen to the keyboard globally; use the toolbar's "
    "Capture step button, or bind `flare capture` to a key in your desktop's own shortcut "
    "settings."
)
NO_DISPLAY_HINT = N_(
    "No X display (DISPLAY is not set), so there is no keyboard to listen to; start Flare "
    "inside your desktop session or use the toolbar's Capture step button."
)
MACOS_INPUT_HINT = N_(
    "macOS does not let Flare see the keyboard: allow Flare in System Settings > Privacy & "
    "Security > Input Monitoring (and > Accessibility), then quit and reopen Flare."
)
OTHER_SYSTEM_HINT = N_(
    "A global shortcut is not available on this system; use the toolbar's Capture step button."
)

MODIFIERS: tuple[str, ...] = ("ctrl", "alt", "shift", "cmd")
"""In the order a combination is written back; pynput matches either side of each."""

_NAMED_KEYS = frozenset(
    [f"f{n}" for n in range(1, 21)]
    + [
        "backspace",
        "caps_lock",
        "delete",
        "down",
        "end",
        "enter",
        "esc",
        "home",
        "left",
        "page_down",
        "page_up",
        "right",
        "space",
        "tab",
        "up",
        "media_play_pause",
        "media_volume_mute",
        "media_volume_down",
        "media_volume_up",
        "media_previous",
        "media_next",
    ]
)
"""Named keys pynput knows on Windows, macOS and X11 alike."""
_NOT_ON_MACOS = frozenset(["insert", "menu", "num_lock", "pause", "print_screen", "scroll_lock"])
_SIDED_MODIFIERS = frozenset(
    ["ctrl_l", "ctrl_r", "alt_l", "alt_r", "shift_l", "shift_r", "cmd_l", "cmd_r", "alt_gr"]
)

_MODIFIER_LABELS: dict[System, dict[str, str]] = {
    "darwin": {"ctrl": "Control", "alt": "Option", "shift": "Shift", "cmd": "Command"},
    "windows": {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "cmd": "Win"},
}
_DEFAULT_LABELS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "cmd": "Super"}


class InvalidHotkeyError(CaptureError):
    """A shortcut setting that is not a usable key combination."""

    def __init__(self, combination: str, problem: str, /, **fields: object) -> None:
        # ``problem`` is an N_() text: both it and the sentence around it are in the person's
        # language, since the message is shown inside other translated messages.
        t = current()
        super().__init__(
            t.tr("The shortcut '{combination}' is not valid: {problem}. Write it like "
                 "{example} (modifiers <ctrl>, <alt>, <shift>, <cmd>; keys such as "
                 "<f1>..<f20>, <space> or a single character).",
                 combination=combination, problem=t.tr(problem, **fields),
                 example=DEFAULT_CAPTURE_HOTKEY),
            EXIT_CONFIG,
        )


@dataclass(frozen=True)
class Hotkey:
    """A checked combination: at least one of Ctrl/Alt/Cmd plus one or more other keys."""

    modifiers: tuple[str, ...]
    keys: tuple[str, ...]
    """``"<f9>"``-style names or single lowercase characters, as pynput writes them."""

    def __str__(self) -> str:
        return "+".join([f"<{m}>" for m in self.modifiers] + list(self.keys))

    def same_keys(self, other: Hotkey) -> bool:
        """Whether both are pressed the same way (pynput ignores the order of the keys)."""
        return self.modifiers == other.modifiers and set(self.keys) == set(other.keys)

    def label(self, system: System) -> str:
        """Human-readable form for tooltips and menus, e.g. ``Ctrl+Shift+F9``."""
        names = _MODIFIER_LABELS.get(system, _DEFAULT_LABELS)
        parts = [names[m] for m in self.modifiers]
        for key in self.keys:
            if key.startswith("<") and len(key) > 2:
                name = key[1:-1]
                parts.append(name.upper() if name[0] == "f" and name[1:].isdigit() else name)
            else:
                parts.append(key.upper())
        return "+".join(parts)


def _split(text: str) -> list[str]:
    # Same rule as pynput's HotKey.parse, so that "<ctrl>++" means Ctrl and the plus key.
    parts: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char == "+" and i != start:
            parts.append(text[start:i])
            start = i + 1
    if start == len(text):
        raise ValueError(N_("it ends with '+' or is empty"))
    parts.append(text[start:])
    return parts


def parse_hotkey(text: str, system: System = "linux") -> Hotkey:
    """Check ``text`` (pynput syntax) and return it normalised; :class:`InvalidHotkeyError`."""
    combination = text.strip()
    try:
        parts = _split(combination)
    except ValueError as exc:
        raise InvalidHotkeyError(text, str(exc)) from None
    modifiers: set[str] = set()
    keys: list[str] = []
    for part in parts:
        if len(part) == 1:
            if part.isspace():
                raise InvalidHotkeyError(text, N_("write the space bar as <space>"))
            key = part.lower()
        elif len(part) > 2 and part[0] == "<" and part[-1] == ">":
            name = part[1:-1].lower()
            if name in MODIFIERS:
                if name in modifiers:
                    raise InvalidHotkeyError(text, N_("<{name}> appears twice"), name=name)
                modifiers.add(name)
                continue
            if name in _SIDED_MODIFIERS:
                raise InvalidHotkeyError(
                    text, N_("use <{plain}> instead of <{name}> (either side matches)"),
                    plain=name.split("_")[0], name=name)
            if name in _NOT_ON_MACOS and system == "darwin":
                raise InvalidHotkeyError(text, N_("Mac keyboards have no <{name}> key"), name=name)
            if name not in _NAMED_KEYS and name not in _NOT_ON_MACOS and not name.isdigit():
                raise InvalidHotkeyError(text, N_("unknown key <{name}>"), name=name)
            key = f"<{name}>"
        else:
            raise InvalidHotkeyError(
                text, N_("'{part}' is neither one character nor a <name> in angle brackets"),
                part=part)
        if key in keys:
            raise InvalidHotkeyError(text, N_("{part} appears twice"), part=part)
        keys.append(key)
    if not keys:
        raise InvalidHotkeyError(text, N_("it has only modifiers; add a key such as <f9>"))
    if not modifiers & {"ctrl", "alt", "cmd"}:
        raise InvalidHotkeyError(
            text, N_("it needs <ctrl>, <alt> or <cmd>, or it would fire while the user types")
        )
    if "shift" in modifiers and any(len(k) == 1 and not k.isalpha() for k in keys):
        # With Shift held the keyboard reports the shifted symbol ('!' for '1'), which never
        # matches the plain character, so such a shortcut would silently do nothing.
        raise InvalidHotkeyError(
            text,
            N_("Shift changes digits and punctuation into other symbols; use a letter or <f9>"))
    ordered = tuple(m for m in MODIFIERS if m in modifiers)
    return Hotkey(ordered, tuple(keys))


def _pynput_installed() -> bool:
    return importlib.util.find_spec("pynput") is not None


def _macos_input_allowed() -> bool | None:
    """True/False when macOS says so, None when it cannot tell (older macOS, no frameworks)."""
    # Here, not at the top: ctypes.util brings subprocess along, and the tray on Linux (which
    # imports this module for its shortcuts) never asks macOS.
    import ctypes
    import ctypes.util

    try:
        appserv = ctypes.CDLL(
            ctypes.util.find_library("ApplicationServices")
            or "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
        )
        appserv.AXIsProcessTrusted.restype = ctypes.c_bool
        if appserv.AXIsProcessTrusted():
            return True
        iokit = ctypes.CDLL(
            ctypes.util.find_library("IOKit") or "/System/Library/Frameworks/IOKit.framework/IOKit"
        )
        iokit.IOHIDCheckAccess.restype = ctypes.c_uint
        iokit.IOHIDCheckAccess.argtypes = [ctypes.c_uint]
        listen_event, granted, denied = 1, 0, 1  # kIOHIDRequestTypeListenEvent, kIOHIDAccess…
        access = iokit.IOHIDCheckAccess(listen_event)
    except (OSError, AttributeError):
        return None
    if access == granted:
        return True
    # "Unknown" means never asked: starting the listener makes macOS show its prompt.
    return False if access == denied else None


def hotkey_support(
    platform: PlatformInfo,
    *,
    pynput_installed: Callable[[], bool] = _pynput_installed,
    macos_input_allowed: Callable[[], bool | None] = _macos_input_allowed,
) -> tuple[bool, str]:
    """Whether a global shortcut can work here; if not, one line telling the user why."""
    reason = _desktop_refusal(platform)
    if reason:
        return False, reason
    if not pynput_installed():
        return False, current().tr(INSTALL_HINT)
    if platform.system == "darwin" and macos_input_allowed() is False:
        return False, current().tr(MACOS_INPUT_HINT)
    return True, ""


def _desktop_refusal(platform: PlatformInfo) -> str:
    if platform.system == "linux":
        if platform.wayland:
            return current().tr(WAYLAND_HINT)
        if not platform.x11_display:
            return current().tr(NO_DISPLAY_HINT)
    elif platform.system == "other":
        return current().tr(OTHER_SYSTEM_HINT)
    return ""


def _import_pynput_keyboard() -> Any:
    return importlib.import_module("pynput.keyboard")


class GlobalHotkey:
    """Calls ``on_capture`` when the combination is pressed anywhere on the desktop.

    The callbacks run on pynput's listener thread: keep them short and thread-safe (e.g.
    ``CaptureToolbar.request_capture``, or emit a Qt signal). A callback that raises is logged
    and the shortcut keeps working. Holding the keys down fires once.
    """

    def __init__(
        self,
        on_capture: Callable[[], None],
        platform: PlatformInfo,
        *,
        combination: str = DEFAULT_CAPTURE_HOTKEY,
        on_stop: Callable[[], None] | None = None,
        stop_combination: str = DEFAULT_STOP_HOTKEY,
        load_keyboard: Callable[[], Any] | None = None,
        ready_timeout_s: float = 5.0,
    ) -> None:
        self.platform = platform
        self.combination = parse_hotkey(combination, platform.system)
        self.stop_combination: Hotkey | None = None
        if on_stop is not None:
            self.stop_combination = parse_hotkey(stop_combination, platform.system)
            if self.stop_combination.same_keys(self.combination):
                raise InvalidHotkeyError(
                    stop_combination, N_("it is the same as the Capture step shortcut")
                )
        self._on_capture = on_capture
        self._on_stop = on_stop
        self._load_keyboard = load_keyboard or _import_pynput_keyboard
        self._ready_timeout_s = ready_timeout_s
        self._listener: Any = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        listener = self._listener
        return listener is not None and bool(listener.is_alive())

    def start(self) -> None:
        """Begin listening; raise :class:`CaptureError` saying why when that is impossible."""
        with self._lock:
            if self._listener is not None:
                return
            # Installation and macOS permission are told more precisely by the import and by
            # the started listener than by hotkey_support's guesses.
            reason = _desktop_refusal(self.platform)
            if reason:
                raise CaptureError(reason, EXIT_ENVIRONMENT)
            keyboard = self._load()
            hotkeys = {str(self.combination): self._guarded(self._on_capture, "capture")}
            if self._on_stop is not None and self.stop_combination is not None:
                hotkeys[str(self.stop_combination)] = self._guarded(self._on_stop, "stop")
            listener = keyboard.GlobalHotKeys(hotkeys)
            listener.start()
            ready, failure = self._wait_ready(listener)
            if failure:
                # pynput's stop() waits for readiness that a dead listener never reaches.
                if ready:
                    _stop_listener(listener, join_timeout_s=1.0)
                raise CaptureError(failure, EXIT_ENVIRONMENT)
            self._listener = listener

    def stop(self) -> None:
        """Stop listening; safe to call twice, or from one of the callbacks."""
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            own_thread = threading.current_thread() is listener
            _stop_listener(listener, join_timeout_s=0.0 if own_thread else 2.0)

    def __enter__(self) -> GlobalHotkey:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- internals

    def _load(self) -> Any:
        try:
            return self._load_keyboard()
        except ImportError as exc:
            if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in (
                "pynput",
                "",
            ):
                raise CaptureError(current().tr(INSTALL_HINT), EXIT_ENVIRONMENT) from exc
            # pynput is there but its backend is not (no X server, missing python-xlib or
            # pyobjc); its own message is several lines, the first one says which.
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise CaptureError(
                f"The global shortcut cannot reach the keyboard ({first_line}); use the "
                "toolbar's Capture step button.",
                EXIT_ENVIRONMENT,
            ) from exc

    def _guarded(self, callback: Callable[[], None], what: str) -> Callable[[], None]:
        # pynput stops the whole listener when a callback raises; one failed capture must not
        # silently disable the shortcut for the rest of the session.
        def run() -> None:
            try:
                callback()
            except Exception:
                log.exception("the %s shortcut's action failed", what)

        return run

    def _wait_ready(self, listener: Any) -> tuple[bool, str]:
        """Whether it became ready, and '' if it is listening, else the one-line reason."""
        ready = threading.Event()

        def wait() -> None:
            listener.wait()
            ready.set()

        # pynput's wait() has no timeout and never returns if the listener thread dies first
        # (e.g. an X server without the RECORD extension), so wait in a helper thread.
        threading.Thread(target=wait, name="flare-hotkey-ready", daemon=True).start()
        deadline = time.monotonic() + self._ready_timeout_s
        while not ready.wait(0.02):
            if not listener.is_alive() or time.monotonic() >= deadline:
                break
        is_ready = ready.is_set()
        if self.platform.system == "darwin" and getattr(listener, "IS_TRUSTED", True) is False:
            return is_ready, current().tr(MACOS_INPUT_HINT)
        if not is_ready or not listener.is_alive():
            if self.platform.system == "linux":
                return is_ready, (
                    "The X server refused to report key presses (its RECORD extension is "
                    "missing or disabled), so the global shortcut is off; use the toolbar's "
                    "Capture step button."
                )
            return is_ready, (
                "The global shortcut could not start; use the toolbar's Capture step button."
            )
        return True, ""


def _stop_listener(listener: Any, *, join_timeout_s: float) -> None:
    listener.stop()
    # pynput's X11 listener disables its XRecord context on the connection that is blocked
    # reading events, so its thread lingers until the next key press (pynput PR #583).
    # Disabling it on the other connection releases it now.
    display = getattr(listener, "_display_stop", None)
    context = getattr(listener, "_context", None)
    if display is not None and context is not None:
        try:
            display.record_disable_context(context)
            display.flush()
        except Exception:  # the thread may have closed the connection meanwhile
            log.debug("pynput listener had already released its X connection", exc_info=True)
    if join_timeout_s > 0:
        listener.join(join_timeout_s)
