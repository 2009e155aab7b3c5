"""Standalone build (PyInstaller onedir) against running from source: size, start-up, idle memory.

    python bench/packaging.py [--runs 7] [--onedir dist/pyinstaller/flare] [--drop-caches]

Builds nothing: run .ci/package.sh first (it leaves the onedir in dist/pyinstaller/flare).
Figures, medians of --runs:
  * installed size of the onedir (and of the .deb) against the project's .venv;
  * `flare --version` wall time (interpreter + imports + argument parsing);
  * start to tray: launch the tray app on a private Xvfb with trayer as tray host, until the
    tray icon window is mapped (xdotool), each run with a fresh HOME;
  * idle RSS of the tray app 5 s after its icon appeared.
Goals (issue 8): start to tray <= 1 s cold, idle <= 90 MB. --drop-caches (root) empties the
page cache before every start, for a truly cold start; without it the figures are warm-cache.
The machine is shared: run when it is quiet, and repeat.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.xserver import start_xvfb  # noqa: E402
from tests.proc import stop_process  # noqa: E402


def du_mb(path: Path) -> float:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total / 1e6


def drop_caches(enabled: bool) -> None:
    if enabled:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")


def fresh_env(home: Path, display: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    if display:
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    return env


def time_version(cmd: list[str], runs: int, cold: bool) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            drop_caches(cold)
            t0 = time.perf_counter()
            subprocess.run([*cmd, "--version"], env=fresh_env(Path(home)), check=True,
                           capture_output=True)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def tray_windows(display: str) -> set[str]:
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--class", "flare"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return set(out.split())


@contextlib.contextmanager
def running(cmd: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        yield proc
    finally:
        stop_process(proc)


def rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    procs = [proc, *proc.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs) / 1e6


def tray_runs(cmd: list[str], runs: int, cold: bool, display: str) -> tuple[list[float], float]:
    times: list[float] = []
    idle = 0.0
    for i in range(runs):
        with tempfile.TemporaryDirectory() as home:
            drop_caches(cold)
            before = tray_windows(display)
            t0 = time.perf_counter()
            with running(cmd, fresh_env(Path(home), display)) as proc:
                while not (tray_windows(display) - before):
                    if proc.poll() is not None:
                        err = proc.stderr.read().decode() if proc.stderr else ""
                        raise SystemExit(f"{cmd[0]} exited with {proc.returncode}: {err}")
                    if time.perf_counter() - t0 > 30:
                        raise SystemExit(f"{cmd[0]}: no tray icon after 30 s")
                    time.sleep(0.01)
                times.append((time.perf_counter() - t0) * 1000)
                if i == runs - 1:
                    time.sleep(5)
                    idle = rss_mb(proc.pid)
    return times, idle


def median(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms (min {min(values):.0f}, n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--onedir", type=Path, default=ROOT / "dist/pyinstaller/flare")
    parser.add_argument("--drop-caches", action="store_true", help="cold page cache (root)")
    args = parser.parse_args()
    frozen = args.onedir / "flare"
    if not frozen.is_file():
        print(f"no standalone build at {frozen}; run .ci/package.sh first", file=sys.stderr)
        return 4
    source = [sys.executable, "-m", "app.cli"]
    variants = {"standalone": [str(frozen)], "source": source}

    print("== size")
    print(f"standalone onedir   {du_mb(args.onedir):7.1f} MB")
    for deb in sorted((ROOT / "dist").glob("*.deb")):
        print(f"{deb.name:<19} {deb.stat().st_size / 1e6:7.1f} MB (download)")
    venv = Path(sys.prefix)
    print(f"source .venv        {du_mb(venv):7.1f} MB (includes test tools; plus system Python)")

    print("== flare --version" + (" (cold cache)" if args.drop_caches else " (warm cache)"))
    for name, cmd in variants.items():
        print(f"{name:<19} {median(time_version(cmd, args.runs, args.drop_caches))}")

    if not (shutil.which("Xvfb") and shutil.which("trayer") and shutil.which("xdotool")):
        print("== start to tray: skipped (needs Xvfb, trayer and xdotool)")
        return 0
    print("== start to tray icon, idle RSS 5 s later")
    trayer = ["trayer", "--edge", "top", "--widthtype", "pixel", "--width", "300"]
    with start_xvfb([(1280, 800)]) as xs, running(trayer, xs.env()):
        time.sleep(1)
        for name, cmd in variants.items():
            times, idle = tray_runs(cmd, args.runs, args.drop_caches, xs.display)
            print(f"{name:<19} {median(times)}; idle {idle:.0f} MB RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
