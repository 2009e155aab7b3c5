"""`flare doctor` check for screen capture: one real grab, refused when blank."""

from __future__ import annotations

from collections.abc import Callable

from app.context import AppContext
from app.doctor import CheckResult
from capture.errors import CaptureError
from capture.grab import Grabber, open_source
from capture.platform_info import PlatformInfo
from capture.screen_source import ScreenSource


def check_capture(
    ctx: AppContext,
    platform: PlatformInfo | None = None,
    source_factory: Callable[[PlatformInfo], ScreenSource] = open_source,
) -> CheckResult:
    if not ctx.settings.get("capture.enabled"):
        return CheckResult("screen capture", "ok", "turned off by policy (capture.enabled)")
    platform = platform or PlatformInfo.detect()
    try:
        source = source_factory(platform)
        try:
            frame = Grabber(source, platform, clock=ctx.clock).grab("all")
        finally:
            source.close()
    except CaptureError as exc:
        return CheckResult("screen capture", "fail", exc.message, _fix(platform))
    except Exception as exc:  # the grab backends raise their own types; report, don't crash
        return CheckResult(
            "screen capture", "fail", f"{type(exc).__name__}: {exc}", _fix(platform)
        )
    size = f"{frame.image.width}x{frame.image.height}"
    return CheckResult("screen capture", "ok", f"{platform.backend}: grabbed {size}, not blank")


def _fix(platform: PlatformInfo) -> str:
    if platform.backend == "portal":
        return "install xdg-desktop-portal and your desktop's backend, or log in to an X11 session"
    if platform.system == "darwin":
        return "allow Flare under System Settings > Privacy & Security > Screen Recording"
    return "run Flare inside the user's desktop session"


def checks(ctx: AppContext) -> list[CheckResult]:
    return [check_capture(ctx)]
