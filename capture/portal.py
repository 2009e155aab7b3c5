"""Wayland: screenshots through the xdg-desktop-portal Screenshot interface over D-Bus.

mss cannot read the screen on Wayland, so the portal is asked for a non-interactive shot of the
whole desktop. It answers asynchronously with a ``Response`` signal on a request object whose
path we can predict from our bus name and a token; the image arrives as a file URI, which is
read and then deleted so no unreviewed copy stays behind.

Some backends write every shot to one fixed file (xdg-desktop-portal-wlr 0.7: ``out.png`` in
the temporary folder), so two shots at once would read each other's image. Calls are therefore
serialised across this user's processes with a lock file, and the portal's file is moved into
a private folder the moment the answer arrives, before anything else can ask again.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from PIL import Image

from app.i18n import current
from capture.errors import CaptureError, PortalUnavailableError
from capture.geometry import Monitor, Rect
from capture.platform_info import WAYLAND_PORTAL_HINT
from capture.screen_source import RawGrab

PORTAL_BUS = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SCREENSHOT_IFACE = "org.freedesktop.portal.Screenshot"
REQUEST_IFACE = "org.freedesktop.portal.Request"


class PortalBus(Protocol):
    """The two D-Bus exchanges the Screenshot portal needs; faked in unit tests."""

    def screenshot(self, token: str, timeout_s: float) -> tuple[int, dict[str, Any]]:
        """Call Screenshot and wait for the Request's Response: (response code, results)."""
        ...

    def close(self) -> None: ...


class JeepneyPortalBus:
    """The real session bus, via jeepney (pure Python, already a keyring dependency on Linux)."""

    def __init__(self) -> None:
        try:
            blocking = importlib.import_module("jeepney.io.blocking")
        except ImportError as exc:
            raise PortalUnavailableError(
                f"The 'jeepney' package is missing, so the portal cannot be asked. "
                f"{current().tr(WAYLAND_PORTAL_HINT)}"
            ) from exc
        try:
            self._conn = blocking.open_dbus_connection(bus="SESSION")
        except (OSError, KeyError, ValueError) as exc:
            raise PortalUnavailableError(
                f"No D-Bus session bus ({exc}). {current().tr(WAYLAND_PORTAL_HINT)}"
            ) from exc

    def screenshot(self, token: str, timeout_s: float) -> tuple[int, dict[str, Any]]:
        jeepney = importlib.import_module("jeepney")
        message_bus = importlib.import_module("jeepney.bus_messages").message_bus
        dbus_error = importlib.import_module("jeepney.wrappers").DBusErrorResponse
        DBusAddress, MatchRule = jeepney.DBusAddress, jeepney.MatchRule
        MessageType, Properties = jeepney.MessageType, jeepney.Properties
        new_method_call = jeepney.new_method_call

        conn = self._conn
        sender = (conn.unique_name or "").lstrip(":").replace(".", "_")
        handle = f"{PORTAL_PATH}/request/{sender}/{token}"
        rule = MatchRule(type="signal", interface=REQUEST_IFACE, member="Response", path=handle)
        portal = DBusAddress(PORTAL_PATH, bus_name=PORTAL_BUS, interface=SCREENSHOT_IFACE)
        try:
            version = conn.send_and_get_reply(Properties(portal).get("version"), timeout=timeout_s)
            if version.header.message_type == MessageType.error:
                raise PortalUnavailableError(
                    current().tr("The desktop portal has no Screenshot interface.") + " "
                    + current().tr(WAYLAND_PORTAL_HINT)
                )
            with conn.filter(rule) as queue:
                conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=timeout_s)
                options = {"handle_token": ("s", token), "interactive": ("b", False)}
                reply = conn.send_and_get_reply(
                    new_method_call(portal, "Screenshot", "sa{sv}", ("", options)),
                    timeout=timeout_s,
                )
                if reply.header.message_type == MessageType.error:
                    raise PortalUnavailableError(
                        f"The desktop portal refused the screenshot ({reply.body!r}). "
                        f"{current().tr(WAYLAND_PORTAL_HINT)}"
                    )
                signal = conn.recv_until_filtered(queue, timeout=timeout_s)
        except dbus_error as exc:
            raise PortalUnavailableError(
                f"{exc.name}. " + current().tr(WAYLAND_PORTAL_HINT)) from exc
        except TimeoutError as exc:
            raise CaptureError(current().tr(
                "The desktop portal did not answer within {time}; confirm any screenshot "
                "prompt and try again.", time=current().unit(timeout_s, "s", 0))) from exc
        code, results = signal.body
        return int(code), {k: v[1] for k, v in results.items()}

    def close(self) -> None:
        self._conn.close()


