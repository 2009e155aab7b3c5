"""``flare --autostart`` where the desktop shows a tray: the tray app, started at login.

Like a plain ``flare`` it shows the tray icon; unlike it, it never opens the report window at
login. Where no tray appears, :mod:`app.cli` runs the Qt-free delivery agent instead
(:mod:`app.helpdesk.agent`) before Qt loads, and so does the ``general.autostart`` check; the
no-tray branch of :func:`app.ui.app.run_tray` only covers a tray that vanished between that
check and Qt's start.
"""

from __future__ import annotations

from app.context import AppContext
from app.ui.app import run_tray


def run_at_login(ctx: AppContext) -> int:
    # A Flare already running is only asked whether it is there: "login" opens nothing.
    return run_tray(ctx, "login", window_without_tray=False)
