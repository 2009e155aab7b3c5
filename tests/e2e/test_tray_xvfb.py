"""The tray app on a real X server with a real tray host (trayer), driven with xdotool."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.integration.xserver import XServer, start_xvfb
from tests.needs import missing
from tests.proc import stop_process

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


def _need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (see .ci/run for the packages)")


def _env(xs: XServer, home: Path) -> dict[str, str]:
    return xs.env(
        HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM="xcb", LANG="C.UTF-8", LC_ALL="C.UTF-8",
    )


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as fh:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            stop_process(proc, timeout_s=5)


def _wait(cond: Callable[[], object], timeout: float = 15.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = cond()
        if got:
            return got
        time.sleep(0.2)
    return None


def _tree(env: dict[str, str]) -> str:
    return subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                          text=True, timeout=10).stdout


def _windows_named(env: dict[str, str], name: str) -> list[str]:
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env,
                         capture_output=True, text=True, timeout=10).stdout
    return out.split()


def _tray_icon_centre(env: dict[str, str]) -> tuple[int, int] | None:
    """Where the Flare icon sits inside trayer's panel (absolute coordinates)."""
    for line in _tree(env).splitlines():
        m = re.search(r'"Flare": \("[^"]*" "Flare"\)\s+(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(\d+)\+(\d+)',
                      line)
        if m and int(m.group(1)) < 64:
            w, h, x, y = map(int, m.groups())
            return x + w // 2, y + h // 2
    return None


def _flare(env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "app.cli"]


def test_tray_icon_menu_and_single_instance(tmp_path: Path) -> None:
    _need("trayer", "xdotool", "xwininfo")
    with start_xvfb([(1024, 768)]) as xs:
        env = _env(xs, tmp_path)
        tray_cmd = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
                    "--width", "200", "--heighttype", "pixel", "--height", "32"]
        with _process(tray_cmd, env, tmp_path / "trayer.log"), \
                _process(_flare(env), env, tmp_path / "flare.log") as flare:
            centre = _wait(lambda: _tray_icon_centre(env))
            assert centre, (tmp_path / "flare.log").read_text() + _tree(env)
            assert isinstance(centre, tuple)
            assert not _windows_named(env, "Report a problem"), "with a tray, no window at start"

            # The menu: right click, then the first entry ("Report a problem…") by keyboard.
            # On a loaded machine the menu may take longer than the keystrokes: try again
            # (Escape closes a half-open menu) rather than sleeping longer every time.
            opened = None
            for _attempt in range(3):
                subprocess.run(["xdotool", "mousemove", str(centre[0]), str(centre[1]),
                                "click", "3"], env=env, check=True, timeout=10)
                time.sleep(1.0)
                subprocess.run(["xdotool", "key", "Down", "Return"], env=env, check=True,
                               timeout=10)
                opened = _wait(lambda: _windows_named(env, "Report a problem"), timeout=5)
                if opened:
                    break
                subprocess.run(["xdotool", "key", "Escape"], env=env, check=False, timeout=10)
            assert opened, (tmp_path / "flare.log").read_text()

            # A second `flare` hands over to the first and exits.
            second = subprocess.run(_flare(env), env=env, cwd=ROOT, capture_output=True,
                                    text=True, timeout=60)
            assert second.returncode == 0, second.stderr
            assert len(_windows_named(env, "Report a problem")) == 1
            assert flare.poll() is None, "the first instance keeps running"


def test_without_a_tray_the_window_opens_and_says_how(tmp_path: Path) -> None:
    _need("xdotool")
    with start_xvfb([(1024, 768)]) as xs:
        env = _env(xs, tmp_path)
        log = tmp_path / "flare.log"
        with _process(_flare(env), env, log):
            assert _wait(lambda: _windows_named(env, "Report a problem")), log.read_text()
            assert "AppIndicator" in log.read_text()
