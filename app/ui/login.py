"""``flare --autostart``: the start at login that the autostart entries run.

Like a plain ``flare`` it shows the tray icon; unlike it, it never opens the report window at
every login on a desktop without a tray (GNOME without the AppIndicator extension). There Flare
stays in the background delivering queued reports and following their tickets, and a later
``flare`` (the menu entry) opens the window in this instance. The ``general.autostart`` check
happens before Qt loads, in :mod:`app.cli`.
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
