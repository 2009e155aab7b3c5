"""Capture benchmark: one command, prints medians.

    python bench/capture.py [--runs 15] [--replay-seconds 60] [--skip-replay]

Starts its own Xvfb (1080p and 4K) and paints a synthetic business-application screen with
Qt in a subprocess (tests/integration/paint_window.py), then measures, per frame:
grab (mss), convert (BGRX -> RGB), stamp (copy + draw), encode (WebP lossless m0, and PNG /
JPEG for comparison) and the total of grab + convert + stamp + WebP. Then runs the instant
replay for --replay-seconds at 1 frame/s on a changing screen (a ticking strip) and on a static
one, reporting CPU % of one core (process CPU time / wall time) and the buffer's memory.

Goals (issue 4): 1080p grab+stamp+encode <= 60 ms median; replay <= 3 % of a core changing,
<= 0.5 % static; <= 40 MB for 60 frames at 1080p. The machine is shared: run when quiet.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from capture.encode import encode  # noqa: E402
from capture.fonts import FontCache  # noqa: E402
from capture.geometry import Rect  # noqa: E402
from capture.grab import MssSource  # noqa: E402
from capture.platform_info import PlatformInfo  # noqa: E402
from capture.replay import ReplayBuffer, ReplayRecorder  # noqa: E402
from capture.stamp import Stamper, StampPolicy, stamp_text  # noqa: E402
from tests.integration.xserver import start_xvfb  # noqa: E402

PAINTER = ROOT / "tests" / "integration" / "paint_window.py"


def business_screen(width: int, height: int) -> Image.Image:
    """A plausible line-of-business window: title bar, menu, sidebar, a table, an error box."""
    s = height / 1080
    fonts = FontCache()
    font, bold = fonts.get(round(13 * s)), fonts.get(round(15 * s))
    img = Image.new("RGB", (width, height), "#f3f3f3")
    d = ImageDraw.Draw(img)
    rnd = random.Random(42)
    d.rectangle((0, 0, width, 34 * s), fill="#2b579a")
    d.text((12 * s, 8 * s), "Contoso ERP - Invoices - [Q3 2026]", fill="white", font=bold)
    d.rectangle((0, 34 * s, width, 62 * s), fill="#ffffff")
    for i, m in enumerate(("File", "Edit", "View", "Invoice", "Reports", "Tools", "Help")):
        d.text(((12 + 70 * i) * s, 40 * s), m, fill="#222", font=font)
    d.rectangle((0, 62 * s, 260 * s, height), fill="#fafafa", outline="#ddd")
    for i in range(30):
        d.text((16 * s, (76 + 24 * i) * s), f"Customer group {i + 1:02d}", fill="#333", font=font)
    cols = ("Invoice", "Customer", "Date", "Amount", "Status", "Due", "Owner")
    x0, y0, row = 280 * s, 80 * s, 22 * s
    for c, name in enumerate(cols):
        d.text((x0 + c * 220 * s, y0), name, fill="#000", font=bold)
    rows = int((height - y0 - 40 * s) / row)
    for r in range(1, rows):
        y = y0 + r * row
        if r % 2:
            d.rectangle((x0 - 6 * s, y - 2 * s, width - 20 * s, y + row - 3 * s), fill="#ffffff")
        vals = (
            f"INV-{rnd.randint(100000, 999999)}",
            rnd.choice(("Northwind", "Fabrikam", "Tailspin", "Adventure Works", "Litware")),
            f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            f"{rnd.randint(10, 99999):,}.{rnd.randint(0, 99):02d} EUR",
            rnd.choice(("Open", "Paid", "Overdue", "Draft")),
            f"{rnd.randint(1, 90)} days",
            rnd.choice(("a.smith", "j.doe", "m.ivanova", "o.kovalenko")),
        )
        for c, v in enumerate(vals):
            d.text((x0 + c * 220 * s, y), v, fill="#222", font=font)
    bx, by = width / 2 - 260 * s, height / 2 - 90 * s
    d.rectangle((bx, by, bx + 520 * s, by + 180 * s), fill="white", outline="#c00", width=2)
    d.text((bx + 20 * s, by + 20 * s), "Error 0x80070005", fill="#c00", font=bold)
    d.text(
        (bx + 20 * s, by + 60 * s),
        "Access is denied while posting invoice.",
        fill="#222",
        font=font,
    )
    return img


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def painter(env: dict[str, str], image: Path, tick: float = 0.0) -> subprocess.Popen[str]:
    cmd = [sys.executable, str(PAINTER), f"{image}@0,0"] + (["--tick", str(tick)] if tick else [])
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise SystemExit("the Qt painter did not start (is PySide6 installed?)")
    time.sleep(0.2)
    return proc


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(10)


def bench_frames(width: int, height: int, runs: int, tmp: Path) -> None:
    screen = business_screen(width, height)
    path = tmp / f"screen-{width}.bmp"
    screen.save(path)
    with start_xvfb([(width, height)]) as xs:
        env = xs.env(QT_QPA_PLATFORM="xcb")
        proc = painter(env, path)
        try:
            source = MssSource(PlatformInfo.detect(env))
            rect = Rect(0, 0, width, height)
            raw = source.grab_raw(rect)
            grab = median_ms(lambda: source.grab_raw(rect), runs)
            convert = median_ms(raw.to_image, runs)
            image = raw.to_image()
            stamper = Stamper(StampPolicy())
            when = datetime.now(UTC)

            def stamp() -> Image.Image:
                out = image.copy()
                stamper.apply(out, stamp_text(when, 3))
                return out

            stamped = stamp()
            stamp_ms = median_ms(stamp, runs)
            results = {}
            for fmt in ("webp", "png", "jpeg"):
                ms = median_ms(lambda f=fmt: encode(stamped, f), runs)  # type: ignore[misc]
                results[fmt] = (ms, len(encode(stamped, fmt).data))  # type: ignore[arg-type]

            def total() -> None:
                img = source.grab_raw(rect).to_image()
                stamper.apply(img, stamp_text(when, 3))
                encode(img, "webp")

            total_ms = median_ms(total, runs)
            source.close()
        finally:
            stop(proc)
    label = f"{width}x{height}"
    print(f"\n[{label}] medians of {runs} runs")
    print(f"  grab (mss)             {grab:7.1f} ms")
    print(f"  convert BGRX->RGB      {convert:7.1f} ms")
    print(f"  stamp (copy + draw)    {stamp_ms:7.1f} ms")
    for fmt, (ms, size) in results.items():
        name = {"webp": "WebP lossless m0", "png": "PNG level 1", "jpeg": "JPEG q85"}[fmt]
        print(f"  encode {name:16s}{ms:7.1f} ms  {size / 1024:7.0f} KB")
    goal = "  (goal <= 60 ms)" if height == 1080 else ""
    print(f"  TOTAL grab+stamp+WebP  {total_ms:7.1f} ms{goal}")


def bench_replay(seconds: float, tmp: Path) -> None:
    screen = business_screen(1920, 1080)
    path = tmp / "replay.bmp"
    screen.save(path)
    print(f"\n[instant replay] 1920x1080, {seconds:g} s at 1 frame/s, window 60 s")
    with start_xvfb([(1920, 1080)]) as xs:
        env = xs.env(QT_QPA_PLATFORM="xcb")
        platform = PlatformInfo.detect(env)
        for label, tick in (("changing (strip ticks each 0.5 s)", 0.5), ("static", 0.0)):
            proc = painter(env, path, tick)
            try:
                buf = ReplayBuffer(seconds=60, interval_s=1.0)
                rec = ReplayRecorder(
                    buf, lambda: MssSource(platform), clock=lambda: datetime.now(UTC)
                )
                cpu0, wall0 = time.process_time(), time.monotonic()
                rec.start()
                time.sleep(seconds)
                rec.stop()
                cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            finally:
                stop(proc)
            print(
                f"  {label:34s} CPU {100 * cpu / wall:5.2f} % of one core, "
                f"{len(buf):3d} frames kept, {rec.ticks} grabs, "
                f"memory {buf.memory_bytes / 1e6:5.1f} MB"
            )
        # Worst case for memory: every frame entirely different (full-screen scroll).
        buf = ReplayBuffer(seconds=60, interval_s=1.0)
        base = screen.convert("RGBX").tobytes("raw", "BGRX")
        from capture.screen_source import RawGrab

        t0 = time.process_time()
        stride = 1920 * 4
        for i in range(60):
            shift = (i * 37 % 1080) * stride
            buf.push(
                RawGrab(base[shift:] + base[:shift], 1920, 1080),
                _mon(),
                datetime.now(UTC),
                float(i),
            )
        per = (time.process_time() - t0) / 60 * 1000
        print(
            f"  {'every frame different (scrolling)':34s} buffer work {per:5.1f} ms/frame "
            f"(= {per / 10:4.2f} % at 1 fps + grab), memory for 60 frames "
            f"{buf.memory_bytes / 1e6:5.1f} MB (goal <= 40 MB)"
        )


def _mon():  # type: ignore[no-untyped-def]
    from app.report import MonitorInfo

    return MonitorInfo(index=0, width=1920, height=1080)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--replay-seconds", type=float, default=60.0)
    ap.add_argument("--skip-replay", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="flare-bench-") as tmp:
        for w, h in ((1920, 1080), (3840, 2160)):
            bench_frames(w, h, args.runs, Path(tmp))
        if not args.skip_replay:
            bench_replay(args.replay_seconds, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
