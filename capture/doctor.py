"""`flare doctor` check for screen capture: one real grab, refused when blank."""

from __future__ import annotations

from collections.abc import Callable

from app.context import AppContext
from app.doctor import CheckResult
from app.i18n import current
from capture.errors import CaptureError
from capture.grab import Grabber, open_source
from capture.platform_info import WAYLAND_LIMITS, PlatformInfo
from capture.screen_source import ScreenSource


def check_capture(
    ctx: AppContext,
    platform: PlatformInfo | None = None,
    source_factory: Callable[[PlatformInfo], ScreenSource] = open_source,
) -> CheckResult:
    t = current()
    if not ctx.settings.get("capture.enabled"):
        return CheckResult("screen capture", "ok",
                           t.tr("turned off by policy (capture.enabled)"))
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
    return CheckResult("screen capture", "ok", t.tr("{backend}: grabbed {size}, not blank",
                                                    backend=platform.backend, size=size))


def check_click_capture(ctx: AppContext, platform: PlatformInfo | None = None) -> CheckResult:
    """Whether the step recorder can take a step at each click here, and name what was
    clicked (the accessibility bus)."""
    from capture.click_steps import click_capture_support

    t = current()
    name = "capture on click"
    if not ctx.settings.get("capture.click_capture"):
        return CheckResult(name, "ok", t.tr("off (capture.click_capture)"))
    platform = platform or PlatformInfo.detect()
    supported, why = click_capture_support(platform)
    if not supported:
        return CheckResult(name, "warning", why,
                           t.tr("press Capture step (Ctrl+Shift+S) for each step"))
    if platform.system == "windows":
        return CheckResult(name, "ok", t.tr(
            "a low-level mouse hook; UI Automation names what was clicked"))
    if platform.system == "darwin":
        return CheckResult(name, "ok", t.tr(
            "an event tap; the Accessibility API names what was clicked"))
    from Xlib import display, error

    try:
        conn = display.Display(platform.x11_display)
    except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
        return CheckResult(name, "fail", t.tr("cannot open {display}: {error}",
                                              display=platform.x11_display, error=exc),
                           t.tr("run Flare inside the user's desktop session"))
    try:
        if not conn.has_extension("RECORD"):
            return CheckResult(name, "fail", t.tr("the X server has no RECORD extension"),
                               t.tr("enable the RECORD extension of the X server"))
    finally:
        conn.close()
    from capture.a11y import AccessibilityUnavailable, Atspi

    try:
        Atspi().close()
    except AccessibilityUnavailable as exc:
        return CheckResult(name, "warning", t.tr(
            "X11 RECORD; no accessibility bus ({error}): steps name only the window",
            error=exc), t.tr("install at-spi2-core"))
    return CheckResult(name, "ok", t.tr("X11 RECORD; accessibility bus reachable: steps name "
                                        "what was clicked"))


def _fix(platform: PlatformInfo) -> str:
    t = current()
    if platform.backend == "portal":
        return t.tr("install xdg-desktop-portal and your desktop's backend, or log in to an "
                    "X11 session")
    if platform.system == "darwin":
        return t.tr("allow Flare under System Settings > Privacy & Security > Screen Recording")
    return t.tr("run Flare inside the user's desktop session")


def check_wayland(platform: PlatformInfo) -> CheckResult | None:
    """On Wayland, one line with everything the desktop does not allow, instead of one
    warning per feature (clicks, window titles, shortcuts)."""
    if not (platform.system == "linux" and platform.wayland):
        return None
    return CheckResult("wayland", "ok", current().tr(WAYLAND_LIMITS))


def checks(ctx: AppContext) -> list[CheckResult]:
    platform = PlatformInfo.detect()
    wayland = check_wayland(platform)
    if wayland is not None:
        return [check_capture(ctx, platform), wayland]
    return [check_capture(ctx, platform), check_click_capture(ctx, platform)]
