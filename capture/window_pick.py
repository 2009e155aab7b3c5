"""Picking what a screenshot covers: a dragged (or keyed) region, or one window.

The window list comes from the window manager's EWMH properties on X11, read through
python-xlib: ``_NET_CLIENT_LIST_STACKING`` (bottom to top), each window's place on the root,
and ``_NET_FRAME_EXTENTS`` so the picture includes the title bar the person sees. Flare's own
windows (by ``_NET_WM_PID``) are left out: they never belong in the evidence.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from capture.geometry import (
    Monitor,
    Placement,
    Rect,
    measured_scale,
    physical_monitors,
    region_monitor,
)

if TYPE_CHECKING:
    from capture.grab import Frame

KEY_STEP = 10
"""Pixels an arrow key moves or resizes the region by; with Shift held, 1 (fine adjustment)."""
MIN_SIZE = 8


@dataclass(frozen=True)
class WindowInfo:
    window_id: int
    title: str
    frame: Rect
    """The window with its decorations, in root (virtual desktop) coordinates."""


def window_at(windows: Sequence[WindowInfo], x: int, y: int) -> WindowInfo | None:
    """The topmost window under (x, y); ``windows`` is top first."""
    return next((w for w in windows if w.frame.contains(x, y)), None)


@dataclass(frozen=True)
class RegionSelection:
    """The region being chosen on the overlay, by mouse drag or by keyboard.

    Plain arithmetic, so the overlay only draws it: arrows move the region, Shift+arrows
    resize it (from its right and bottom edges), a drag replaces it. Always kept inside
    ``bounds`` and at least :data:`MIN_SIZE` pixels wide and high.
    """

    bounds: Rect
    region: Rect

    @classmethod
    def centred(cls, bounds: Rect) -> RegionSelection:
        """A starting region for keyboard users: the middle third of the screen."""
        w, h = max(bounds.width // 3, MIN_SIZE), max(bounds.height // 3, MIN_SIZE)
        return cls(bounds, Rect(bounds.left + (bounds.width - w) // 2,
                                bounds.top + (bounds.height - h) // 2, w, h))

    def dragged(self, x0: int, y0: int, x1: int, y1: int) -> RegionSelection:
        return self._clamped(Rect.from_points(x0, y0, x1, y1))

    def moved(self, dx: int, dy: int) -> RegionSelection:
        r = self.region
        left = min(max(r.left + dx, self.bounds.left), self.bounds.right - r.width)
        top = min(max(r.top + dy, self.bounds.top), self.bounds.bottom - r.height)
        return replace(self, region=Rect(left, top, r.width, r.height))

    def resized(self, dw: int, dh: int) -> RegionSelection:
        r = self.region
        width = min(max(r.width + dw, MIN_SIZE), self.bounds.right - r.left)
        height = min(max(r.height + dh, MIN_SIZE), self.bounds.bottom - r.top)
        return replace(self, region=Rect(r.left, r.top, width, height))

    def key(self, name: str, *, shift: bool = False, fine: bool = False) -> RegionSelection:
        """An arrow key (``"left"``, ``"right"``, ``"up"``, ``"down"``); others change nothing."""
        step = 1 if fine else KEY_STEP
        dx, dy = {"left": (-step, 0), "right": (step, 0), "up": (0, -step),
                  "down": (0, step)}.get(name, (0, 0))
        return self.resized(dx, dy) if shift else self.moved(dx, dy)

    def usable(self) -> bool:
        return self.region.width >= MIN_SIZE and self.region.height >= MIN_SIZE

    def _clamped(self, region: Rect) -> RegionSelection:
        inside = region.intersection(self.bounds) or Rect(region.left, region.top, 0, 0)
        return replace(self, region=inside)


def crop_box(region: Rect, desktop: Rect, image_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The pixel box of ``region`` (desktop coordinates) in an image of the whole ``desktop``
    (which may be scaled, e.g. 2x on a Retina display)."""
    sx = image_size[0] / desktop.width if desktop.width else 1.0
    sy = image_size[1] / desktop.height if desktop.height else 1.0
    left = round((region.left - desktop.left) * sx)
    top = round((region.top - desktop.top) * sy)
    right = round((region.right - desktop.left) * sx)
    bottom = round((region.bottom - desktop.top) * sy)
    w, h = image_size
    return _clamp(left, w), _clamp(top, h), _clamp(right, w), _clamp(bottom, h)


