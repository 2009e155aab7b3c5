"""The active window on a real X server that requires an authority cookie, managed by openbox:
its Cyrillic title and the program behind it come out, read through EWMH."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from capture.platform_info import PlatformInfo
from capture.window_title import ActiveWindow, active_window, active_window_title
from tests.integration.xserver import (
    XServer,
    _accepts_connections,
    _free_display_number,
    start_xvfb,
)
from tests.needs import missing
from tests.proc import stop_process

TITLE = "Бухгалтерия — счёт №5 (черновик)"

# A real toolkit window: Qt sets _NET_WM_NAME, _NET_WM_PID and WM_CLIENT_MACHINE itself.
QT_WINDOW = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
w.setWindowTitle({TITLE!r})
w.resize(400, 300)
w.show()
QTimer.singleShot(100, lambda: print("ready", flush=True))
app.exec()
"""


@dataclass
class CookieServer:
    display: str
    authority: Path


@pytest.fixture
def cookie_xserver(tmp_path: Path) -> Iterator[CookieServer]:
    """Xvfb that admits only clients presenting its MIT-MAGIC-COOKIE-1."""
    for tool, package in (("Xvfb", "xvfb"), ("xauth", "xauth")):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (apt-get install {package})")
    number = _free_display_number()
    authority = tmp_path / "Xauthority"
    subprocess.run(
        ["xauth", "-f", str(authority), "add", f":{number}", ".", secrets.token_hex(16)],
        check=True,
        capture_output=True,
        timeout=10,
    )
    proc = subprocess.Popen(
        ["Xvfb", f":{number}", "-auth", str(authority), "-nolisten", "tcp", "-noreset",
         "-screen", "0", "1280x800x24"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while not _accepts_connections(number):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Xvfb with an authority file did not start")
            time.sleep(0.05)
        yield CookieServer(f":{number}", authority)
    finally:
        stop_process(proc)


def _start(args: list[str], server: CookieServer) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env.update(DISPLAY=server.display, XAUTHORITY=str(server.authority), QT_QPA_PLATFORM="xcb")
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _wait_for(platform: PlatformInfo, title: str, timeout_s: float = 15) -> ActiveWindow | None:
    deadline = time.monotonic() + timeout_s
    window = None
    while time.monotonic() < deadline:
        window = active_window(platform, timeout_s=2)
        if window is not None and window.title == title:
            break
        time.sleep(0.1)
    return window


def test_title_and_program_of_the_active_window(
    cookie_xserver: CookieServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("openbox") is None:
        missing("openbox is not installed (apt-get install openbox)")
    monkeypatch.setenv("XAUTHORITY", str(cookie_xserver.authority))
    platform = PlatformInfo("linux", x11_display=cookie_xserver.display)
    # No window manager yet: nobody keeps _NET_ACTIVE_WINDOW, so the answer is "unknown".
    assert active_window(platform) is None

    wm = _start(["openbox", "--sm-disable"], cookie_xserver)
    app = None
    try:
        app = _start([sys.executable, "-c", QT_WINDOW], cookie_xserver)
        assert app.stdout is not None and app.stdout.readline().strip() == b"ready"
        window = _wait_for(platform, TITLE)
        assert window is not None and window.title == TITLE
        assert window.pid == app.pid
        assert window.process == psutil.Process(app.pid).name()
        assert active_window_title(platform) == TITLE
    finally:
        if app is not None:
            stop_process(app)
        stop_process(wm)


def test_without_the_cookie_the_server_refuses_and_the_answer_is_unknown(
    cookie_xserver: CookieServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-cookie"
    empty.write_bytes(b"")
    monkeypatch.setenv("XAUTHORITY", str(empty))
    started = time.monotonic()
    assert active_window(PlatformInfo("linux", x11_display=cookie_xserver.display)) is None
    assert time.monotonic() - started < 2.5


# The cases a window manager and a toolkit do not stage on demand: a client of this test sets
# the properties itself, as any X client may, and names its window the active one.


@pytest.fixture
def plain_xserver() -> Iterator[XServer]:
    with start_xvfb([(640, 480)]) as server:
        yield server


def _set_active(server_display: str, props: dict[str, tuple[str, int, bytes | list[int]]],
                ) -> tuple[object, int]:
    from Xlib import X, display

    conn = display.Display(server_display)
    root = conn.screen().root
    window = root.create_window(0, 0, 100, 100, 0, X.CopyFromParent)
    for name, (type_name, fmt, value) in props.items():
        window.change_property(conn.intern_atom(name), conn.intern_atom(type_name), fmt, value)
    root.change_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), conn.intern_atom("WINDOW"),
                         32, [window.id])
    conn.sync()
    return conn, window.id


def test_a_latin1_title_and_a_local_pid(plain_xserver: XServer) -> None:
    conn, _ = _set_active(plain_xserver.display, {
        "WM_NAME": ("STRING", 8, "Café — Übersicht".encode("latin-1", "replace")),
        "_NET_WM_PID": ("CARDINAL", 32, [os.getpid()]),
        "WM_CLIENT_MACHINE": ("STRING", 8, socket.gethostname().encode()),
    })
    try:
        window = active_window(PlatformInfo("linux", x11_display=plain_xserver.display))
    finally:
        conn.close()  # type: ignore[attr-defined]
    # No _NET_WM_NAME: the ICCCM title, read as Latin-1 ("—" is not Latin-1: it became "?").
    assert window == ActiveWindow("Café ? Übersicht", os.getpid(),
                                  psutil.Process(os.getpid()).name())


def test_a_window_of_another_machine_has_no_local_program(plain_xserver: XServer) -> None:
    conn, _ = _set_active(plain_xserver.display, {
        "_NET_WM_NAME": ("UTF8_STRING", 8, "Терминал — сервер".encode()),
        "_NET_WM_PID": ("CARDINAL", 32, [os.getpid()]),
        "WM_CLIENT_MACHINE": ("STRING", 8, b"build-server-7"),
    })
    try:
        window = active_window(PlatformInfo("linux", x11_display=plain_xserver.display))
    finally:
        conn.close()  # type: ignore[attr-defined]
    assert window == ActiveWindow("Терминал — сервер", None, None)


def test_an_active_window_that_is_gone_reads_as_untitled(plain_xserver: XServer) -> None:
    conn, window_id = _set_active(plain_xserver.display, {
        "_NET_WM_NAME": ("UTF8_STRING", 8, b"closing"),
    })
    try:
        conn.create_resource_object("window", window_id).destroy()  # type: ignore[attr-defined]
        conn.sync()  # type: ignore[attr-defined]
        started = time.monotonic()
        window = active_window(PlatformInfo("linux", x11_display=plain_xserver.display))
        # The server answers BadWindow for each property: no title, no wait, no crash.
        assert window == ActiveWindow(None, None, None)
        assert time.monotonic() - started < 0.5
    finally:
        conn.close()  # type: ignore[attr-defined]
