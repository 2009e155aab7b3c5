"""Shortcuts benchmark (issue 17 point 5): key press -> action, X11 key grab vs pynput.

    python bench/shortcuts.py [--presses 20]

Starts a private Xvfb, then for each backend presses the combination through XTEST
(``xdotool key``, a real key event in the X server) and measures the time from just before
``xdotool`` runs to the callback in this process. Peer: pynput's ``GlobalHotKeys`` (XRecord),
which the recorder's Capture step shortcut uses, measured in the same run on the same server.
Also: the idle CPU of this process with the grab in place, as % of one core. Both include
``xdotool``'s own start-up (the same for both); read them side by side.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capture.hotkey import GlobalHotkey, parse_hotkey
from capture.platform_info import PlatformInfo
from capture.x11_keys import Shortcut, X11Shortcuts
from tests.integration.xserver import start_xvfb


def timed_presses(env: dict[str, str], fired: threading.Event, stamp: list[float],
                  presses: int) -> list[float]:
    times = []
    for _ in range(presses):
        fired.clear()
        start = time.perf_counter()
        subprocess.run(["xdotool", "key", "ctrl+shift+F8"], env=env, check=True)
        if not fired.wait(2.0):
            raise SystemExit("the shortcut did not fire within 2 s")
        times.append((stamp[0] - start) * 1000)
        time.sleep(0.05)
    return times


def cpu_percent(seconds: float) -> float:
    before = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(seconds)
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return 100 * used / seconds


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    with start_xvfb() as xs:
        env = xs.env()
        os.environ.update(DISPLAY=xs.display, XDG_SESSION_TYPE="x11")
        os.environ.pop("WAYLAND_DISPLAY", None)
        fired, stamp = threading.Event(), [0.0]

        def hit() -> None:
            stamp[0] = time.perf_counter()
            fired.set()

        grab = X11Shortcuts(xs.display, [Shortcut("bench", parse_hotkey("<ctrl>+<shift>+<f8>"),
                                                  hit)])
        assert grab.start() == []
        grab_ms = timed_presses(env, fired, stamp, args.presses)
        grab_cpu = cpu_percent(5)
        grab.stop()
        peer = GlobalHotkey(hit, PlatformInfo.detect(), combination="<ctrl>+<shift>+<f8>")
        peer.start()
        peer_ms = timed_presses(env, fired, stamp, args.presses)
        peer_cpu = cpu_percent(5)
        peer.stop()
    print(f"press -> action, median of {args.presses} (incl. xdotool's start):")
    print(f"  X11 key grab (python-xlib)  {statistics.median(grab_ms):6.1f} ms"
          f"   idle CPU {grab_cpu:.2f} %")
    print(f"  pynput GlobalHotKeys (peer) {statistics.median(peer_ms):6.1f} ms"
          f"   idle CPU {peer_cpu:.2f} %")
    print(f"  ratio grab/peer {statistics.median(grab_ms) / statistics.median(peer_ms):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
