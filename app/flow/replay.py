"""Instant replay: the opt-in last minute, grabbed in the background and kept in memory only."""

from __future__ import annotations

from typing import Any

from app.context import AppContext


class InstantReplay:
    """The opt-in replay of the last minute: grabbed in the background, kept in memory only.

    The tray app starts it when policy allows (``capture.replay_enabled``); the report window
    offers its frames and only the ones the user picks are exported into the report.
    """

    def __init__(self, ctx: AppContext) -> None:
        from capture.grab import open_source
        from capture.platform_info import PlatformInfo
        from capture.replay import ReplayBuffer, ReplayRecorder
        from capture.session_lock import lock_probe

        plat = PlatformInfo.detect()
        self.buffer = ReplayBuffer(float(ctx.settings.get("capture.replay_seconds")),
                                   float(ctx.settings.get("capture.replay_interval_s")))
        self.recorder = ReplayRecorder(self.buffer, lambda: open_source(plat), clock=ctx.clock,
                                       is_locked=lock_probe(plat))

    def start(self) -> None:
        self.recorder.start()

    def stop(self) -> None:
        self.recorder.stop()
        self.buffer.clear()

    def pause(self, paused: bool) -> None:
        """While Flare's own windows show, nothing is recorded (they are no evidence)."""
        if paused:
            self.recorder.paused.set()
        else:
            self.recorder.paused.clear()

    def snapshot(self) -> Any:
        """A ``capture.replay.ReplaySnapshot``: the frames as they are when the picker opens."""
        return self.buffer.snapshot()
