"""The tray app's start-up and idle memory, beside a bare PySide6 tray app measured alike.

    python bench/tray.py [--runs 11]

On a private Xvfb with trayer as the tray host (XEmbed, as on most X11 panels) it prints the
medians of N runs, and their ratio to the bare tray's, of:
- start to icon shown: from starting the process to its icon window being embedded and
  viewable in the tray (found through the window's _NET_WM_PID);
- idle RSS: VmRSS a few seconds after the icon is shown.

Goals (issue 12): start to icon <= 150 ms, idle RSS <= 60 MB (the bare tray is the floor;
flameshot, the peer the issue quotes, is not installed here). The machine is shared: compare
figures from the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from Xlib import X, display  # noqa: E402
from Xlib.error import XError  # noqa: E402

from bench.startup_env import bench_desktop  # noqa: E402
from tests.proc import stop_process  # noqa: E402

FLARE = [str(Path(sys.executable).with_name("flare"))]

BARE_TRAY = r"""
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
app = QApplication([])
pix = QPixmap(22, 22); pix.fill(QColor("orange"))
icon = QSystemTrayIcon(QIcon(pix)); menu = QMenu(); menu.addAction("Quit", app.quit)
icon.setContextMenu(menu); icon.show()
app.exec()
"""


def _embedded_icon(dpy: display.Display, pid: int) -> bool:
    """Whether a viewable window of ``pid`` sits inside another client's window (the tray)."""
    pid_atom = dpy.intern_atom("_NET_WM_PID")
    root = dpy.screen().root
    stack = [(child, False) for child in root.query_tree().children]
    while stack:
        window, nested = stack.pop()
        try:
            prop = window.get_full_property(pid_atom, X.AnyPropertyType)
            if (nested and prop is not None and prop.value and int(prop.value[0]) == pid
                    and window.get_attributes().map_state == X.IsViewable):
                return True
            stack += [(child, True) for child in window.query_tree().children]
        except XError:  # a window that went away while we looked
            continue
    return False


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(cmd: list[str], env: dict[str, str], dpy: display.Display,
            settle_s: float) -> tuple[float, float]:
    """(ms from start to the icon shown, idle MB RSS) of one start of ``cmd``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = t0 + 30
        while not _embedded_icon(dpy, proc.pid):
            if proc.poll() is not None or time.perf_counter() > deadline:
                err = proc.stderr.read().decode()[-400:] if proc.stderr else ""
                raise SystemExit(f"{' '.join(cmd[:3])}: no tray icon appeared. {err}")
            time.sleep(0.002)
        shown_ms = (time.perf_counter() - t0) * 1000
        time.sleep(settle_s)
        return shown_ms, _rss_mb(proc.pid)
    finally:
        stop_process(proc)  # type: ignore[arg-type]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--settle", type=float, default=4.0, help="seconds idle before RSS")
    args = ap.parse_args()
    if shutil.which("trayer") is None:
        raise SystemExit("needs trayer (apt-get install trayer) as the tray host")
    with bench_desktop([(1280, 800)]) as (_xs, _tmp, env):
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # XEmbed, as the tray host offers
        tray = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
             "--width", "120", "--height", "24"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        dpy = display.Display(env["DISPLAY"])
        try:
            time.sleep(1)
            cmds = {"flare": FLARE, "bare": [sys.executable, "-c", BARE_TRAY]}
            for cmd in cmds.values():  # not counted: writes the bytecode caches
                one_run(cmd, env, dpy, 0.0)
            shown: dict[str, list[float]] = {name: [] for name in cmds}
            rss: dict[str, list[float]] = {name: [] for name in cmds}
            for _ in range(args.runs):
                for name, cmd in cmds.items():  # interleaved: both see the same load
                    ms, mb = one_run(cmd, env, dpy, args.settle)
                    shown[name].append(ms)
                    rss[name].append(mb)
        finally:
            dpy.close()
            stop_process(tray)  # type: ignore[arg-type]
    med = {name: (statistics.median(shown[name]), statistics.median(rss[name]))
           for name in shown}
    (f_ms, f_mb), (b_ms, b_mb) = med["flare"], med["bare"]
    print(f"medians of {args.runs} runs ({sys.executable}, pid {os.getpid()})")
    print(f"start to icon shown   flare {f_ms:6.0f} ms  bare {b_ms:6.0f} ms  "
          f"{f_ms / b_ms:4.2f}x  (goal <= 150 ms)")
    print(f"idle RSS              flare {f_mb:6.1f} MB  bare {b_mb:6.1f} MB  "
          f"{f_mb / b_mb:4.2f}x  (goal <= 60 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
