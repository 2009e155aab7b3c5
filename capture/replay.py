"""Instant replay (opt-in): the last N seconds of the screen, in memory only.

Frames are cut into horizontal bands of 16 rows. A band equal to the one in the previous
frame is shared rather than stored again, so a screen where only a clock ticks costs a few
kilobytes per frame, and an unchanged screen costs nothing but the grab and a byte compare
(the previous frame's ``last_seen`` moves on). Bands are zlib level 1: about 10 ms for a whole
1080p frame, against about 40 ms for WebP. Memory is bounded by the window length, the frame
count and a byte ceiling, whichever bites first. Nothing here is ever written to disk; the
user picks frames when reporting and only those are exported.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from capture.errors import CaptureError
from capture.export import Exporter
from capture.geometry import Placement, Rect, virtual_desktop
from capture.grab import Frame
from capture.screen_source import RawGrab, ScreenSource

if TYPE_CHECKING:
    from app.report import MonitorInfo, Step

BAND_ROWS = 16


class _Band:
    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


@dataclass
class _Stored:
    captured_at: datetime
    monotonic_s: float
    last_seen_s: float
    width: int
    height: int
    monitor: Placement | MonitorInfo
    bands: tuple[_Band, ...]


@dataclass(frozen=True)
class ReplayEntry:
    """One frame as the picker lists it (oldest first)."""

    index: int
    captured_at: datetime
    monotonic_s: float
    last_seen_s: float
    width: int
    height: int


class ReplayBuffer:
    def __init__(
        self,
        seconds: float = 60.0,
        interval_s: float = 1.0,
        *,
        max_bytes: int = 40 * 1024 * 1024,
        compress_level: int = 1,
    ) -> None:
        if seconds <= 0 or interval_s <= 0:
            raise ValueError("replay length and interval must be positive")
        self.seconds = seconds
        self.interval_s = interval_s
        self.max_frames = int(seconds / interval_s + 0.5) + 1
        self.max_bytes = max_bytes
        self._level = compress_level
        self._frames: deque[_Stored] = deque()
        self._refs: dict[int, int] = {}
        self._band_bytes = 0
        self._prev_raw: bytes | bytearray | None = None
        self._prev_shape: tuple[int, int] = (0, 0)
        self._lock = threading.Lock()
        self.skipped = 0

    def __len__(self) -> int:
        return len(self._frames)

    @property
    def memory_bytes(self) -> int:
        """Compressed bands held plus the previous raw frame kept for comparison."""
        return self._band_bytes + (len(self._prev_raw) if self._prev_raw is not None else 0)

    def push(
        self,
        raw: RawGrab,
        monitor: Placement | MonitorInfo,
        captured_at: datetime,
        monotonic_s: float,
    ) -> bool:
        """Add a grab; False when it equals the previous one (only its last-seen time moves)."""
        with self._lock:
            stride = raw.width * 4
            band_len = stride * BAND_ROWS
            data = raw.bgrx
            prev = self._prev_raw
            same_shape = prev is not None and self._prev_shape == (raw.width, raw.height)
            last = self._frames[-1] if self._frames else None
            if same_shape and last is not None and data == prev:
                last.last_seen_s = monotonic_s
                self.skipped += 1
                self._evict(monotonic_s)
                return False
            bands: list[_Band] = []
            for i, start in enumerate(range(0, len(data), band_len)):
                chunk = data[start : start + band_len]
                if (
                    same_shape
                    and last is not None
                    and prev is not None
                    and chunk == prev[start : start + band_len]
                ):
                    bands.append(last.bands[i])
                else:
                    bands.append(_Band(zlib.compress(chunk, self._level)))
            stored = _Stored(
                captured_at, monotonic_s, monotonic_s, raw.width, raw.height, monitor, tuple(bands)
            )
            self._frames.append(stored)
            self._retain(stored)
            self._prev_raw, self._prev_shape = data, (raw.width, raw.height)
            self._evict(monotonic_s)
            return True

    def _retain(self, frame: _Stored) -> None:
        for band in frame.bands:
            key = id(band)
            count = self._refs.get(key, 0)
            if count == 0:
                self._band_bytes += len(band.data)
            self._refs[key] = count + 1

    def _release(self, frame: _Stored) -> None:
        for band in frame.bands:
            key = id(band)
            count = self._refs[key] - 1
            if count == 0:
                del self._refs[key]
                self._band_bytes -= len(band.data)
            else:
                self._refs[key] = count

    def _evict(self, now_s: float) -> None:
        frames = self._frames
        while frames and (
            now_s - frames[0].last_seen_s > self.seconds
            or len(frames) > self.max_frames
            or (len(frames) > 1 and self.memory_bytes > self.max_bytes)
        ):
            self._release(frames.popleft())

    def entries(self) -> list[ReplayEntry]:
        with self._lock:
            return [
                ReplayEntry(i, f.captured_at, f.monotonic_s, f.last_seen_s, f.width, f.height)
                for i, f in enumerate(self._frames)
            ]

    def frame(self, index: int) -> Frame:
        """Rebuild a stored frame as a :class:`Frame` (decompressing costs ~10 ms at 1080p)."""
        with self._lock:
            f = self._frames[index]
            bands = f.bands
        raw = b"".join(zlib.decompress(b.data) for b in bands)
        image = RawGrab(raw, f.width, f.height).to_image()
        return Frame(image, f.monitor, f.captured_at, f.monotonic_s, None, "instant replay")

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._refs.clear()
            self._band_bytes = 0
            self._prev_raw = None
            self.skipped = 0


TickResult = Literal["stored", "unchanged", "locked", "error"]


class ReplayRecorder:
    """Feeds a :class:`ReplayBuffer` from a background thread at a fixed interval.

    The screen source is opened inside the thread (mss connections belong to one thread).
    While ``is_locked()`` is true nothing is grabbed.
    """

    def __init__(
        self,
        buffer: ReplayBuffer,
        open_source: Callable[[], ScreenSource],
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        is_locked: Callable[[], bool | None] = lambda: False,
    ) -> None:
        self.buffer = buffer
        self._open_source = open_source
        self._clock = clock
        self._monotonic = monotonic
        self._is_locked = is_locked
        self._source: ScreenSource | None = None
        self._rect: Rect | None = None
        self._monitor: Placement | MonitorInfo | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error = ""
        self.ticks = 0

    def tick(self) -> TickResult:
        self.ticks += 1
        if self._is_locked():
            return "locked"
        try:
            if self._source is None:
                self._source = self._open_source()
                desktop = virtual_desktop(self._source.monitors())
                self._rect, self._monitor = desktop.rect, desktop.info()
            assert self._rect is not None and self._monitor is not None
            captured_at, mono = self._clock(), self._monotonic()
            raw = self._source.grab_raw(self._rect)
        except CaptureError as exc:
            self.last_error = str(exc)
            return "error"
        stored = self.buffer.push(raw, self._monitor, captured_at, mono)
        return "stored" if stored else "unchanged"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="flare-replay", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        self._thread = None

    def _run(self) -> None:
        interval = self.buffer.interval_s
        next_at = self._monotonic()
        try:
            while not self._stop.is_set():
                self.tick()
                next_at += interval
                now = self._monotonic()
                if next_at < now:  # fell behind (suspend, slow grab): do not catch up in a burst
                    next_at = now + interval
                self._stop.wait(next_at - now)
        finally:
            if self._source is not None:
                self._source.close()
                self._source = None


def export_picked(
    buffer: ReplayBuffer,
    indices: list[int],
    exporter: Exporter,
    *,
    first_number: int = 1,
) -> tuple[list[Step], dict[str, bytes]]:
    """Export only the frames the user picked, as ``replay-NNN`` steps numbered on from
    ``first_number``; the rest of the buffer stays in memory and is never written."""
    steps: list[Step] = []
    files: dict[str, bytes] = {}
    for offset, index in enumerate(sorted(set(indices))):
        number = first_number + offset
        step, data = exporter.export(
            buffer.frame(index),
            name_stem=f"replay-{number:03d}",
            step_number=number,
            source="replay",
        )
        steps.append(step)
        files[step.image] = data
    return steps, files
