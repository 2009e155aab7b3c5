"""A desktop for journeys: Xvfb, a window manager, a session bus with AT-SPI, the real `flare`.

A :class:`Person` drives it the way a person does: the keyboard and the mouse through the X
server (XTEST, via xdotool), into whatever has the focus. AT-SPI (:mod:`tests.journey.atspi`)
tells where things are and what they hold; nothing here calls a widget. Every step can leave
a screenshot in ``JOURNEY_SHOTS`` (default ``build/journey``), which CI keeps.

Everything started here is stopped by PID when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.integration.xserver import XServer, start_xvfb
from tests.journey.atspi import Atspi, Node, Screen
from tests.needs import missing
from tests.proc import stop_process

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("JOURNEY_SHOTS", ROOT / "build" / "journey"))
TYPE_DELAY_MS = 50  # a quick typist: 20 characters a second
TOOLS = ("Xvfb", "openbox", "xdotool", "dbus-daemon", "import", "xprop")


def need_tools(*extra: str) -> None:
    for tool in (*TOOLS, *extra):
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (see .ci/run for the packages)")


def flare_command() -> list[str]:
    """The installed `flare` entry point of this environment: the real program."""
    script = Path(sys.executable).with_name("flare")
    if not script.exists():
        missing(f"{script} is missing: install Flare with `pip install -e .`")
    return [str(script)]


@dataclass
class Desktop:
    xs: XServer
    home: Path
    env: dict[str, str]
    shots: Path
    pids: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _shot_no: int = 0

    def run(self, *args: str, check: bool = True, timeout: float = 20) -> str:
        out = subprocess.run(list(args), env=self.env, capture_output=True, text=True,
                             timeout=timeout)
        if check and out.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({out.returncode}): {out.stderr.strip()}")
        return out.stdout

    def screenshot(self, name: str) -> Path:
        self._shot_no += 1
        path = self.shots / f"{self._shot_no:02d}-{name}.png"
        self.run("import", "-window", "root", str(path))
        return path

    def start(self, args: list[str], log_name: str, **env: str) -> subprocess.Popen[bytes]:
        log = open(self.shots / f"{log_name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(args, env={**self.env, **env}, cwd=self.home, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.pids.append(proc)
        return proc

    def active_window_name(self) -> str:
        return self.run("xdotool", "getactivewindow", "getwindowname", check=False).strip()

    def wait_window(self, name: str, timeout_s: float = 20.0) -> str:
        """Wait until a window whose title contains ``name`` is the active one; its id."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ids = self.run("xdotool", "search", "--onlyvisible", "--name", name,
                           check=False).split()
            if ids:
                active = self.run("xdotool", "getactivewindow", check=False).strip()
                if active in ids:
                    return active
            time.sleep(0.1)
        raise AssertionError(f"no active window named {name!r} after {timeout_s} s "
                             f"(active: {self.active_window_name()!r})")


def write_settings(home: Path, settings: Mapping[str, Any]) -> None:
    """The person's own settings file (what the Settings dialog writes)."""
    folder = home / "config" / "Flare"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(dict(settings)), encoding="utf-8")


def write_policy(home: Path, managed: Mapping[str, Any]) -> Path:
    """A policy folder as IT would deploy it; handed over with FLARE_POLICY_DIR."""
    folder = home / "policy"
    (folder / "managed").mkdir(parents=True, exist_ok=True)
    (folder / "managed" / "journey.json").write_text(json.dumps(dict(managed)),
                                                     encoding="utf-8")
    return folder


