"""The one font Flare draws with, so stamps and labels look the same everywhere.

DejaVu Sans where installed (Pillow finds it in the system font folders by file name), else
Pillow's built-in scalable font.
"""

from __future__ import annotations

from PIL import ImageFont

FontT = ImageFont.FreeTypeFont | ImageFont.ImageFont

FONT_FILES = ("DejaVuSans.ttf", "dejavu/DejaVuSans.ttf", "truetype/dejavu/DejaVuSans.ttf")


class FontCache:
    """Fonts by pixel size; loading a TrueType face costs about a millisecond."""

    def __init__(self, files: tuple[str, ...] = FONT_FILES) -> None:
        self._files = files
        self._fonts: dict[int, FontT] = {}

    def get(self, size: int) -> FontT:
        size = max(6, int(size))
        font = self._fonts.get(size)
        if font is None:
            font = self._load(size)
            self._fonts[size] = font
        return font

    def _load(self, size: int) -> FontT:
        for name in self._files:
            try:
                return ImageFont.truetype(name, size)
            except OSError:
                continue
        return ImageFont.load_default(size=size)
