"""Whole-process start-up of the CLI beside a bare Python script doing the same work.

    python bench/startup.py [--runs 15]

Prints medians of N runs (wall time of the whole process, start to exit) and the ratio:
- ``flare capture --out DIR`` against a script that imports mss and Pillow, grabs the screen,
  stamps the time and writes lossless WebP (on a private Xvfb showing a non-blank picture);
- ``flare outbox list`` against a script that opens the same outbox database with sqlite3 and
  selects its items;
- ``flare --version`` against ``python -c pass``.

Goals (issue 12): each command <= 1.3x its bare script; --version <= 2x ``python -c pass``.
Flare's command and its bare script run in turn, so a machine that slows down in the middle
slows both. The machine is shared: run when quiet, and compare figures from the same run.

    python bench/startup.py --instructions

counts the instructions each process executes instead (valgrind's callgrind, one run each):
the same figure every time on the same machine, whatever else it is doing, where wall times
on a shared machine can move by a third from one minute to the next.

Each row also prints a like-for-like ratio: Flare's command exits without the interpreter's
last cycle collection (app.cli.run freezes what it holds), so a second copy of the bare
script ends with ``gc.freeze()`` too. The goal is read on the first ratio, as the issue's
bare scripts are written; the second says how much of the gap is Flare's own work.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
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


def _run(cmd: Sequence[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=60, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def paired_medians(flare: Sequence[str], bare: Sequence[str], env: dict[str, str],
                   runs: int) -> tuple[float, float]:
    """Median wall times of the two commands, run in turn."""
    # One run of each first, not counted: it writes the bytecode cache, as an install would.
    _run(flare, env)
    _run(bare, env)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        times[0].append(_run(flare, env))
        times[1].append(_run(bare, env))
    return statistics.median(times[0]), statistics.median(times[1])


def instructions(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Instructions the process executes, as callgrind counts them (after one warm-up run)."""
    _run(cmd, env)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *cmd], env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"valgrind {' '.join(cmd[:4])} failed: {done.stderr[-400:]}")
    return float(found.group(1).replace(",", ""))


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


FROZEN_AT_EXIT = "\nimport gc\ngc.freeze()\n"


def row(name: str, figures: tuple[float, float, float], goal: float, unit: str) -> None:
    flare, bare, frozen = figures
    scale, shown = (1e3, "ms") if unit == "s" else (1e-6, "M instructions")
    print(f"{name:<26} {flare * scale:7.1f}  bare {bare * scale:7.1f} {shown}  "
          f"{flare / bare:4.2f}x  (goal <= {goal:g}x);  like for like {flare / frozen:4.2f}x "
          f"(bare {frozen * scale:.1f}, frozen at exit too)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--instructions", action="store_true",
                    help="count instructions with valgrind instead of timing (one run each)")
    args = ap.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")

    def measure(flare: Sequence[str], bare_code: str, bare_args: Sequence[str],
                env: dict[str, str]) -> tuple[float, float, float]:
        bare = [sys.executable, "-c", bare_code, *bare_args]
        frozen = [sys.executable, "-c", bare_code + FROZEN_AT_EXIT, *bare_args]
        if args.instructions:
            return instructions(flare, env), instructions(bare, env), instructions(frozen, env)
        flare_s, bare_s = paired_medians(flare, bare, env, args.runs)
        return flare_s, bare_s, paired_medians(flare, frozen, env, args.runs)[1]

    unit = "instructions" if args.instructions else "s"
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
            what = ("instructions executed, one run each" if args.instructions else
                    f"medians of {args.runs} runs each, in turn, whole process start to exit")
            print(f"{what} ({sys.executable})")
            row("flare capture --out DIR",
                measure([*FLARE, "capture", "--out", str(out)], BARE_CAPTURE, [str(out)], env),
                1.3, unit)

            _run([*FLARE, "outbox", "list"], env)  # creates the outbox database
            dbs = list(home.rglob("outbox.sqlite3"))
            if len(dbs) != 1:
                raise SystemExit(f"expected one outbox database below {home}, found {dbs}")
            row("flare outbox list",
                measure([*FLARE, "outbox", "list"], BARE_SELECT, [str(dbs[0])], env), 1.3, unit)
            row("flare --version", measure([*FLARE, "--version"], "pass", [], env), 2.0, unit)
        finally:
            stop_process(painter)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