@contextlib.contextmanager
def desktop(tmp: Path, name: str, *, language: str = "en", size: tuple[int, int] = (1280, 900),
            tray: bool = False, layout: str = "us") -> Iterator[Desktop]:
    """A fresh desktop session for one journey."""
    need_tools(*(("trayer",) if tray else ()))
    shots = SHOTS / name
    if shots.exists():
        shutil.rmtree(shots)
    shots.mkdir(parents=True)
    home = tmp / "home"
    runtime = tmp / "run"
    for d in (home, runtime):
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
    locale = {"en": "en_US.UTF-8", "ru": "ru_RU.UTF-8", "uk": "uk_UA.UTF-8"}[language]
    with start_xvfb([size]) as xs:
        env = xs.env(
            HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
            XDG_STATE_HOME=str(home / "state"), XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"), XDG_RUNTIME_DIR=str(runtime),
            QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            LANG=locale, LANGUAGE=language, LC_ALL="C.UTF-8",
            NO_AT_BRIDGE="0",
        )
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        bus_path = runtime / "bus"
        out = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-pid=1",
             f"--address=unix:path={bus_path}"],
            env=env, capture_output=True, text=True, timeout=10, check=True)
        bus_pid = int(out.stdout.split()[0])
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus_path}"
        d = Desktop(xs, home, env, shots)
        try:
            # Qt joins the accessibility bus only once it exists: start it before any app.
            d.run("dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
                  "/org/a11y/bus", "org.a11y.Bus.GetAddress")
            if layout != "us":
                d.run("setxkbmap", "-layout", layout)
            wm = d.start(["openbox", "--sm-disable"], "openbox")
            deadline = time.monotonic() + 10
            while "_NET_SUPPORTING_WM_CHECK(WINDOW)" not in d.run("xprop", "-root", check=False):
                if time.monotonic() > deadline or wm.poll() is not None:
                    raise RuntimeError("openbox did not start")
                time.sleep(0.05)
            if tray:
                d.start(["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
                         "--width", "120", "--height", "24", "--SetDockType", "true",
                         "--SetPartialStrut", "true"], "trayer")
            yield d
        finally:
            for proc in reversed(d.pids):
                stop_process(proc, timeout_s=5)
            with contextlib.suppress(ProcessLookupError):
                os.kill(bus_pid, 15)


def _keysym_name(ch: str) -> str:
    """The X keysym name xmodmap prints for a letter the layout has (Cyrillic and Latin-1)."""
    import unicodedata

    name = unicodedata.name(ch, "")
    if name.startswith("CYRILLIC "):
        letter = name.split()[-1].lower()
        return ("Cyrillic_" + letter.upper()) if "CAPITAL" in name else "Cyrillic_" + letter
    return name


class Person:
    """Keyboard and mouse through the X server, at a person's speed."""

    def __init__(self, d: Desktop, app_name: str = "Flare") -> None:
        self.d = d
        self.atspi = Atspi(d.env["DBUS_SESSION_BUS_ADDRESS"])
        self.screen = Screen(self.atspi, app_name)
        self.keys = 0  # keys pressed besides typed text, and clicks: what the goal counts
        self.clicks = 0

    def close(self) -> None:
        self.atspi.close()

    def type(self, text: str) -> None:
        self._map_missing_keys(text)
        self.d.run("xdotool", "type", "--delay", str(TYPE_DELAY_MS), "--", text,
                   timeout=30 + len(text) * 0.2)
        time.sleep(0.2)

    def _map_missing_keys(self, text: str) -> None:
        """Give every character the keyboard lacks (« » — №) a key of its own first, as a
        layout would. xdotool otherwise remaps a key for each such character and maps it
        back at once, and the application reads the key after the map is gone: the
        character is lost, which no person with such a key would see."""
        table = self.d.run("xmodmap", "-pke")
        have: set[str] = set()
        spare: list[int] = []
        for line in table.splitlines():
            code, _, syms = line.partition("=")
            names = syms.split()
            have.update(names)
            if not names:
                spare.append(int(code.split()[1]))
        wanted = []
        for ch in dict.fromkeys(text):
            name = f"U{ord(ch):04X}"
            if ch.isascii() or name in have or _keysym_name(ch) in have:
                continue
            wanted.append(name)
        if not wanted:
            return
        if len(wanted) > len(spare):
            raise RuntimeError("not enough spare key codes for " + " ".join(wanted))
        args = []
        for code, name in zip(reversed(spare), wanted, strict=False):
            args += ["-e", f"keycode {code} = {name} {name}"]
        self.d.run("xmodmap", *args)
        time.sleep(0.3)  # let the application read the new map

    def key(self, *keys: str) -> None:
        for k in keys:
            self.d.run("xdotool", "key", "--delay", "80", k)
            self.keys += 1
            time.sleep(0.15)

    def click(self, node: Node, button: int = 1) -> None:
        x, y = node.centre
        self.d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", str(button))
        self.clicks += 1
        time.sleep(0.3)

    def double_click(self, node: Node) -> None:
        """Two clicks in quick succession (counted as two)."""
        x, y = node.centre
        self.d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "--repeat", "2",
                   "--delay", "80", "1")
        self.clicks += 2
        time.sleep(0.3)

    def move(self, x: int, y: int) -> None:
        self.d.run("xdotool", "mousemove", "--sync", str(x), str(y))

    def wheel(self, down: int) -> None:
        button = "5" if down > 0 else "4"
        for _ in range(abs(down)):
            self.d.run("xdotool", "click", button)
            time.sleep(0.05)
        time.sleep(0.3)

    def focused_text(self) -> str:
        return self.atspi.text(self.screen.focused())
