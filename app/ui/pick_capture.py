"""A screenshot of a region or of one window: grab, let the person choose, cut it out.

Used by the report window's screenshots page and by the tray. The caller hides Flare's own
windows first; the window list leaves them out as well.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from app.context import AppContext
from app.i18n import Translator
from app.ui.pick_overlay import PickKind, PickOverlay
from app.ui.qimage_convert import pil_to_qimage
from capture.errors import CaptureError
from capture.geometry import virtual_desktop
from capture.grab import Frame, Grabber, open_source
from capture.platform_info import PlatformInfo
from capture.window_pick import DesktopWindows, crop_frame, x11_windows

# The window manager and the compositor need a moment to take hidden windows off the screen.
HIDE_MS = 300


@contextlib.contextmanager
def flare_windows_hidden() -> Iterator[None]:
    """Flare's visible windows (My reports, Settings, a notification balloon) are hidden
    while the screen is grabbed, and shown again afterwards: they are never evidence."""
    shown: list[QWidget] = [
        w for w in QApplication.topLevelWidgets()
        # The tray icon is a window on X11 (embedded in the panel); hiding it unembeds it.
        if w.isVisible() and w.metaObject().className() != "QSystemTrayIconSys"]
    for widget in shown:
        widget.hide()
    if shown:
        wait = QEventLoop()
        QTimer.singleShot(HIDE_MS, wait.quit)
        wait.exec()
    try:
        yield
    finally:
        for widget in shown:
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                widget.show()


def window_pick_refusal(t: Translator, platform: PlatformInfo) -> str:
    """'' where Flare can tell one window from another, else why not (one line)."""
    if platform.system == "linux" and not platform.wayland and platform.x11_display:
        return ""
    if platform.wayland:
        return t.tr("Wayland does not tell applications where other windows are, so Flare "
                    "cannot capture a single window; use Screenshot of a region instead.")
    return t.tr("Capturing a single window is not available on this system yet; use "
                "Screenshot of a region instead.")


def pick_frame(ctx: AppContext, t: Translator, kind: PickKind) -> Frame | None:
    """The chosen part of the screen as a frame, or None when the person cancelled.
    Raises :class:`CaptureError` (one line, with what to do) when capture is impossible."""
    platform = PlatformInfo.detect()
    windows = DesktopWindows([], None)
    if kind == "window":
        refusal = window_pick_refusal(t, platform)
        if refusal:
            raise CaptureError(refusal)
        # Read before the overlay is up: it is one of Flare's windows, and so is left out,
        # but the active window must still be the one before Flare's.
        windows = x11_windows(platform.x11_display)
    with flare_windows_hidden():
        source = open_source(platform)
        try:
            grabber = Grabber(source, platform, clock=ctx.clock)
            monitors = grabber.monitors()
            frame = grabber.grab("all")
        finally:
            source.close()
        desktop = virtual_desktop(monitors).rect
        overlay = PickOverlay(t, kind, QPixmap.fromImage(pil_to_qimage(frame.image)), desktop,
                              windows.windows, windows.active)
        chosen = overlay.pick()
    if chosen is None:
        return None
    region = chosen.intersection(desktop)
    if region is None:
        raise CaptureError(t.tr("Nothing to capture: the window is outside every screen."))
    picked = crop_frame(frame, desktop, region, monitors)
    if kind == "window":
        title = next((w.title for w in windows.windows if w.frame == chosen), "")
        picked.window_title = title or picked.window_title
    return picked
