"""Desktop-wide shortcuts that work at any time on X11, through the X server's own key grabs.

``XGrabKey`` on the root window asks the server to send a combination to Flare whichever
window has the focus. Unlike the recorder's pynput listener (:mod:`capture.hotkey`) this needs
no extra process or package beyond python-xlib, no RECORD extension, and the application in
front does not also receive the keys. The server refuses a combination another client already
grabbed (``BadAccess``): that is told in one line, naming the combination, and the other
shortcuts keep working.

Lock and NumLock count as modifiers for grabs, so each combination is grabbed four times
(with and without each), or it would stop working whenever NumLock is on.
"""

from __future__ import annotations

import contextlib
import logging
import select
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import N_, current
from capture.hotkey import Hotkey, InvalidHotkeyError, parse_hotkey
from capture.platform_info import PlatformInfo

log = logging.getLogger(__name__)

WAYLAND_SHORTCUTS_HINT = N_(
    "Wayland does not let applications have desktop-wide shortcuts, so the Report a problem "
    "and Screenshot now shortcuts are off; use the tray menu, or bind `flare report` and "
    "`flare capture` to keys in your desktop's own keyboard settings."
)
NO_X_SHORTCUTS_HINT = N_(
    "Desktop-wide shortcuts need an X11 session (DISPLAY is not set), so they are off; use "
    "the tray menu."
)
OTHER_SHORTCUTS_HINT = N_(
    "Desktop-wide shortcuts are not available on this system yet; use the tray menu."
)
TAKEN_HINT = N_(
    "The shortcut {keys} for {action} is already taken by another program; choose another "
    "one in Flare's settings."
)

_X_MODIFIERS = {"ctrl": "ControlMask", "shift": "ShiftMask", "alt": "Mod1Mask", "cmd": "Mod4Mask"}
_X_KEYSYMS = {
    "backspace": "BackSpace", "caps_lock": "Caps_Lock", "delete": "Delete", "down": "Down",
    "end": "End", "enter": "Return", "esc": "Escape", "home": "Home", "left": "Left",
    "page_down": "Next", "page_up": "Prior", "right": "Right", "space": "space", "tab": "Tab",
    "up": "Up", "insert": "Insert", "menu": "Menu", "num_lock": "Num_Lock", "pause": "Pause",
    "print_screen": "Print", "scroll_lock": "Scroll_Lock",
    "media_play_pause": "XF86AudioPlay", "media_volume_mute": "XF86AudioMute",
    "media_volume_down": "XF86AudioLowerVolume", "media_volume_up": "XF86AudioRaiseVolume",
    "media_previous": "XF86AudioPrev", "media_next": "XF86AudioNext",
}


def shortcuts_refusal(platform: PlatformInfo) -> str:
    """'' where desktop-wide shortcuts can work, else one line saying why they are off."""
    if platform.system != "linux":
        return current().tr(OTHER_SHORTCUTS_HINT)
    if platform.wayland:
        return current().tr(WAYLAND_SHORTCUTS_HINT)
    if not platform.x11_display:
        return current().tr(NO_X_SHORTCUTS_HINT)
    return ""


def keysym_name(key: str) -> str:
    """The X keysym name of one of :class:`Hotkey`'s keys (``"<f8>"`` -> ``"F8"``)."""
    if key.startswith("<") and key.endswith(">") and len(key) > 2:
        name = key[1:-1]
        if name[0] == "f" and name[1:].isdigit():
            return name.upper()
        if name.isdigit():  # pynput's <65> style: a virtual key code, not portable
            raise ValueError(f"{key} is a key code, not a key name X11 knows")
        return _X_KEYSYMS[name]
    return key


@dataclass(frozen=True)
class Shortcut:
    """One combination and what it does; ``action`` names it in messages."""

    action: str
    hotkey: Hotkey
    callback: Callable[[], None]


def check_shortcuts(combinations: Mapping[str, str], reserved: Mapping[str, str],
                    system: str = "linux") -> tuple[dict[str, Hotkey], list[str]]:
    """Parse the configured combinations (empty = off); one message per bad or clashing one.

    ``reserved`` are other combinations Flare already uses (the recorder's), by their label.
    """
    good: dict[str, Hotkey] = {}
    problems: list[str] = []
    taken: dict[str, Hotkey] = {}
    for label, text in reserved.items():
        with contextlib.suppress(InvalidHotkeyError):
            if text.strip():
                taken[label] = parse_hotkey(text, system)  # type: ignore[arg-type]
    for label, text in combinations.items():
        if not text.strip():
            continue
        try:
            hotkey = parse_hotkey(text, system)  # type: ignore[arg-type]
        except InvalidHotkeyError as exc:
            problems.append(exc.message)
            continue
        clash = next((other for other, h in taken.items() if h.same_keys(hotkey)), None)
        if clash is not None:
            problems.append(current().tr(
                "The shortcut {keys} for {action} is the same as the one for {other}; choose "
                "another one in Flare's settings.", keys=hotkey.label("linux"), action=label,
                other=clash))
            continue
        taken[label] = hotkey
        good[label] = hotkey
    return good, problems