_THREAD_LOCK = threading.Lock()


@contextlib.contextmanager
def one_shot_at_a_time() -> Iterator[None]:
    """Held from the Screenshot call until its file is ours: one thread, and one process of
    this user, at a time (the file lock lives in the shared temporary folder, as the portal's
    fixed output file does)."""
    with _THREAD_LOCK:
        lock_path = Path(tempfile.gettempdir()) / f"flare-portal-{os.getuid()}.lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # an unwritable temp folder: still serialised within this process
            yield
            return
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _take_file(path: Path) -> Path:
    """Move the portal's file into a private folder at once; the caller deletes the folder."""
    private = Path(tempfile.mkdtemp(prefix="flare-portal-"))
    dest = private / "shot"
    try:
        shutil.move(path, dest)
    except OSError as exc:
        shutil.rmtree(private, ignore_errors=True)
        raise CaptureError(f"The portal's screenshot {path} could not be read ({exc}).") from exc
    return dest


def portal_screenshot(bus: PortalBus, *, timeout_s: float = 60.0) -> Image.Image:
    """Ask the portal for a screenshot of the whole desktop and return it as RGB."""
    token = "flare" + secrets.token_hex(6)
    with one_shot_at_a_time():
        code, results = bus.screenshot(token, timeout_s)
        if code == 1:
            raise CaptureError(
                "The screenshot was cancelled in the desktop's prompt; try again.", 1)
        if code != 0:
            raise CaptureError(
                f"The desktop portal could not take the screenshot (response {code}); try "
                "again, or attach a screenshot taken with your desktop's own tool."
            )
        uri = str(results.get("uri", ""))
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise CaptureError(
                f"The desktop portal returned an unusable screenshot address {uri!r}.")
        mine = _take_file(Path(unquote(parsed.path)))
    try:
        with Image.open(mine) as img:
            image = img.convert("RGB")
    except OSError as exc:
        raise CaptureError(f"The portal's screenshot could not be read ({exc}).") from exc
    finally:
        shutil.rmtree(mine.parent, ignore_errors=True)
    return image


class PortalSource:
    """A :class:`~capture.screen_source.ScreenSource` over the portal: whole desktop only.

    The portal gives no monitor layout, so one monitor the size of the last image is reported
    and any requested rectangle is cropped out of a full-desktop shot.
    """

    def __init__(self, bus: PortalBus | None = None, *, timeout_s: float = 60.0) -> None:
        self._bus = bus if bus is not None else JeepneyPortalBus()
        self._timeout_s = timeout_s
        self._size: tuple[int, int] | None = None
        # A shot taken only to learn the desktop size is reused by the next grab, so the
        # user does not see two screenshot flashes for one capture.
        self._pending: Image.Image | None = None

    def _shot(self) -> Image.Image:
        image = portal_screenshot(self._bus, timeout_s=self._timeout_s)
        self._size = image.size
        return image

    def monitors(self) -> list[Monitor]:
        if self._size is None:
            self._pending = self._shot()
        assert self._size is not None
        rect = Rect(0, 0, *self._size)
        return [Monitor(0, rect), Monitor(1, rect, primary=True)]

    def grab_raw(self, rect: Rect) -> RawGrab:
        full, self._pending = (self._pending or self._shot()), None
        image = full.crop((rect.left, rect.top, rect.right, rect.bottom))
        return RawGrab(image.convert("RGBX").tobytes("raw", "BGRX"), image.width, image.height)

    def close(self) -> None:
        self._bus.close()
