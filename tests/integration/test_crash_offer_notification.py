"""The agent's crash offer through a real notification service (dunst on a private session
bus, on Xvfb): the notification carries a default action, and invoking it (``dunstctl
action``, what a click does) runs the offer's click; a plain close does not."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.notify import freedesktop_offer
from tests.integration.xserver import start_xvfb
from tests.needs import missing
from tests.proc import stop_process

pytestmark = pytest.mark.xvfb


@pytest.fixture
def session_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    for tool in ("dunst", "dunstctl", "dbus-daemon"):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (apt-get install dunst dbus)")
    with start_xvfb([(800, 600)]) as xs:
        runtime = tmp_path / "xdg"
        runtime.mkdir(mode=0o700)
        address = f"unix:path={runtime}/bus"
        env = {**xs.env(), "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path),
               "XDG_CONFIG_HOME": str(tmp_path / "config")}
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", f"--address={address}",
                                "--print-address=1"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            assert bus.stdout is not None
            bus.stdout.readline()
            env["DBUS_SESSION_BUS_ADDRESS"] = address
            monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
            yield env
        finally:
            stop_process(bus)  # dunst, activated by this bus, exits with it


def _dunstctl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True,
                          timeout=10, check=True).stdout


def _wait_shown(env: dict[str, str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if "Currently displayed: 1" in _dunstctl(env, "count"):
            return
        time.sleep(0.05)
    raise AssertionError(_dunstctl(env, "count"))


def test_clicking_the_offer_runs_its_action(session_bus: dict[str, str]) -> None:
    clicked = threading.Event()
    assert freedesktop_offer("Thunderbird closed unexpectedly", "Click to report it.",
                             clicked.set, label="Report", wait_s=20)
    _wait_shown(session_bus)
    assert not clicked.is_set()
    _dunstctl(session_bus, "action", "0")  # the default action, as a click on it
    assert clicked.wait(10)


def test_closing_the_offer_opens_nothing(session_bus: dict[str, str]) -> None:
    clicked = threading.Event()
    assert freedesktop_offer("Thunderbird closed unexpectedly", "Click to report it.",
                             clicked.set, label="Report", wait_s=20)
    _wait_shown(session_bus)
    _dunstctl(session_bus, "close")
    assert not clicked.wait(1.5)


def test_no_notification_service_is_false(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    assert not freedesktop_offer("x", "y", lambda: None, label="Report")
