"""A private headless Wayland desktop for tests: sway + pipewire + a session bus + the portal.

Usage::

    with start_wayland(1280, 800) as wl:
        subprocess.run([...], env=wl.env())     # WAYLAND_DISPLAY set, DISPLAY unset

The steps are the ones measured on Debian 12 (sway 1.7, xdg-desktop-portal 1.16, -wlr 0.7):

* sway refuses to run as root, so it runs as user ``nobody`` through ``setpriv``; its
  ``XDG_RUNTIME_DIR`` belongs to nobody and every parent directory must be traversable.
* ``WLR_BACKENDS=headless``: without it wlroots asks libseat for a tty and fails.
* pipewire must run before the portal, or xdg-desktop-portal-wlr exits and the frontend
  exports no Screenshot interface.
* The session bus is started *after* ``WAYLAND_DISPLAY`` is known, because activated services
  (the portal frontend and xdpw) inherit the bus's activation environment.
* xdg-desktop-portal-wlr is started directly and the frontend only once it owns its name
  (see :func:`_start_portal`).
* ``XDG_DESKTOP_PORTAL_DIR`` points at a minimal portal directory: the wlr backend plus a stub
  that lists the Access interface (1.16 exports Screenshot only if some backend claims
  Access; the stock directory would instead pull in the GTK portal, keyring and gvfs).

Everything started here is stopped by PID; the portal's own processes end with the bus.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.needs import missing
from tests.proc import stop_process

NOBODY = 65534
XDPW = "/usr/libexec/xdg-desktop-portal-wlr"
XDPW_NAME = "org.freedesktop.impl.portal.desktop.wlr"
WLR_PORTAL = Path("/usr/share/xdg-desktop-portal/portals/wlr.portal")
TOOLS = {
    "sway": "sway",
    "pipewire": "pipewire",
    "grim": "grim",
    "dbus-daemon": "dbus",
    "setpriv": "util-linux",
}
ACCESS_STUB = (
    "[portal]\nDBusName=org.freedesktop.impl.portal.desktop.none\n"
    "Interfaces=org.freedesktop.impl.portal.Access;\nUseIn=sway;\n"
)
# Environment a Wayland session has and an X11 one must not leak into it.
DEBUG_ENV = {"G_MESSAGES_DEBUG": "all"} if os.environ.get("FLARE_WAYLAND_DEBUG") else {}
HIDDEN = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY",
          "XDG_RUNTIME_DIR", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "QT_QPA_PLATFORM")


@dataclass
class WaylandSession:
    runtime_dir: Path
    wayland_display: str
    bus_address: str
    sway_pid: int
    home: Path
    portal_start_s: float = 0.0
    """How long the portal frontend and xdpw took to answer for the first time."""

    def env(self, **extra: str) -> dict[str, str]:
        """The current environment as a Wayland session sees it: no DISPLAY at all."""
        env = {k: v for k, v in os.environ.items() if k not in HIDDEN}
        env.update(
            XDG_RUNTIME_DIR=str(self.runtime_dir),
            WAYLAND_DISPLAY=self.wayland_display,
            DBUS_SESSION_BUS_ADDRESS=self.bus_address,
            XDG_SESSION_TYPE="wayland",
            XDG_CURRENT_DESKTOP="sway",
            **extra,
        )
        return env

    def grim(self, dest: Path) -> None:
        """The compositor's own view of the screen (wlr-screencopy), independent of the portal."""
        subprocess.run(["grim", str(dest)], env=self.env(), check=True, capture_output=True,
                       timeout=20)


def check_tools() -> None:
    for tool, package in TOOLS.items():
        if shutil.which(tool) is None:
            missing(f"{tool} is not installed (apt-get install {package})")
    if not (WLR_PORTAL.exists() and Path(XDPW).exists()
            and Path("/usr/libexec/xdg-desktop-portal").exists()):
        missing("xdg-desktop-portal and xdg-desktop-portal-wlr are not installed "
                "(apt-get install xdg-desktop-portal xdg-desktop-portal-wlr)")


