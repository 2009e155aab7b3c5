"""The timestamp burned into every exported image.

White text on an opaque near-black plate with a light rim: legible on light and dark content
alike, and the plate cannot be mistaken for part of the application. Size follows the image
height (about 1/60 of it, times the policy scale) so it reads the same on 1080p and 4K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from PIL import Image, ImageDraw

from app.i18n import current
from capture.fonts import FontCache

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
CORNERS: tuple[Corner, ...] = ("top-left", "top-right", "bottom-left", "bottom-right")

PLATE = (17, 17, 17)
RIM = (235, 235, 235)
INK = (255, 255, 255)


@dataclass(frozen=True)
class StampPolicy:
    corner: Corner = "bottom-right"
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.corner not in CORNERS:
            raise ValueError(f"stamp corner must be one of {', '.join(CORNERS)}")
        if not 0.25 <= self.scale <= 8.0:
            raise ValueError("stamp scale must be between 0.25 and 8")


def format_offset(dt: datetime) -> str:
    offset = dt.utcoffset()
    if offset is None:
        raise ValueError("the capture time must be timezone-aware")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def stamp_text(captured_at: datetime, step: int | None = None, tz: tzinfo | None = None) -> str:
    """E.g. ``2026-11-25 10:23:42 UTC+01:00 | step 3`` in the given (default: local) zone."""
    if captured_at.tzinfo is None:
        raise ValueError("the capture time must be timezone-aware")
    local = captured_at.astimezone(tz)
    text = f"{local:%Y-%m-%d %H:%M:%S} {format_offset(local)}"
    # TRANSLATORS: burned into each screenshot of a recorded step, after the time
    return f"{text} | " + current().tr("step {n}", n=step) if step is not None else text


@dataclass(frozen=True)
class StampBox:
    left: int
    top: int
    right: int
    bottom: int


class Stamper:
    def __init__(self, policy: StampPolicy, fonts: FontCache | None = None) -> None:
        self.policy = policy
        self._fonts = fonts or FontCache()

    def font_size(self, image_height: int) -> int:
        return max(10, round(image_height / 60 * self.policy.scale))

    def apply(self, image: Image.Image, text: str) -> StampBox:
        """Draw ``text`` in place on ``image`` (RGB) and return the plate's box."""
        size = self.font_size(image.height)
        font = self._fonts.get(size)
        draw = ImageDraw.Draw(image)
        bbox = draw.textbbox((0, 0), text, font=font)
        left, top = math.floor(bbox[0]), math.floor(bbox[1])
        right, bottom = math.ceil(bbox[2]), math.ceil(bbox[3])
        pad = max(3, size // 3)
        margin = max(2, size // 2)
        w = min(right - left + 2 * pad, image.width)
        h = min(bottom - top + 2 * pad, image.height)
        x = margin if self.policy.corner.endswith("left") else image.width - w - margin
        y = margin if self.policy.corner.startswith("top") else image.height - h - margin
        x, y = max(0, x), max(0, y)
        rim = max(1, size // 16)
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=PLATE, outline=RIM, width=rim)
        draw.text((x + pad - left, y + pad - top), text, fill=INK, font=font)
        return StampBox(x, y, x + w, y + h)
