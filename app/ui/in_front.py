"""The window the person was using when they started a report, for the report's context."""

from __future__ import annotations

# Read on a worker thread while the window is built, so a slow answer costs the window only
# what is left of this bound when the window is ready (usually nothing).
IN_FRONT_WAIT_S = 1.0


def program_in_front() -> str:
    """The window the person was using, with its program where the desktop says it
    ("Inbox - Outlook (OUTLOOK.EXE)"); "" when the desktop does not say."""
    from capture.platform_info import PlatformInfo
    from capture.window_title import active_window

    window = active_window(PlatformInfo.detect(), timeout_s=IN_FRONT_WAIT_S)
    title = (window.title or "") if window else ""
    if not title or "Flare" in title:
        return ""
    process = window.process if window else None
    if process and process.lower() not in title.lower():
        return f"{title} ({process})"
    return title
