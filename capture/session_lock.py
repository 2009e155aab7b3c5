"""Is the session locked? Instant replay pauses while it is (and grabs would be black anyway).

Each probe returns True/False, or None when it cannot tell; callers treat None as unlocked.
"""

from __future__ import annotations

import ctypes
import importlib
import sys
from collections.abc import Callable
from typing import Any

from capture.platform_info import PlatformInfo

LockProbe = Callable[[], bool | None]


def lock_probe(platform: PlatformInfo) -> LockProbe:
    if platform.system == "windows":
        return _windows_locked
    if platform.system == "linux":
        return Login1LockProbe()
    return lambda: None


def _windows_locked() -> bool | None:
    if sys.platform != "win32":
        return None
    user32 = ctypes.windll.user32
    desktop_switchdesktop = 0x0100
    handle = user32.OpenInputDesktop(0, False, desktop_switchdesktop)
    if not handle:
        return True  # the input desktop is the secure (lock) desktop
    try:
        return not user32.SwitchDesktop(handle)
    finally:
        user32.CloseDesktop(handle)


class Login1LockProbe:
    """systemd-logind's ``LockedHint`` for this session, over one kept-open system bus link."""

    def __init__(self, open_conn: Callable[[], Any] | None = None) -> None:
        self._open_conn = open_conn
        self._conn: Any = None
        self._failed = False

    def __call__(self) -> bool | None:
        if self._failed:
            return None
        try:
            jeepney = importlib.import_module("jeepney")
            DBusAddress, MessageType, Properties = (
                jeepney.DBusAddress,
                jeepney.MessageType,
                jeepney.Properties,
            )
            if self._conn is None:
                if self._open_conn is not None:
                    self._conn = self._open_conn()
                else:
                    blocking = importlib.import_module("jeepney.io.blocking")
                    self._conn = blocking.open_dbus_connection(bus="SYSTEM")
            session = DBusAddress(
                "/org/freedesktop/login1/session/auto",
                bus_name="org.freedesktop.login1",
                interface="org.freedesktop.login1.Session",
            )
            reply = self._conn.send_and_get_reply(Properties(session).get("LockedHint"), timeout=1)
            if reply.header.message_type == MessageType.error:
                self._failed = True
                return None
            return bool(reply.body[0][1])
        except (ImportError, OSError, TimeoutError, KeyError, ValueError, IndexError):
            self._failed = True
            return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
