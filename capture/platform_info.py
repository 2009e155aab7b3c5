"""Which desktop we run on, from explicit inputs (OS name and environment), for testability."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from app.i18n import N_

System = Literal["linux", "windows", "darwin", "other"]
Backend = Literal["mss", "portal"]


@dataclass(frozen=True)
class PlatformInfo:
    system: System
    wayland: bool = False
    x11_display: str = ""

    @classmethod
    def detect(
        cls, env: Mapping[str, str] | None = None, platform: str | None = None
    ) -> PlatformInfo:
        env = os.environ if env is None else env
        plat = sys.platform if platform is None else platform
        if plat.startswith("linux") or plat.startswith("freebsd"):
            session = env.get("XDG_SESSION_TYPE", "").lower()
            has_wayland = bool(env.get("WAYLAND_DISPLAY"))
            wayland = session == "wayland" or (has_wayland and session != "x11")
            return cls("linux", wayland=wayland, x11_display=env.get("DISPLAY", ""))
        if plat in ("win32", "cygwin"):
            return cls("windows")
        if plat == "darwin":
            return cls("darwin")
        return cls("other")

    @property
    def backend(self) -> Backend:
        # Under Wayland an X11 grab sees only XWayland windows (the rest is black), so the
        # portal is the only honest choice even when DISPLAY is set.
        return "portal" if self.system == "linux" and self.wayland else "mss"


MACOS_PERMISSION_HINT = N_(
    "macOS blocked the screenshot: allow Flare in System Settings > Privacy & Security > "
    "Screen Recording (on macOS 15: Screen & System Audio Recording), then quit and reopen Flare."
)
WAYLAND_PORTAL_HINT = N_(
    "Screenshots on Wayland go through the desktop portal: install xdg-desktop-portal and the "
    "backend for your desktop (xdg-desktop-portal-gnome, -kde or -wlr), log out and in again, "
    "or choose an X11 session at login; meanwhile attach a screenshot taken with your "
    "desktop's own tool."
)
WAYLAND_LIMITS = N_(
    "This is a Wayland session: screenshots go through the desktop portal. Wayland does not "
    "let an application see clicks in other programs, read other windows' titles or listen to "
    "the keyboard globally, so press Capture step (or Enter in the terminal) for each step, "
    "and bind `flare capture` to a key in your desktop's own shortcut settings."
)
"""What a Wayland session does not allow, said once (by `flare doctor` and the recorder) as
a fact of the desktop, not as an error."""
