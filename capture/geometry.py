"""Monitor layout arithmetic: rectangles, the virtual desktop, pointer lookup, dragged regions.

Coordinates are those of the virtual desktop as the grabbing backend reports them: they may be
negative (a monitor left of or above the primary one). ``scale`` maps logical units to image
pixels (2.0 on a Retina display, where mss reports points but returns pixels).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.right and self.top <= y < self.bottom

    def intersection(self, other: Rect) -> Rect | None:
        left, top = max(self.left, other.left), max(self.top, other.top)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Rect(left, top, right - left, bottom - top)

    @classmethod
    def from_points(cls, x0: int, y0: int, x1: int, y1: int) -> Rect:
        """The rectangle spanned by a drag from (x0, y0) to (x1, y1), in any direction."""
        left, right = sorted((x0, x1))
        top, bottom = sorted((y0, y1))
        return cls(left, top, right - left, bottom - top)

    def as_mss(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class Placement:
    """Where an image came from: the monitor's place in the virtual desktop.

    The same fields as :class:`app.report.MonitorInfo`, which the exporter turns it into when
    it makes a Step; grabbing then needs no report model (and none of its import time)."""

    index: int = 0
    left: int = 0
    top: int = 0
    width: int = 0
    height: int = 0
    scale: float = 1.0


@dataclass(frozen=True)
class Monitor:
    """One monitor (index >= 1) or the whole virtual desktop (index 0), in mss numbering."""

    index: int
    rect: Rect
    scale: float = 1.0
    primary: bool = False
    name: str = ""

    def info(self, scale: float | None = None) -> Placement:
        r = self.rect
        return Placement(
            index=self.index,
            left=r.left,
            top=r.top,
            width=r.width,
            height=r.height,
            scale=self.scale if scale is None else scale,
        )

    def physical_size(self) -> tuple[int, int]:
        return round(self.rect.width * self.scale), round(self.rect.height * self.scale)


def bounding_rect(rects: Iterable[Rect]) -> Rect:
    rs = list(rects)
    if not rs:
        raise ValueError("no rectangles")
    left, top = min(r.left for r in rs), min(r.top for r in rs)
    right, bottom = max(r.right for r in rs), max(r.bottom for r in rs)
    return Rect(left, top, right - left, bottom - top)


def monitors_from_mss(raw: Sequence[Mapping[str, Any]]) -> list[Monitor]:
    """Convert ``mss.MSS().monitors`` (entry 0 = everything) into :class:`Monitor` objects.

    Some X servers list a monitor that duplicates the whole screen next to client-defined ones;
    that is kept, as the user may mean it. Index 0 is recomputed from the monitors when it is
    missing.
    """
    monitors: list[Monitor] = []
    for i, m in enumerate(raw):
        rect = Rect(int(m["left"]), int(m["top"]), int(m["width"]), int(m["height"]))
        monitors.append(
            Monitor(i, rect, primary=bool(m.get("is_primary", False)), name=str(m.get("name", "")))
        )
    if not monitors:
        raise ValueError("the screen backend reported no monitors")
    if len(monitors) == 1:
        # Only the virtual desktop is known: treat it as the single monitor too.
        monitors.append(Monitor(1, monitors[0].rect, primary=True))
    return monitors


def virtual_desktop(monitors: Sequence[Monitor]) -> Monitor:
    """Index 0 if present, otherwise the bounding box of all monitors."""
    for m in monitors:
        if m.index == 0:
            return m
    return Monitor(0, bounding_rect(m.rect for m in monitors))


def physical_monitors(monitors: Sequence[Monitor]) -> list[Monitor]:
    return [m for m in monitors if m.index != 0]


def monitor_at(monitors: Sequence[Monitor], x: int, y: int) -> Monitor:
    """The monitor containing (x, y); the nearest one when the point is in a gap."""
    candidates = physical_monitors(monitors)
    if not candidates:
        raise ValueError("no monitors")
    for m in candidates:
        if m.rect.contains(x, y):
            return m

    def distance(m: Monitor) -> int:
        r = m.rect
        dx = max(r.left - x, 0, x - (r.right - 1))
        dy = max(r.top - y, 0, y - (r.bottom - 1))
        return dx * dx + dy * dy

    return min(candidates, key=distance)


def primary_monitor(monitors: Sequence[Monitor]) -> Monitor:
    candidates = physical_monitors(monitors)
    return next((m for m in candidates if m.primary), candidates[0])


def clip_region(region: Rect, monitors: Sequence[Monitor]) -> Rect:
    """Clip a dragged region to the virtual desktop; refuse one that covers nothing."""
    clipped = region.intersection(virtual_desktop(monitors).rect)
    if clipped is None or clipped.width < 1 or clipped.height < 1:
        raise ValueError(
            f"the region {region.width}x{region.height} at ({region.left}, {region.top}) "
            "is outside every screen"
        )
    return clipped


def region_monitor(region: Rect, monitors: Sequence[Monitor]) -> Monitor:
    """The monitor a region mostly lies on (its scale applies to the grab)."""
    best = max(
        physical_monitors(monitors),
        key=lambda m: (region.intersection(m.rect) or Rect(0, 0, 0, 0)).area,
    )
    return best


def measured_scale(logical: Rect, image_size: tuple[int, int]) -> float:
    """Image pixels per logical unit, as the grab actually returned them."""
    if logical.width <= 0:
        return 1.0
    return round(image_size[0] / logical.width, 3)
