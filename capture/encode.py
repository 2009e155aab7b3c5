"""Image encoding, chosen by measurement (see bench/capture.py).

Lossless WebP at method 0 is the default: faster than PNG level 1 and several times smaller on
screenshots, and lossless keeps text sharp. In lossless mode ``quality`` is encoder effort;
on a 1080p business screen (bench, 2 shared cores) 0 gave 27 ms / 192 KB, 50 gave 26 ms / 87 KB,
80 gave 31 ms / 68 KB and 100 gave 39 ms / 56 KB: 80 is the knee. PNG is for helpdesks that
cannot preview WebP; JPEG is only for explicit requests (it blurs text).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from PIL import Image

WEBP_EFFORT = 80

ImageFormat = Literal["webp", "png", "jpeg"]
FORMATS: tuple[ImageFormat, ...] = ("webp", "png", "jpeg")
MEDIA_TYPES: dict[ImageFormat, Literal["image/webp", "image/png", "image/jpeg"]] = {
    "webp": "image/webp",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS: dict[ImageFormat, str] = {"webp": "webp", "png": "png", "jpeg": "jpg"}


@dataclass(frozen=True)
class Encoded:
    data: bytes
    format: ImageFormat

    @property
    def media_type(self) -> Literal["image/webp", "image/png", "image/jpeg"]:
        return MEDIA_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def encode(image: Image.Image, fmt: ImageFormat = "webp", *, method: int = 0) -> Encoded:
    """``method`` is WebP's speed/size trade-off (0 fastest .. 6 smallest)."""
    buf = io.BytesIO()
    if fmt == "webp":
        # Registering the WebP writer ourselves keeps Pillow from importing every one of its
        # format plugins on the first save (about 50 ms of `flare capture`'s start-up).
        from PIL import WebPImagePlugin  # noqa: F401

        image.save(buf, "WEBP", lossless=True, method=method, quality=WEBP_EFFORT)
    elif fmt == "png":
        image.save(buf, "PNG", compress_level=1)
    elif fmt == "jpeg":
        image.convert("RGB").save(buf, "JPEG", quality=85)
    else:
        raise ValueError(f"unknown image format {fmt!r}: use one of {', '.join(FORMATS)}")
    return Encoded(buf.getvalue(), fmt)


def downscale(image: Image.Image, max_width: int, max_height: int) -> tuple[Image.Image, str]:
    """Fit ``image`` inside max_width x max_height; the note says so when it changed."""
    if max_width <= 0 or max_height <= 0:
        raise ValueError("the largest size must be positive")
    if image.width <= max_width and image.height <= max_height:
        return image, ""
    factor = min(max_width / image.width, max_height / image.height)
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    note = f"downscaled from {image.width}x{image.height} to {size[0]}x{size[1]}"
    return image.resize(size, Image.Resampling.LANCZOS), note
