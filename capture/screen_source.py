"""Where pixels come from: the :class:`ScreenSource` protocol and the raw grab it returns.

Its own module so that the sources (mss in :mod:`capture.grab`, the Wayland portal in
:mod:`capture.portal`) and the code that picks one do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from capture.geometry import Monitor, Rect


@dataclass(frozen=True)
class RawGrab:
    """Pixels as the backend delivers them: 4 bytes per pixel, BGRX order, rows top-down."""

    bgrx: bytes | bytearray
    width: int
    height: int

    def to_image(self) -> Image.Image:
        return Image.frombuffer("RGB", (self.width, self.height), self.bgrx, "raw", "BGRX", 0, 1)


class ScreenSource(Protocol):
    """Where pixels come from. ``rect`` is in virtual-desktop coordinates."""

    def monitors(self) -> list[Monitor]: ...

    def grab_raw(self, rect: Rect) -> RawGrab: ...

    def close(self) -> None: ...
