"""Whether this desktop shows tray icons, asked without loading Qt.

At login Flare decides between the tray app and the headless agent (``flare --background``);
loading Qt only to find there is no tray would cost the agent ~30 MB for the whole session.
Qt 6 shows its icon through a StatusNotifierItem host when ``org.kde.StatusNotifierWatcher``
is on the session bus, else through an XEmbed tray (the ``_NET_SYSTEM_TRAY_S<n>`` selection on
X11): the same two places are asked here. Windows and macOS always have one.
"""

from __future__ import annotations

import os
import sys
import time


def _status_notifier_watcher() -> bool:
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return False
    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                      interface="org.freedesktop.DBus")
    try:
        with open_dbus_connection(bus="SESSION") as conn:
            reply = conn.send_and_get_reply(
                new_method_call(bus, "NameHasOwner", "s", ("org.kde.StatusNotifierWatcher",)),
                timeout=3)
    except (OSError, KeyError, ValueError, TimeoutError):
        return False
    return bool(reply.body and reply.body[0])


def _xembed_tray() -> bool:
    if not os.environ.get("DISPLAY"):
        return False
    try:
        from Xlib import display as xdisplay
        from Xlib.error import DisplayError
    except ImportError:
        return False
    try:
        d = xdisplay.Display()
    except (DisplayError, OSError, ValueError):
        return False
    try:
        atom = d.intern_atom(f"_NET_SYSTEM_TRAY_S{d.get_default_screen()}")
        owner = d.get_selection_owner(atom)
        return bool(owner) and getattr(owner, "id", owner) != 0
    finally:
        d.close()


def require_graphical_session() -> None:
    """Flare's windows and tray need a desktop session: say so at once where there is none."""
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("QT_QPA_PLATFORM")):
        from app.errors import FlareError
        from app.i18n import current

        raise FlareError(current().tr("no graphical session (DISPLAY and WAYLAND_DISPLAY are "
                                      "not set): run Flare from your desktop"), exit_code=4)


def tray_available() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return _status_notifier_watcher() or _xembed_tray()


def wait_for_tray(timeout_s: float, step_s: float = 0.5) -> bool:
    """A panel may start a little after Flare at login: wait for its tray up to ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        if tray_available():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(step_s)
