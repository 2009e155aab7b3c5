"""The running tray's crash watch: looks for new application crashes now and then (in a
worker thread: coredumpctl or wevtutil can take a while) and offers a report for each through
the tray's notification. Clicking it opens the report window with the crash attached."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.crash_offers import POLL_S, CrashOffer, CrashOffers
from app.i18n import Translator


class CrashWatch(QObject):
    _found = Signal(object)

    def __init__(self, offers: CrashOffers, t: Translator, *,
                 show: Callable[[str, str, Callable[[], object]], None],
                 open_report: Callable[[], Any], poll_ms: int = int(POLL_S * 1000),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.offers = offers
        self.t = t
        self._show = show
        self._open_report = open_report
        self._thread: threading.Thread | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.kick)
        # A bound slot: Qt queues the worker's result to this object's (the GUI) thread.
        self._found.connect(self._offer)

    def start(self) -> None:
        # Always running: each look asks crashes.offer, which the settings window may change.
        self.timer.start()
        self.kick()

    def stop(self) -> None:
        self.timer.stop()

    def kick(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=lambda: self._found.emit(self.offers.poll()),
                                        name="flare-crashes", daemon=True)
        self._thread.start()

    def _offer(self, found: list[CrashOffer]) -> None:
        # One notification at a time is what a tray shows: the newest program's offer wins,
        # the others are in the state file's counts (offered once, not lost in a queue).
        if found:
            offer = found[-1]
            self._show(offer.summary(self.t), offer.body(self.t), lambda: self.open(offer))

    def open(self, offer: CrashOffer) -> Any:
        """The report window, with the crash's facts as a diagnostics section and "What
        happened?" started."""
        window = self._open_report()
        flow = getattr(window, "flow", None)
        if flow is not None:
            flow.attach_section(offer.section(self.t))
            flow.prefill("what_happened", offer.what_happened(self.t))
        return window


def watch_crashes(flare: Any) -> CrashWatch:
    """Started by the tray app (``app.ui.app.FlareApp``) once its icon shows."""
    from app.crash_offers import crash_offers_for

    watch = CrashWatch(crash_offers_for(flare.ctx), flare.t, show=flare.tray.offer,
                       open_report=flare.open_report, parent=flare)
    watch.start()
    return watch


def attach_taken_offer(ctx: Any, window: Any) -> bool:
    """`flare report --crash-offer`: the crash the agent's notification offered, attached to
    the window's report as the tray's click attaches it. False when it was taken already."""
    from app.crash_offers import take_offer

    taken = take_offer(ctx.dirs.state, ctx.clock())
    flow = getattr(window, "flow", None)
    if taken is None or flow is None:
        return False
    section, what_happened = taken
    flow.attach_section(section)
    flow.prefill("what_happened", what_happened)
    return True
