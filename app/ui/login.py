"""``flare --autostart`` where the desktop shows a tray: the tray app, started at login.

Like a plain ``flare`` it shows the tray icon; unlike it, it never opens the report window at
login. Where no tray appears, :mod:`app.cli` runs the Qt-free delivery agent instead
(:mod:`app.helpdesk.agent`) before Qt loads, and so does the ``general.autostart`` check; the
no-tray branch here only covers a tray that vanished between that check and Qt's start.
"""

from __future__ import annotations

import sys

from app.context import AppContext
from app.ui.app import _check_display, _start, no_tray_hint


def run_at_login(ctx: AppContext) -> int:
    _check_display()
    # A Flare already running is only asked whether it is there: "login" opens nothing.
    started = _start(ctx, "login")
    if started is None:
        return 0
    app, flare, server = started
    if not flare.start_tray():
        print(f"flare: {no_tray_hint(flare.t)}", file=sys.stderr)
    flare.start_delivery()
    flare.start_replay()  # after the tray, which shows that it records
    code = app.exec()
    server.close()
    return int(code)