class X11Shortcuts:
    """Grabs the combinations on the root window; calls their callbacks from its own thread.

    The callbacks must be thread-safe (emit a Qt signal). :meth:`start` returns one line per
    combination the server refused; the others work.
    """

    def __init__(self, display_name: str, shortcuts: list[Shortcut]) -> None:
        self._display_name = display_name
        self._shortcuts = shortcuts
        self._conn: Any = None
        self._bindings: dict[tuple[int, int], Shortcut] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._pressed: set[int] = set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def grabbed(self) -> list[str]:
        return sorted({s.action for s in self._bindings.values()})

    def start(self) -> list[str]:
        from Xlib import XK, X, display

        self._conn = conn = display.Display(self._display_name)
        root = conn.screen().root
        ignored = _ignored_modifier_masks(conn)
        problems: list[str] = []
        refused: list[Any] = []

        def note(err: Any, *_: Any) -> int:
            refused.append(err)
            return 1  # handled: python-xlib would otherwise print it to stderr

        for shortcut in self._shortcuts:
            try:
                keycode, mask = _grab_spec(conn, shortcut.hotkey, XK, X)
            except ValueError as exc:
                problems.append(current().tr(
                    "The shortcut {keys} for {action} cannot be used: {error}.",
                    keys=shortcut.hotkey.label("linux"), action=shortcut.action, error=exc))
                continue
            refused.clear()
            for extra in ignored:
                root.grab_key(keycode, mask | extra, False, X.GrabModeAsync, X.GrabModeAsync,
                              onerror=note)
            conn.sync()  # the server's BadAccess arrives through onerror by now
            if refused:  # BadAccess: another client holds it
                for extra in ignored:
                    root.ungrab_key(keycode, mask | extra)
                conn.sync()
                problems.append(current().tr(TAKEN_HINT, keys=shortcut.hotkey.label("linux"),
                                             action=shortcut.action))
                continue
            for extra in ignored:
                self._bindings[(keycode, mask | extra)] = shortcut
        if not self._bindings:
            conn.close()
            self._conn = None
            return problems
        self._thread = threading.Thread(target=self._loop, name="flare-shortcuts", daemon=True)
        self._thread.start()
        return problems

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(2.0)
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # the server may be gone already
                conn.close()

    def _loop(self) -> None:
        from Xlib import X

        conn = self._conn
        while not self._stop.is_set():
            try:
                if not conn.pending_events():
                    # A timeout, so that stop() is noticed without a key press.
                    select.select([conn.fileno()], [], [], 0.2)
                    continue
                event = conn.next_event()
            except Exception:  # the X server went away: the session is ending
                log.info("desktop-wide shortcuts stopped: the X connection closed")
                return
            if event.type not in (X.KeyPress, X.KeyRelease):
                continue
            if event.type == X.KeyRelease:
                # By keycode alone: the modifiers may be let go first, changing the state.
                self._pressed.discard(event.detail)
                continue
            shortcut = self._bindings.get((event.detail, event.state & 0xFF))  # no buttons
            if shortcut is None or event.detail in self._pressed:  # auto-repeat: once
                continue
            self._pressed.add(event.detail)
            try:
                shortcut.callback()
            except Exception:
                log.exception("the %s shortcut's action failed", shortcut.action)


def _grab_spec(conn: Any, hotkey: Hotkey, XK: Any, X: Any) -> tuple[int, int]:
    if len(hotkey.keys) != 1:
        raise ValueError(current().tr("an X11 shortcut takes exactly one key besides the "
                                      "modifiers"))
    name = keysym_name(hotkey.keys[0])
    keysym = XK.string_to_keysym(name)
    keycode = conn.keysym_to_keycode(keysym) if keysym else 0
    if not keycode:
        raise ValueError(current().tr("this keyboard has no {key} key", key=name))
    mask = 0
    for modifier in hotkey.modifiers:
        mask |= getattr(X, _X_MODIFIERS[modifier])
    return int(keycode), mask


def _ignored_modifier_masks(conn: Any) -> list[int]:
    """The masks of Lock and NumLock, which the user does not mean as part of a shortcut."""
    from Xlib import XK, X

    numlock = 0
    code = conn.keysym_to_keycode(XK.string_to_keysym("Num_Lock"))
    for index, codes in enumerate(conn.get_modifier_mapping()):
        if code and code in codes:
            numlock = 1 << index
    masks = {0, X.LockMask}
    if numlock:
        masks |= {numlock, numlock | X.LockMask}
    return sorted(masks)
