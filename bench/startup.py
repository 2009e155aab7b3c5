"""Whole-process start-up of the CLI beside a bare Python script doing the same work.

    python bench/startup.py [--runs 15]

Prints medians of N runs (wall time of the whole process, start to exit) and the ratio:
- ``flare capture --out DIR`` against a script that imports mss and Pillow, grabs the screen,
  stamps the time and writes lossless WebP (on a private Xvfb showing a non-blank picture);
- ``flare outbox list`` against a script that opens the same outbox database with sqlite3 and
  selects its items;
- ``flare --version`` against ``python -c pass``.

Goals (issue 12): each command <= 1.3x its bare script; --version <= 2x ``python -c pass``.
The machine is shared: run when quiet, and compare figures from the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from bench.startup_env import bench_desktop  # noqa: E402
from tests.proc import stop_process  # noqa: E402

PAINTER = ROOT / "tests" / "integration" / "paint_window.py"
FLARE = [str(Path(sys.executable).with_name("flare"))]

BARE_CAPTURE = """
import sys
from datetime import datetime
import mss
from PIL import Image, ImageDraw, ImageFont
with mss.MSS() as sct:
    shot = sct.grab(sct.monitors[1])
img = Image.frombuffer("RGB", shot.size, shot.raw, "raw", "BGRX", 0, 1).copy()
font = ImageFont.truetype("DejaVuSans.ttf", 18)
ImageDraw.Draw(img).text((10, 10), datetime.now().astimezone().isoformat(), font=font)
img.save(sys.argv[1] + "/bare.webp", "WEBP", lossless=True, method=0, quality=80)
"""

BARE_SELECT = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT * FROM items ORDER BY created_at, id").fetchall()
print(len(rows) or "The outbox is empty.")
"""


def median_s(cmd: Sequence[str], env: dict[str, str], runs: int) -> float:
    times = []
    # One run first, not counted: it writes the bytecode cache, as an install would have.
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=60, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd[:4])} failed: {done.stderr.decode()[-400:]}")
    return statistics.median(times[1:])


def screen(width: int, height: int) -> Image.Image:
    """Coloured boxes and lines: enough that Flare does not refuse a blank screen."""
    rnd = random.Random(12)
    img = Image.new("RGB", (width, height), "#f3f3f3")
    draw = ImageDraw.Draw(img)
    for _ in range(300):
        x, y = rnd.randrange(width), rnd.randrange(height)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rnd.randrange(20, 300), y + rnd.randrange(8, 40)), fill=colour)
    return img


def row(name: str, flare_s: float, bare_s: float, goal: float) -> None:
    ratio = flare_s / bare_s
    print(f"{name:<30} {flare_s * 1000:7.0f} ms  bare {bare_s * 1000:6.0f} ms  "
          f"{ratio:4.2f}x  (goal <= {goal:g}x)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with bench_desktop([(1920, 1080)]) as (xs, tmp, env):
        home = Path(env["HOME"])
        picture = tmp / "screen.png"
        screen(xs.width, xs.height).save(picture)
        painter = subprocess.Popen(
            [sys.executable, str(PAINTER), f"{picture}@0,0"],
            env=env, stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        try:
            assert painter.stdout is not None and painter.stdout.readline().strip() == "ready"
            out = tmp / "shots"
            out.mkdir()
            print(f"medians of {args.runs} runs, whole process start to exit ({sys.executable})")
            flare = median_s([*FLARE, "capture", "--out", str(out)], env, args.runs)
            bare = median_s([sys.executable, "-c", BARE_CAPTURE, str(out)], env, args.runs)
            row("flare capture --out DIR", flare, bare, 1.3)

            median_s([*FLARE, "outbox", "list"], env, 1)  # creates the outbox database
            dbs = list(home.rglob("outbox.sqlite3"))
            if len(dbs) != 1:
                raise SystemExit(f"expected one outbox database below {home}, found {dbs}")
            flare = median_s([*FLARE, "outbox", "list"], env, args.runs)
            bare = median_s([sys.executable, "-c", BARE_SELECT, str(dbs[0])], env, args.runs)
            row("flare outbox list", flare, bare, 1.3)

            flare = median_s([*FLARE, "--version"], env, args.runs)
            bare = median_s([sys.executable, "-c", "pass"], env, args.runs)
            row("flare --version", flare, bare, 2.0)
        finally:
            stop_process(painter)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