def _clamp(value: int, most: int) -> int:
    return min(max(value, 0), most)


# ------------------------------------------------------------------------------- X11 (EWMH)


@dataclass(frozen=True)
class DesktopWindows:
    """What the overlay needs to know before it covers the screen."""

    windows: list[WindowInfo]
    """Top first, Flare's own left out."""
    active: WindowInfo | None
    """The active window, or the topmost other one when Flare's is active."""


def x11_windows(display_name: str, *, own_pid: int | None = None) -> DesktopWindows:
    """The desktop's windows through EWMH; empty when no window manager keeps the list."""
    from Xlib import X, Xatom, display, error

    own = os.getpid() if own_pid is None else own_pid
    conn = display.Display(display_name)
    try:
        root = conn.screen().root

        def prop(window: object, name: str, type_: int = X.AnyPropertyType) -> list[int]:
            try:
                value = window.get_full_property(conn.intern_atom(name), type_)  # type: ignore[attr-defined]
            except error.XError:
                return []
            return [int(v) for v in value.value] if value is not None else []

        stacking = prop(root, "_NET_CLIENT_LIST_STACKING") or prop(root, "_NET_CLIENT_LIST")
        active_ids = prop(root, "_NET_ACTIVE_WINDOW")
        found: list[WindowInfo] = []
        for window_id in reversed(stacking):
            window = conn.create_resource_object("window", window_id)
            try:
                pid = prop(window, "_NET_WM_PID", Xatom.CARDINAL)
                if pid and pid[0] == own:
                    continue
                attrs = window.get_attributes()
                if attrs.map_state != X.IsViewable:
                    continue  # minimised or on another workspace
                geo = window.get_geometry()
                at = root.translate_coords(window, 0, 0)
                left_e, right_e, top_e, bottom_e = (prop(window, "_NET_FRAME_EXTENTS")
                                                    or [0, 0, 0, 0])[:4]
                frame = Rect(at.x - left_e, at.y - top_e, geo.width + left_e + right_e,
                             geo.height + top_e + bottom_e)
                found.append(WindowInfo(window_id, _title(window, conn), frame))
            except error.XError:  # it closed while we looked
                continue
        active = next((w for w in found if active_ids and w.window_id == active_ids[0]),
                      found[0] if found else None)
        return DesktopWindows(found, active)
    finally:
        conn.close()


def _title(window: object, conn: object) -> str:
    from capture.window_title import _text_property

    utf8 = conn.intern_atom("UTF8_STRING")  # type: ignore[attr-defined]
    name = conn.intern_atom("_NET_WM_NAME")  # type: ignore[attr-defined]
    from Xlib import X, Xatom

    return (_text_property(window, name, utf8)  # type: ignore[arg-type]
            or _text_property(window, Xatom.WM_NAME, X.AnyPropertyType)  # type: ignore[arg-type]
            or "")


def crop_frame(frame: Frame, desktop: Rect, region: Rect, monitors: Sequence[Monitor]) -> Frame:
    """The part of a whole-desktop frame that ``region`` covers, placed where it was."""
    box = crop_box(region, desktop, frame.image.size)
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        raise ValueError("the region is outside the screen")
    mon = region_monitor(region, monitors) if physical_monitors(monitors) else None
    placement = Placement(
        index=mon.index if mon else 0, left=region.left, top=region.top,
        width=region.width, height=region.height,
        scale=measured_scale(region, (box[2] - box[0], box[3] - box[1])))
    return dataclasses.replace(frame, image=frame.image.crop(box), monitor=placement)
