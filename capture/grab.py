"""Grabbing: a monitor, the whole virtual desktop, the monitor under the pointer, or a region.

:class:`Grabber` turns a target into a :class:`Frame` (the unstamped original plus its
metadata). Pixels come from a :class:`ScreenSource`: mss on X11, Windows and macOS, the
xdg-desktop-portal on Wayland (see :mod:`capture.portal`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from PIL import Image

from app.daemon_threads import start_daemon
from app.i18n import current
from capture.blank import check_not_blank, is_blank
from capture.errors import CaptureError
from capture.geometry import (
    Monitor,
    Placement,
    Rect,
    clip_region,
    measured_scale,
    monitor_at,
    monitors_from_mss,
    physical_monitors,
    primary_monitor,
    region_monitor,
    virtual_desktop,
)
from capture.platform_info import PlatformInfo
from capture.screen_source import RawGrab, ScreenSource

if TYPE_CHECKING:
    from app.report import MonitorInfo

Target = int | Literal["all", "pointer"] | Rect

# The window-title lookup bounds its own wait (1 s); this is only a backstop.
TITLE_WAIT_S = 1.5


@dataclass
class Frame:
    """One grabbed image before stamping, annotation and encoding."""

    image: Image.Image
    monitor: Placement | MonitorInfo
    captured_at: datetime
    monotonic_s: float
    window_title: str | None = None
    note: str = ""


class MssSource:
    """mss (``mss.MSS``) on X11, Windows and macOS. Not thread-safe: one per thread."""

    def __init__(self, platform: PlatformInfo) -> None:
        import mss

        if platform.system == "darwin":
            from capture.macos import ensure_screen_recording_permission

            ensure_screen_recording_permission()
        try:
            if platform.system == "linux":
                self._sct = mss.MSS(display=platform.x11_display or None)
            else:
                self._sct = mss.MSS()
        except mss.ScreenShotError as exc:
            raise CaptureError(current().tr(
                "Cannot connect to the display {display} ({error}); run Flare inside your "
                "desktop session.", display=platform.x11_display or "", error=exc)) from exc
        self._error = mss.ScreenShotError

    def monitors(self) -> list[Monitor]:
        return monitors_from_mss(self._sct.monitors)

    def grab_raw(self, rect: Rect) -> RawGrab:
        try:
            shot = self._sct.grab(rect.as_mss())
        except self._error as exc:
            raise CaptureError(current().tr(
                "The screen could not be read ({error}); try again.", error=exc)) from exc
        return RawGrab(shot.raw, shot.width, shot.height)

    def close(self) -> None:
        self._sct.close()

    def __enter__(self) -> MssSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_source(platform: PlatformInfo) -> ScreenSource:
    """The right source for this desktop; raises :class:`CaptureError` when there is none."""
    if platform.system == "linux" and not platform.wayland and not platform.x11_display:
        raise CaptureError(current().tr(
            "No graphical display: DISPLAY and WAYLAND_DISPLAY are unset; run Flare inside "
            "your desktop session."))
    if platform.backend == "portal":
        # Imported here because only Wayland sessions need it (and its D-Bus code).
        from capture.portal import PortalSource

        return PortalSource()
    return MssSource(platform)


def resolve_target(
    target: Target, monitors: list[Monitor], pointer: tuple[int, int] | None
) -> tuple[Rect, Monitor, str]:
    """The rectangle to grab, the monitor it belongs to, and a note for the user if any."""
    if target == "all":
        return virtual_desktop(monitors).rect, virtual_desktop(monitors), ""
    if target == "pointer":
        if pointer is None:
            mon = primary_monitor(monitors)
            return mon.rect, mon, current().tr(
                "pointer position unknown here: captured the primary monitor")
        mon = monitor_at(monitors, *pointer)
        return mon.rect, mon, ""
    if isinstance(target, Rect):
        try:
            region = clip_region(target, monitors)
        except ValueError as exc:
            raise CaptureError(current().tr(
                "Nothing to capture: {error}; drag over a screen.", error=exc), 2) from exc
        mon = region_monitor(region, monitors)
        return region, Monitor(mon.index, region, mon.scale, mon.primary, mon.name), ""
    physical = physical_monitors(monitors)
    if not isinstance(target, int) or not 1 <= target <= len(physical):
        raise CaptureError(current().tr(
            "There is no monitor {target}: this desktop has {count} (use 1 to {count}, 'all' "
            "or 'pointer').", target=target, count=len(physical)), 2)
    mon = next(m for m in monitors if m.index == target)
    return mon.rect, mon, ""


class Grabber:
    """Grab a target as a :class:`Frame`, refusing blank images with a platform-specific hint."""

    def __init__(
        self,
        source: ScreenSource,
        platform: PlatformInfo,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        pointer: Callable[[], tuple[int, int] | None] | None = None,
        window_title: Callable[[], str | None] | None = None,
        refuse_blank: bool = True,
    ) -> None:
        self.source = source
        self.refuse_blank = refuse_blank
        self.platform = platform
        self._clock = clock
        self._monotonic = monotonic
        self._pointer = pointer
        self._window_title = window_title

    def monitors(self) -> list[Monitor]:
        return self.source.monitors()

    def grab(self, target: Target = "all") -> Frame:
        monitors = self.source.monitors()
        pointer = self._pointer() if (target == "pointer" and self._pointer) else None
        rect, mon, note = resolve_target(target, monitors, pointer)
        # The title is asked for alongside the grab: on X11 it is a round trip to the server
        # (and, the first time, python-xlib's imports), which need not add to the grab's time.
        title_lookup = (
            start_daemon(self._window_title, name="flare-window-title")
            if self._window_title
            else None
        )
        captured_at, mono = self._clock(), self._monotonic()
        raw = self.source.grab_raw(rect)
        image = raw.to_image()
        title = title_lookup.result(TITLE_WAIT_S) if title_lookup else None
        if self.refuse_blank:
            check_not_blank(image, self.platform)
        elif is_blank(image):
            note = "; ".join(n for n in (note, "the image is one flat colour") if n)
        info = mon.info(scale=measured_scale(rect, image.size))
        return Frame(image, info, captured_at, mono, title, note)
