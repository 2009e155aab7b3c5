"""`flare --autostart`, what the login entries run (XDG autostart, the Windows Run key, the macOS
LaunchAgent): the setting `general.autostart` decides whether it starts at all, and on a desktop
without a tray it opens no window at login (the delivery agent runs instead), yet the menu
entry's `flare` still opens the report window. Real Flare processes on a real X server (Xvfb,
no tray).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.xserver import start_xvfb
from tests.needs import missing
from tests.proc import stop_process

ROOT = Path(__file__).resolve().parents[2]
FLARE = [sys.executable, "-c", "from app.cli import run; run()"]
TITLE = "Report a problem"


def environment(tmp: Path, *, user: dict[str, object], policy: dict[str, object]) -> dict[str, str]:
    home = tmp / "home"
    runtime = tmp / "runtime"
    for folder in (home / ".config/Flare", runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    (home / ".config/Flare/settings.json").write_text(json.dumps(user), "utf-8")
    managed = tmp / "policy/managed"
    managed.mkdir(parents=True)
    (managed / "10-autostart.json").write_text(json.dumps(policy), "utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "FLARE_POLICY_DIR", "QT_QPA_PLATFORM")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
        FLARE_POLICY_DIR=str(tmp / "policy"),
        PYTHONPATH=str(ROOT),
    )
    return env


def test_turned_off_by_the_user_the_login_start_exits_before_qt_loads(tmp_path: Path) -> None:
    env = environment(tmp_path, user={"general.autostart": False}, policy={})
    probe = (
        "import sys\nfrom app.cli import main\n"
        "code = main(['--autostart'])\n"
        "print(code, 'PySide6' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["0", "False"], done.stdout + done.stderr
    # The same user with the setting on tries to start (and, with no display, says so).
    env = environment(tmp_path / "on", user={"general.autostart": True}, policy={})
    started = subprocess.run(
        [*FLARE, "--autostart"], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode == 4, started.stdout + started.stderr
    assert "display" in started.stderr.lower()


def visible_windows(display: str, name: str) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return found.stdout.split()


@pytest.mark.xvfb
def test_without_a_tray_the_login_start_opens_no_window_and_the_menu_entry_does(
    tmp_path: Path,
) -> None:
    if shutil.which("xdotool") is None:
        missing("xdotool is missing (apt-get install xdotool)")
    # Policy wins over the user: the administrator keeps the login start on.
    env = environment(
        tmp_path, user={"general.autostart": False}, policy={"general.autostart": True}
    )
    with start_xvfb([(1280, 800)]) as xs:
        env.update(DISPLAY=xs.display, QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11")
        login = subprocess.Popen(
            [*FLARE, "--autostart"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            # A session never waits for autostart entries: Flare must stay up, windowless (the
            # first 15 s it waits for a panel's tray, then it is the agent).
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and login.poll() is None:
                assert visible_windows(xs.display, TITLE) == [], "a window opened at login"
                time.sleep(0.5)
            if login.poll() is not None:
                _, err = login.communicate(timeout=5)
                pytest.fail(f"flare --autostart exited with {login.returncode}: {err.decode()}")
            # Without a tray the login start is the delivery agent (no Qt, no window).
            status = subprocess.run([*FLARE, "agent", "--status"], env=env,
                                    capture_output=True, text=True, timeout=60)
            assert "The agent (process" in status.stdout, status.stdout + status.stderr
            # The menu entry's plain `flare` opens the report window (in a process of its own,
            # which hands delivery back to the agent when it closes).
            menu = subprocess.Popen(FLARE, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and not visible_windows(xs.display, TITLE):
                    time.sleep(0.3)
                assert visible_windows(xs.display, TITLE), "the menu entry opened no window"
                assert login.poll() is None, "the agent stays while the window is open"
            finally:
                stop_process(menu)
        finally:
            stop_process(login)
