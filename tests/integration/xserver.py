"""Start a private Xvfb server for tests: any screen layout, always killed by PID.

Usage::

    with start_xvfb(screens=[(1920, 1080), (1280, 1024)]) as xs:
        env = {**os.environ, "DISPLAY": xs.display}

Several screens are laid out side by side on one X screen and announced as RandR 1.5
monitors (``xrandr --setmonitor``), which is what desktops and mss see on real multi-monitor
machines. ``-noreset`` matters: without it Xvfb resets when the last client disconnects and
forgets the monitors.

Tests start one with :func:`start_xvfb` (a context manager).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from tests.needs import missing

X_SOCKET_DIR = Path("/tmp/.X11-unix")
DPI = 96


@dataclass
class XServer:
    display: str
    number: int
    pid: int
    width: int
    height: int
    monitors: list[tuple[int, int, int, int]] = field(default_factory=list)
    """(left, top, width, height) of each monitor, in the order announced."""

    def env(self, **extra: str) -> dict[str, str]:
        """The current environment with DISPLAY pointing here and Wayland hidden."""
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY",)}
        env.update(DISPLAY=self.display, XDG_SESSION_TYPE="x11", **extra)
        return env


def have_xvfb() -> bool:
    return shutil.which("Xvfb") is not None


def _free_display_number(start: int = 20, end: int = 400) -> int:
    for n in range(start + os.getpid() % 97, end):
        if Path(f"/tmp/.X{n}-lock").exists() or (X_SOCKET_DIR / f"X{n}").exists():
            continue
        return n
    raise RuntimeError("no free X display number between 20 and 400")


def _accepts_connections(number: int) -> bool:
    path = X_SOCKET_DIR / f"X{number}"
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(str(path))
        except OSError:
            return False
    return True


def _run_xrandr(display: str, args: Sequence[str]) -> None:
    env = {**os.environ, "DISPLAY": display}
    subprocess.run(["xrandr", *args], env=env, check=True, capture_output=True, timeout=10)


@contextlib.contextmanager
def start_xvfb(
    screens: Sequence[tuple[int, int]] = ((1920, 1080),),
    *,
    depth: int = 24,
    timeout_s: float = 10.0,
) -> Iterator[XServer]:
    """Run Xvfb on a free display with ``screens`` side by side; kill it on exit."""
    if not have_xvfb():
        missing("Xvfb is not installed (apt-get install xvfb)")
    if len(screens) > 1 and shutil.which("xrandr") is None:
        missing("multi-monitor layouts need xrandr (apt-get install x11-xserver-utils)")
    width = sum(w for w, _ in screens)
    height = max(h for _, h in screens)
    for _attempt in range(5):
        number = _free_display_number()
        proc = subprocess.Popen(
            [
                "Xvfb",
                f":{number}",
                "-screen",
                "0",
                f"{width}x{height}x{depth}",
                "-nolisten",
                "tcp",
                "-noreset",
                "-dpi",
                str(DPI),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and proc.poll() is None:
            if _accepts_connections(number):
                break
            time.sleep(0.05)
        if proc.poll() is None and _accepts_connections(number):
            break
        _kill(proc)
    else:
        raise RuntimeError("Xvfb did not start on any display number")
    display = f":{number}"
    server = XServer(display, number, proc.pid, width, height)
    try:
        left = 0
        if len(screens) > 1:
            for i, (w, h) in enumerate(screens):
                mm_w, mm_h = round(w * 25.4 / DPI), round(h * 25.4 / DPI)
                # The first monitor takes over Xvfb's single output so that the automatic
                # full-screen monitor disappears from the list.
                output = "screen" if i == 0 else "none"
                _run_xrandr(
                    display,
                    ["--setmonitor", f"FLARE-{i}", f"{w}/{mm_w}x{h}/{mm_h}+{left}+0", output],
                )
                server.monitors.append((left, 0, w, h))
                left += w
        else:
            server.monitors.append((0, 0, width, height))
        yield server
    finally:
        _kill(proc)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(5)



PAINTER = Path(__file__).with_name("paint_window.py")


@contextmanager
def painted(
    server: XServer, tmp: Path, images: list[tuple[Image.Image, int, int]], tick: float = 0
):
    specs = []
    for i, (img, x, y) in enumerate(images):
        path = tmp / f"paint-{i}.bmp"
        img.save(path)
        specs.append(f"{path}@{x},{y}")
    cmd = [sys.executable, str(PAINTER), *specs] + (["--tick", str(tick)] if tick else [])
    proc = subprocess.Popen(
        cmd, env=server.env(QT_QPA_PLATFORM="xcb"), stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", f"painter failed: {line!r}"
        time.sleep(0.1)  # let the X server finish the last expose
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def known_content(width: int, height: int, seed: int) -> Image.Image:
    """Random 128x128 tiles (different per monitor) with a coloured frame: every pixel counts."""
    rnd = random.Random(seed)
    tile = Image.frombytes("RGB", (128, 128), rnd.randbytes(128 * 128 * 3))
    img = Image.new("RGB", (width, height))
    for y in range(0, height, 128):
        for x in range(0, width, 128):
            img.paste(tile.rotate(90 * ((x + y) // 128 % 4)), (x, y))
    img.paste((seed * 50 % 256, 200, 30), (0, 0, width, 8))
    return img
