"""Desktop notifications without a tray icon: what the headless agent says to the person.

Linux: the freedesktop notification service (``org.freedesktop.Notifications`` on the session
bus, which GNOME, KDE, Xfce, dunst and others provide). Windows: a toast through PowerShell's
WinRT bridge. macOS: Notification Center through ``osascript``. A desktop without any of these
gets nothing, and the log says so once: a notification is a courtesy, the outbox is the record.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

Notify = Callable[[str, str], bool]

APP_NAME = "Flare"


def freedesktop_notify(summary: str, body: str, *, timeout_ms: int = 10_000) -> bool:
    """One notification over D-Bus; False when there is no session bus or no service."""
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return False
    address = DBusAddress("/org/freedesktop/Notifications",
                          bus_name="org.freedesktop.Notifications",
                          interface="org.freedesktop.Notifications")
    try:
        with open_dbus_connection(bus="SESSION") as conn:
            msg = new_method_call(address, "Notify", "susssasa{sv}i",
                                  (APP_NAME, 0, "flare", summary, body, [], {}, timeout_ms))
            reply = conn.send_and_get_reply(msg, timeout=5)
    except (OSError, KeyError, ValueError, TimeoutError) as exc:
        log.info("no desktop notification service: %s", exc)
        return False
    if reply.header.message_type.name == "error":
        log.info("the notification service refused: %s", reply.body)
        return False
    return True


def freedesktop_offer(summary: str, body: str, on_click: Callable[[], None], *,
                      label: str, wait_s: float = 600.0) -> bool:
    """A notification with a default action: ``on_click`` runs (in a daemon thread) if the
    person clicks it within ``wait_s``. False when no notification service showed it."""
    try:
        from jeepney import DBusAddress, MatchRule, new_method_call
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:
        return False
    iface = "org.freedesktop.Notifications"
    address = DBusAddress("/org/freedesktop/Notifications", bus_name=iface, interface=iface)
    try:
        conn = open_dbus_connection(bus="SESSION")
    except (OSError, KeyError, ValueError) as exc:
        log.info("no desktop notification service: %s", exc)
        return False
    rule = MatchRule(type="signal", interface=iface, path="/org/freedesktop/Notifications")
    try:
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=5)
        queue_cm = conn.filter(rule)
        queue = queue_cm.__enter__()
        reply = conn.send_and_get_reply(new_method_call(
            address, "Notify", "susssasa{sv}i",
            (APP_NAME, 0, "flare", summary, body, ["default", label], {}, 0)), timeout=5)
    except (OSError, TimeoutError) as exc:
        conn.close()
        log.info("no desktop notification service: %s", exc)
        return False
    if reply.header.message_type.name == "error":
        conn.close()
        log.info("the notification service refused: %s", reply.body)
        return False
    notification_id = reply.body[0]

    def wait() -> None:
        import time

        deadline = time.monotonic() + wait_s
        try:
            while (left := deadline - time.monotonic()) > 0:
                signal = conn.recv_until_filtered(queue, timeout=left)
                if not signal.body or signal.body[0] != notification_id:
                    continue
                if signal.header.fields.get(3) == "ActionInvoked":  # 3: the member
                    if signal.body[1] == "default":
                        on_click()
                    return
                if signal.header.fields.get(3) == "NotificationClosed":
                    return
        except (OSError, TimeoutError):
            return
        finally:
            queue_cm.__exit__(None, None, None)
            conn.close()

    from app.daemon_threads import start_daemon

    start_daemon(wait, name="flare-notification")
    return True


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def windows_toast_command(summary: str, body: str) -> list[str]:
    """PowerShell that shows a toast through Windows.UI.Notifications (no module to install)."""
    from xml.sax.saxutils import escape

    xml = ("<toast><visual><binding template='ToastGeneric'>"
           f"<text>{escape(summary)}</text><text>{escape(body)}</text>"
           "</binding></visual></toast>")
    script = (
        "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, "
        "ContentType=WindowsRuntime] > $null; "
        "$x = New-Object Windows.Data.Xml.Dom.XmlDocument; "
        f"$x.LoadXml({_ps_quote(xml)}); "
        "$t = [Windows.UI.Notifications.ToastNotification]::new($x); "
        f"[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier("
        f"{_ps_quote(APP_NAME)}).Show($t)"
    )
    return ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command", script]


def macos_notify_command(summary: str, body: str) -> list[str]:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return ["osascript", "-e",
            f"display notification {q(body)} with title {q(APP_NAME)} subtitle {q(summary)}"]


def _run(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=15, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("could not show a notification: %s", exc)
        return False


def desktop_notify(summary: str, body: str) -> bool:
    """Show ``summary``/``body`` the way this desktop does; True when it was shown."""
    if sys.platform == "win32":
        return _run(windows_toast_command(summary, body))
    if sys.platform == "darwin":
        return _run(macos_notify_command(summary, body))
    return freedesktop_notify(summary, body)
