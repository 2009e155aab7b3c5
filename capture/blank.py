"""Refuse grabs that show nothing: an all-black or single-colour image is almost never real.

It is what mss returns on Wayland (XWayland sees nothing), on macOS without the Screen
Recording permission (or wallpaper only), on a locked Windows desktop, or from a broken driver.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from app.i18n import current
from capture.errors import BlankCaptureError
from capture.platform_info import MACOS_PERMISSION_HINT, WAYLAND_PORTAL_HINT, PlatformInfo


def is_blank(image: Image.Image) -> bool:
    """True when every pixel has the same colour (or the image is empty)."""
    if image.width == 0 or image.height == 0:
        return True
    extrema: Any = image.getextrema()
    bands = extrema if isinstance(extrema[0], tuple) else (extrema,)
    return all(lo == hi for lo, hi in bands)


def blank_message(platform: PlatformInfo, width: int, height: int) -> str:
    t = current()
    what = t.tr("The {width}x{height} screenshot came back as one flat colour.", width=width,
                height=height)
    if platform.system == "darwin":
        return f"{what} {t.tr(MACOS_PERMISSION_HINT)}"
    if platform.system == "linux" and platform.wayland:
        return f"{what} {t.tr(WAYLAND_PORTAL_HINT)}"
    if platform.system == "windows":
        return what + " " + t.tr(
            "Windows hides the screen while it is locked or a secure prompt is shown: "
            "unlock, close the prompt and try again."
        )
    return what + " " + t.tr(
        "If the screen really shows a single colour, capture again once the problem "
        "is visible; otherwise check that the display is not locked or asleep."
    )


def check_not_blank(image: Image.Image, platform: PlatformInfo) -> None:
    if is_blank(image):
        raise BlankCaptureError(blank_message(platform, image.width, image.height))
