"""Instant replay on a real X screen: frames kept in memory, the picked one lands in the report."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.context import AppContext
from app.flow import ReportFlow
from app.flow.replay import InstantReplay
from app.wiring import flow_deps
from tests.ui.xscreen import screen_with_window

pytestmark = pytest.mark.xvfb


def test_picked_replay_frame_becomes_a_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with screen_with_window(monkeypatch):
        ctx = AppContext.for_tests(tmp_path, capture__replay_enabled=True,
                                   capture__replay_interval_s=0.2)
        replay = InstantReplay(ctx)
        replay.start()
        try:
            deadline = time.monotonic() + 10
            while len(replay.buffer) < 1 and time.monotonic() < deadline:
                time.sleep(0.1)
            snapshot = replay.snapshot()
            entries = snapshot.entries()
            assert entries, replay.recorder.last_error
            # Frames keep arriving; the snapshot does not change under the picker.
            time.sleep(0.6)
            assert len(snapshot) == len(entries) < len(replay.buffer) + 1
            deps = flow_deps(ctx)
            deps.start_diagnostics = None
            flow = ReportFlow(ctx, deps, language="en")
            flow.start()
            assert flow.add_replay(snapshot, [entries[-1].index]) == 1
        finally:
            replay.stop()
        [ev] = flow.evidence
        assert ev.step.source == "replay"
        assert ev.step.width == 1024 and len(ev.image) > 1000
        assert len(replay.buffer) == 0, "stopping forgets the screen"