def _wait_for(predicate: object, what: str, procs: list[subprocess.Popen[bytes]],
              logs: list[Path], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        for p in procs:
            if p.poll() is not None:
                text = "\n".join(log.read_text(errors="replace")[-2000:] for log in logs
                                 if log.exists())
                raise RuntimeError(f"{what}: a process exited ({p.args!r}):\n{text}")
        time.sleep(0.02)
    raise RuntimeError(f"{what}: not ready after {timeout_s:.0f} s")


@contextlib.contextmanager
def start_wayland(width: int = 1280, height: int = 800) -> Iterator[WaylandSession]:
    """sway (headless, as nobody), pipewire and a session bus with the minimal portal set."""
    check_tools()
    root_run = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="flare-wl-"))
    base.chmod(0o755)  # nobody must traverse it to reach its runtime dir
    runtime, home, portals = base / "xdg", base / "home", base / "portals"
    for d in (runtime, home, portals):
        d.mkdir()
    runtime.chmod(0o700)
    if root_run:
        os.chown(runtime, NOBODY, NOBODY)
        os.chown(home, NOBODY, NOBODY)
    shutil.copy(WLR_PORTAL, portals / WLR_PORTAL.name)
    (portals / "access-stub.portal").write_text(ACCESS_STUB)
    ready = runtime / "sway-ready"
    conf = base / "sway.conf"
    conf.write_text(
        f"output HEADLESS-1 resolution {width}x{height} position 0 0\n"
        "default_border none\nfocus_follows_mouse no\n"
        f"exec_always sh -c 'echo $WAYLAND_DISPLAY > {ready}'\n"
    )
    conf.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in HIDDEN}
    env.update(XDG_RUNTIME_DIR=str(runtime), WLR_BACKENDS="headless",
               WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman", XDG_CURRENT_DESKTOP="sway",
               XDG_SESSION_TYPE="wayland", XDG_DESKTOP_PORTAL_DIR=str(portals))
    procs: list[subprocess.Popen[bytes]] = []
    sway_log, pw_log = base / "sway.log", base / "pipewire.log"
    try:
        drop = (["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
                if root_run else [])
        with sway_log.open("wb") as log:
            # As root, sway runs as nobody (it refuses root); as a user, as that user.
            sway = subprocess.Popen([*drop, "sway", "-c", str(conf)],
                                    env={**env, "HOME": str(home)}, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(sway)
        _wait_for(lambda: ready.exists() and ready.read_text().strip(), "sway", procs,
                  [sway_log])
        display = ready.read_text().strip()
        env["WAYLAND_DISPLAY"] = display
        with pw_log.open("wb") as log:
            pw = subprocess.Popen(["pipewire"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        procs.append(pw)
        _wait_for(lambda: (runtime / "pipewire-0").is_socket(), "pipewire", procs, [pw_log])
        bus_address = f"unix:path={runtime}/bus"
        bus_log = base / "bus.log"
        with bus_log.open("wb") as log:
            # Not forked: its PID is ours to stop, and the portal's messages land in its log.
            bus = subprocess.Popen(
                ["dbus-daemon", "--session", "--nofork", f"--address={bus_address}",
                 "--print-address=1"], env={**env, **DEBUG_ENV}, stdout=subprocess.PIPE,
                stderr=log, start_new_session=True)
        procs.append(bus)
        assert bus.stdout is not None
        bus.stdout.readline()  # printed once it listens
        with (base / "xdpw.log").open("wb") as log:
            xdpw = subprocess.Popen([XDPW, "-l", "DEBUG" if DEBUG_ENV else "WARN"],
                                    env={**env, "DBUS_SESSION_BUS_ADDRESS": bus_address},
                                    stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        procs.append(xdpw)
        _wait_for(lambda: _has_name(bus_address, XDPW_NAME), "xdg-desktop-portal-wlr", procs,
                  [base / "xdpw.log"])
        session = WaylandSession(runtime, display, bus_address, sway.pid, home)
        session.portal_start_s = _start_portal(bus_address)
        yield session
    finally:
        # Last started, first stopped: xdpw, then the bus (the portal frontend, the document
        # portal and the permission store it activated exit with it), pipewire, sway.
        for p in reversed(procs):
            stop_process(p)
        _unmount_doc(runtime)
        if not os.environ.get("FLARE_WAYLAND_DEBUG"):
            shutil.rmtree(base, ignore_errors=True)


def _has_name(bus_address: str, name: str) -> bool:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus_address) as conn:
        return bool(conn.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5).body[0])


def _start_portal(bus_address: str) -> float:
    """Activate the portal before any client does, as a desktop session does at login.

    xdg-desktop-portal-wlr is started by the fixture before this (not by D-Bus activation):
    activated by the frontend, it left the frontend's first answer hanging for D-Bus's 25 s
    timeout in about one run in three; started first, the first answer took 0.04-0.16 s in
    8 runs of 8.
    """
    from jeepney import DBusAddress, MessageType, Properties
    from jeepney.io.blocking import open_dbus_connection

    started = time.monotonic()
    portal = DBusAddress("/org/freedesktop/portal/desktop",
                         bus_name="org.freedesktop.portal.Desktop",
                         interface="org.freedesktop.portal.Screenshot")
    with open_dbus_connection(bus_address) as conn:
        reply = conn.send_and_get_reply(Properties(portal).get("version"), timeout=30)
    if reply.header.message_type == MessageType.error:
        raise RuntimeError(f"the portal has no Screenshot interface: {reply.body!r}")
    return time.monotonic() - started


def _unmount_doc(runtime: Path) -> None:
    # xdg-document-portal mounts FUSE at $XDG_RUNTIME_DIR/doc; normally gone with the bus.
    doc = runtime / "doc"
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and os.path.ismount(doc):
        time.sleep(0.05)
    if os.path.ismount(doc) and shutil.which("fusermount3"):
        subprocess.run(["fusermount3", "-u", str(doc)], capture_output=True, timeout=5,
                       check=False)
