"""Rendering annotations (``app.report.Annotation`` data) onto a copy of an image.

The geometry (line width, text size, arrow head, the clipped rectangle) is here once, in plain
numbers: the export draws with it and the annotator's preview (app/ui/annotator_canvas.py)
draws with the same functions, so what the person sees is what support receives.

Redactions are drawn last, as opaque fills in the annotation colour: every pixel inside is
replaced, so nothing drawn before can leave a trace, and the exported file carries no
original pixel there. Blur and pixelation are deliberately absent (both can be reversed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PIL import Image, ImageColor, ImageDraw

from capture.fonts import FontCache

if TYPE_CHECKING:
    from app.report import Annotation

HIGHLIGHT_ALPHA = 96


def _rgb(color: str) -> tuple[int, int, int]:
    r, g, b = ImageColor.getrgb(color)[:3]
    return r, g, b


Point = tuple[float, float]
# (start, base of the head rounded to whole pixels, head triangle: tip, left, right)
Arrow = tuple[Point, Point, tuple[Point, Point, Point]]


def clip(a: Annotation, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The rectangle's (x0, y0, x1, y1) inside the image, exclusive ends; None if outside."""
    x0, y0 = max(0, a.x), max(0, a.y)
    x1, y1 = min(width, a.x + a.w), min(height, a.y + a.h)
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def stroke_width(width: int, height: int) -> int:
    """Line width of boxes and arrows, in image pixels, for an image of this size."""
    return max(2, round(min(width, height) / 270))


def line_width(image: Image.Image) -> int:
    return stroke_width(*image.size)


def text_size(image_height: int) -> int:
    """Pixel size of annotation text for an image this tall."""
    return max(12, round(image_height / 45))


def arrow_geometry(a: Annotation, width: int) -> Arrow | None:
    """The arrow's shaft (start, base of the head, the base rounded to whole pixels) and its
    head triangle (tip, left, right); None for an arrow too short to draw."""
    x0, y0, x1, y1 = a.x, a.y, a.x + a.w, a.y + a.h
    length = math.hypot(x1 - x0, y1 - y0)
    if length < 1:
        return None
    head = min(length * 0.5, max(10.0, width * 5.0))
    angle = math.atan2(y1 - y0, x1 - x0)
    ux, uy = math.cos(angle), math.sin(angle)
    bx, by = x1 - ux * head, y1 - uy * head
    spread = head * 0.5
    left = (bx - uy * spread, by + ux * spread)
    right = (bx + uy * spread, by - ux * spread)
    return (x0, y0), (round(bx), round(by)), ((x1, y1), left, right)


def render(
    image: Image.Image, annotations: Sequence[Annotation], fonts: FontCache | None = None
) -> Image.Image:
    """A new RGB image with ``annotations`` applied in order, redactions last."""
    out = image.convert("RGB") if image.mode != "RGB" else image.copy()
    fonts = fonts or FontCache()
    width = line_width(out)
    for a in annotations:
        if a.kind != "redact":
            _draw(out, a, width, fonts)
    for a in annotations:
        if a.kind == "redact":
            redact(out, a)
    return out


def redact(image: Image.Image, a: Annotation) -> None:
    box = clip(a, image.width, image.height)
    if box is not None:
        # paste() replaces pixels outright; unlike drawing there is no antialiasing at edges.
        image.paste(_rgb(a.color), box)


def _draw(image: Image.Image, a: Annotation, width: int, fonts: FontCache) -> None:
    color = _rgb(a.color)
    if a.kind == "highlight":
        box = clip(a, image.width, image.height)
        if box is None:
            return
        region = image.crop(box)
        overlay = Image.new("RGB", region.size, color)
        image.paste(Image.blend(region, overlay, HIGHLIGHT_ALPHA / 255), box)
        return
    draw = ImageDraw.Draw(image)
    if a.kind == "box":
        draw.rectangle((a.x, a.y, a.x + a.w - 1, a.y + a.h - 1), outline=color, width=width)
    elif a.kind == "arrow":
        arrow = arrow_geometry(a, width)
        if arrow is not None:
            start, base, head = arrow
            draw.line((start, base), fill=color, width=width)
            draw.polygon(list(head), fill=color)
    elif a.kind == "text":
        size = text_size(image.height)
        draw.text(
            (a.x, a.y),
            a.text,
            fill=color,
            font=fonts.get(size),
            stroke_width=max(1, size // 10),
            stroke_fill=(255, 255, 255) if sum(color) < 384 else (0, 0, 0),
        )


def draw_click_marker(image: Image.Image, x: int, y: int, color: str = "#e53935") -> None:
    """A ring around a click point (image coordinates), visible on any background."""
    r = max(10, round(min(image.size) / 60))
    w = line_width(image)
    draw = ImageDraw.Draw(image)
    draw.ellipse((x - r - w, y - r - w, x + r + w, y + r + w), outline=(255, 255, 255), width=w)
    draw.ellipse((x - r, y - r, x + r, y + r), outline=_rgb(color), width=w)
