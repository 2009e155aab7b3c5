"""The instant-replay buffer and its recorder, on synthetic frames (no display)."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from app.report import MonitorInfo
from capture.errors import CaptureError
from capture.geometry import Monitor, Rect
from capture.replay import BAND_ROWS, ReplayBuffer, ReplayRecorder
from capture.screen_source import RawGrab

MON = MonitorInfo(index=0, width=320, height=240)
T0 = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)


def screen(seed: int, w: int = 320, h: int = 240) -> Image.Image:
    return Image.frombytes("RGB", (w, h), random.Random(seed).randbytes(w * h * 3))


def raw_of(img: Image.Image) -> RawGrab:
    return RawGrab(img.convert("RGBX").tobytes("raw", "BGRX"), img.width, img.height)


def with_clock(img: Image.Image, n: int) -> Image.Image:
    """The same screen with a small 'clock' area changed."""
    out = img.copy()
    out.paste((n * 37 % 256, 0, 0), (0, 0, 30, 10))
    return out


def test_unchanged_frames_are_skipped_but_keep_the_frame_alive() -> None:
    buf = ReplayBuffer(seconds=10, interval_s=1)
    raw = raw_of(screen(1))
    assert buf.push(raw, MON, T0, 0.0) is True
    for i in range(1, 30):
        same = RawGrab(bytes(raw.bgrx), raw.width, raw.height)
        assert buf.push(same, MON, T0 + timedelta(seconds=i), float(i)) is False
    assert len(buf) == 1
    assert buf.entries()[0].last_seen_s == 29.0
    assert buf.skipped == 29


def test_frames_come_back_pixel_exact() -> None:
    buf = ReplayBuffer(seconds=10, interval_s=1)
    base = screen(2)
    imgs = [with_clock(base, n) for n in range(3)]
    for n, img in enumerate(imgs):
        buf.push(raw_of(img), MON, T0 + timedelta(seconds=n), float(n))
    assert [e.index for e in buf.entries()] == [0, 1, 2]
    for n, img in enumerate(imgs):
        frame = buf.frame(n)
        assert frame.image.tobytes() == img.tobytes()
        assert frame.captured_at == T0 + timedelta(seconds=n)
        assert frame.monitor == MON


def test_small_changes_share_unchanged_bands() -> None:
    base = screen(3, 640, 480)
    full = ReplayBuffer(seconds=100, interval_s=1)
    full.push(raw_of(base), MON, T0, 0.0)
    one_frame = full.memory_bytes
    for n in range(1, 20):
        full.push(raw_of(with_clock(base, n)), MON, T0, float(n))
    assert len(full) == 20
    raw_size = 640 * 480 * 4
    # 19 more frames cost far less than 19 more full frames: only the first band changes.
    assert full.memory_bytes - one_frame < 19 * (one_frame - raw_size) / 10


def test_window_length_and_frame_count_are_bounded() -> None:
    buf = ReplayBuffer(seconds=5, interval_s=1)
    assert buf.max_frames == 6
    base = screen(4)
    for n in range(50):
        buf.push(raw_of(with_clock(base, n)), MON, T0 + timedelta(seconds=n), float(n))
        assert len(buf) <= 6
        assert all(49 - e.last_seen_s <= 5 for e in buf.entries()) or n < 49
    assert [e.monotonic_s for e in buf.entries()] == [44.0, 45.0, 46.0, 47.0, 48.0, 49.0]


def test_old_frames_expire_by_age_even_if_few() -> None:
    buf = ReplayBuffer(seconds=5, interval_s=1)
    buf.push(raw_of(screen(5)), MON, T0, 0.0)
    buf.push(raw_of(screen(6)), MON, T0, 100.0)
    assert [e.monotonic_s for e in buf.entries()] == [100.0]


def test_byte_ceiling_holds_and_the_newest_frame_survives() -> None:
    one = ReplayBuffer(seconds=60, interval_s=1)
    one.push(raw_of(screen(7)), MON, T0, 0.0)
    ceiling = one.memory_bytes + 3 * (one.memory_bytes - 320 * 240 * 4)
    buf = ReplayBuffer(seconds=60, interval_s=1, max_bytes=ceiling)
    for n in range(20):
        buf.push(raw_of(screen(10 + n)), MON, T0, float(n))
        assert buf.memory_bytes <= ceiling or len(buf) == 1
    assert 1 <= len(buf) <= 4
    assert buf.entries()[-1].monotonic_s == 19.0


def test_memory_accounting_returns_to_zero_when_cleared() -> None:
    buf = ReplayBuffer(seconds=3, interval_s=1)
    base = screen(8)
    for n in range(10):
        buf.push(raw_of(with_clock(base, n)), MON, T0, float(n))
    assert buf.memory_bytes > 0
    buf.clear()
    assert buf.memory_bytes == 0 and len(buf) == 0


def test_a_size_change_starts_fresh() -> None:
    buf = ReplayBuffer(seconds=10, interval_s=1)
    buf.push(raw_of(screen(1, 320, 240)), MON, T0, 0.0)
    img = screen(1, 320, 240 + BAND_ROWS)
    buf.push(raw_of(img), MON, T0, 1.0)
    assert buf.frame(1).image.tobytes() == img.tobytes()


# --------------------------------------------------------------------------- recorder


class FakeSource:
    def __init__(self, frames: list[Image.Image]) -> None:
        self.frames = frames
        self.i = 0
        self.closed = False
        self.fail = False

    def monitors(self) -> list[Monitor]:
        r = Rect(0, 0, self.frames[0].width, self.frames[0].height)
        return [Monitor(0, r), Monitor(1, r)]

    def grab_raw(self, rect: Rect) -> RawGrab:
        if self.fail:
            raise CaptureError("display went away")
        img = self.frames[min(self.i, len(self.frames) - 1)]
        self.i += 1
        return raw_of(img)

    def close(self) -> None:
        self.closed = True


def test_recorder_pauses_while_locked_and_survives_errors() -> None:
    src = FakeSource([screen(1), screen(2), screen(2)])
    locked = {"v": False}
    now = {"t": 0.0}
    rec = ReplayRecorder(
        ReplayBuffer(seconds=60, interval_s=1),
        lambda: src,
        clock=lambda: T0,
        monotonic=lambda: now["t"],
        is_locked=lambda: locked["v"],
    )
    assert rec.tick() == "stored"
    locked["v"] = True
    grabs = src.i
    assert rec.tick() == "locked"
    assert src.i == grabs  # nothing grabbed while locked
    locked["v"] = False
    now["t"] = 1.0
    assert rec.tick() == "stored"
    now["t"] = 2.0
    assert rec.tick() == "unchanged"
    src.fail = True
    assert rec.tick() == "error"
    assert "display went away" in rec.last_error
    assert len(rec.buffer) == 2


def test_recorder_thread_runs_at_its_interval_and_stops() -> None:
    src = FakeSource([screen(n) for n in range(100)])
    opened = threading.Event()

    def open_source() -> FakeSource:
        opened.set()
        return src

    rec = ReplayRecorder(ReplayBuffer(seconds=60, interval_s=0.05), open_source, clock=lambda: T0)
    rec.start()
    assert opened.wait(2)
    time.sleep(0.5)
    rec.stop()
    assert not rec.running
    assert src.closed
    assert 3 <= rec.ticks <= 20


def test_invalid_buffer_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        ReplayBuffer(seconds=0)
    with pytest.raises(ValueError):
        ReplayBuffer(interval_s=-1)


def test_only_picked_frames_are_exported() -> None:
    import io as _io

    from capture.export import Exporter, ExportOptions
    from capture.replay import export_picked

    buf = ReplayBuffer(seconds=10, interval_s=1)
    base = screen(11)
    for n in range(5):
        buf.push(raw_of(with_clock(base, n)), MON, T0 + timedelta(seconds=n), float(n))
    steps, files = export_picked(
        buf, [3, 1, 3], Exporter(ExportOptions(fmt="png", tz=UTC)), first_number=4
    )
    assert [s.image for s in steps] == ["replay-004.png", "replay-005.png"]
    assert [s.captured_at for s in steps] == [T0 + timedelta(seconds=1), T0 + timedelta(seconds=3)]
    assert all(s.source == "replay" and "instant replay" in s.note for s in steps)
    exported = Image.open(_io.BytesIO(files["replay-005.png"])).convert("RGB")
    assert (
        exported.crop((0, 0, 200, 100)).tobytes()
        == with_clock(base, 3).crop((0, 0, 200, 100)).tobytes()
    )
    assert len(buf) == 5
