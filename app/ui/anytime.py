"""What the tray offers at any time, not only while recording: the desktop-wide shortcuts
("Report a problem", "Screenshot now") and screenshots of a region or of one window.

The shortcuts are X11 key grabs (:mod:`capture.x11_keys`); where the desktop forbids them
(Wayland) the tray menu says why, once, as a statement rather than an error.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from app.context import AppContext
from app.errors import FlareError
from app.i18n import Translator

if TYPE_CHECKING:
    from app.flow import ReportFlow
    from app.ui.report_window import ReportWindow
    from app.ui.tray import Tray
    from capture.x11_keys import X11Shortcuts


class Host(Protocol):
    """What of the app (``app.ui.app.FlareApp``) this uses; a protocol, so no import cycle."""

    ctx: AppContext
    t: Translator
    tray: Tray | None
    window: ReportWindow | None
    toolbar: Any

    def open_report(self) -> ReportWindow | None: ...
    def capture_step(self) -> None: ...
    def notify(self, title: str, text: str) -> None: ...
    def _ensure_flow(self, *, window_follows: bool = False) -> ReportFlow: ...

log = logging.getLogger(__name__)

# The tray menu closes as the action fires; the X server unmaps it a moment later.
MENU_GONE_MS = 250


class Anytime(QObject):
    # Emitted from the key-grab thread; Qt queues them to this (the GUI) thread.
    report_pressed = Signal()
    screenshot_pressed = Signal()

    def __init__(self, app: Host, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.t = app.t
        self.shortcuts: X11Shortcuts | None = None
        self.report_pressed.connect(self._report)
        self.screenshot_pressed.connect(self._screenshot)

    # --- shortcuts -------------------------------------------------------------------------

    def start_shortcuts(self) -> list[str]:
        """Grab the configured shortcuts; one line for each that cannot work (also shown)."""
        from capture.platform_info import PlatformInfo
        from capture.x11_keys import Shortcut, X11Shortcuts, check_shortcuts, shortcuts_refusal

        settings = self.app.ctx.settings
        report_label, shot_label = self.t.tr("Report a problem"), self.t.tr("Screenshot now")
        wanted = {
            report_label: str(settings.get("capture.report_shortcut") or ""),
            shot_label: str(settings.get("capture.screenshot_shortcut") or ""),
        }
        if not any(v.strip() for v in wanted.values()):
            return []
        platform = PlatformInfo.detect()
        refusal = shortcuts_refusal(platform)
        if refusal:
            log.info("desktop-wide shortcuts are off: %s", refusal)
            if self.app.tray is not None:
                self.app.tray.set_shortcuts_note(self.t.tr("Shortcuts are off here (why?)"),
                                                 refusal)
            return [refusal]
        good, problems = check_shortcuts(
            wanted, {self.t.tr("Capture step"): str(settings.get("capture.hotkey") or "")})
        signals = {report_label: self.report_pressed.emit, shot_label: self.screenshot_pressed.emit}
        if good:
            self.shortcuts = X11Shortcuts(platform.x11_display, [
                Shortcut(label, hotkey, signals[label]) for label, hotkey in good.items()])
            try:
                problems += self.shortcuts.start()
            except Exception as exc:  # no X connection after all: the menu still works
                problems.append(self.t.tr(
                    "The desktop-wide shortcuts are off: {error}; use the tray menu.",
                    error=str(exc) or type(exc).__name__))
                self.shortcuts = None
        tray = self.app.tray
        if tray is not None and self.shortcuts is not None:
            grabbed = set(self.shortcuts.grabbed())
            for label, action in ((report_label, tray.report_action),
                                  (shot_label, tray.capture_action)):
                keys = good[label].label(platform.system) if label in grabbed else ""
                tray.show_shortcut(action, keys)
        for line in problems:
            log.warning("%s", line)
            self.app.notify(self.t.tr("Shortcuts"), line)
        return problems

    def restart(self) -> None:
        """After Settings: the new combinations take effect at once."""
        self.stop()
        if self.app.tray is not None:
            self.app.tray.set_shortcuts_note("", "")
            for action in (self.app.tray.report_action, self.app.tray.capture_action):
                self.app.tray.show_shortcut(action, "")
            self.start_shortcuts()

    def stop(self) -> None:
        if self.shortcuts is not None:
            self.shortcuts.stop()
            self.shortcuts = None

    def _report(self) -> None:
        self.app.open_report()

    def _screenshot(self) -> None:
        # Into the report in progress (the open window, the recording) or a new one.
        if not self.app.ctx.settings.get("capture.enabled"):
            self.app.notify(self.t.tr("Screenshot"),
                            self.t.tr("Screenshots are turned off by your organisation."))
            return
        window = self.app.window
        if self.app.toolbar is not None or (window is not None and window.isVisible()):
            self.app.capture_step()  # the recorder and the window hide themselves
            return
        from app.ui.pick_capture import flare_windows_hidden

        with flare_windows_hidden():  # My reports, Settings, a notification balloon
            self.app.capture_step()

    # --- region and window -----------------------------------------------------------------

    def capture_region(self) -> None:
        self._capture_picked("region")

    def capture_window(self) -> None:
        self._capture_picked("window")

    def _capture_picked(self, kind: str) -> None:
        window = self.app.window
        if window is not None and window.isVisible():
            window.take_screenshot(kind)
            return
        from app.ui.pick_capture import pick_frame

        wait = QEventLoop()
        QTimer.singleShot(MENU_GONE_MS, wait.quit)
        wait.exec()
        try:
            flow = self.app._ensure_flow()
            frame = pick_frame(self.app.ctx, self.t, "region" if kind == "region" else "window")
            if frame is None:
                return
            flow.add_frame(frame)
        except FlareError as exc:
            self.app.notify(self.t.tr("Screenshot"), exc.message)
            return
        except Exception as exc:  # capture's errors carry their own hint
            self.app.notify(self.t.tr("Screenshot"),
                            self.t.tr("The screenshot failed: {error}", error=str(exc)))
            return
        flow.save_draft()
        self.app.notify(self.t.tr("Screenshot"),
                        self.t.tr("Step {n} added to your report.", n=len(flow.evidence)))
