"""Platform paths that cannot run here (Wayland portal, macOS permission, Windows), with fakes."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image

from capture.blank import blank_message, check_not_blank, is_blank
from capture.clicks import start_click_listener
from capture.errors import BlankCaptureError, CaptureError, PortalUnavailableError
from capture.geometry import Rect
from capture.grab import Grabber, open_source
from capture.macos import ensure_screen_recording_permission
from capture.platform_info import PlatformInfo
from capture.portal import PortalSource, portal_screenshot
from capture.session_lock import Login1LockProbe

LINUX_X11 = PlatformInfo("linux", wayland=False, x11_display=":5")
WAYLAND = PlatformInfo("linux", wayland=True, x11_display=":0")
MACOS = PlatformInfo("darwin")
WINDOWS = PlatformInfo("windows")


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("env", "plat", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", PlatformInfo("linux", False, ":0")),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", WAYLAND),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", PlatformInfo("linux", True, "")),
        (
            {"XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "w", "DISPLAY": ":1"},
            "linux",
            PlatformInfo("linux", False, ":1"),
        ),
        ({}, "win32", WINDOWS),
        ({}, "darwin", MACOS),
    ],
)
def test_platform_detection(env: dict[str, str], plat: str, expected: PlatformInfo) -> None:
    assert PlatformInfo.detect(env, plat) == expected


def test_wayland_uses_the_portal_even_with_xwayland_present() -> None:
    assert WAYLAND.backend == "portal"
    assert LINUX_X11.backend == "mss"
    assert MACOS.backend == "mss"


def test_no_display_at_all_is_an_environment_error() -> None:
    with pytest.raises(CaptureError, match="No graphical display") as info:
        open_source(PlatformInfo("linux", False, ""))
    assert info.value.exit_code == 4


# --------------------------------------------------------------------------- blank images


def test_blank_detection() -> None:
    assert is_blank(Image.new("RGB", (50, 40), (0, 0, 0)))
    assert is_blank(Image.new("RGB", (50, 40), (200, 10, 10)))
    assert is_blank(Image.new("RGB", (0, 0)))
    img = Image.new("RGB", (50, 40), (0, 0, 0))
    img.putpixel((49, 39), (0, 0, 1))
    assert not is_blank(img)


def test_blank_messages_name_the_platform_fix() -> None:
    mac = blank_message(MACOS, 10, 10)
    assert "System Settings > Privacy & Security > Screen Recording" in mac
    assert "xdg-desktop-portal" in blank_message(WAYLAND, 10, 10)
    assert "locked" in blank_message(WINDOWS, 10, 10)
    with pytest.raises(BlankCaptureError, match="one flat colour"):
        check_not_blank(Image.new("RGB", (4, 4)), LINUX_X11)


class _FlatSource:
    def monitors(self) -> list[Any]:
        from capture.geometry import monitors_from_mss

        return monitors_from_mss([{"left": 0, "top": 0, "width": 8, "height": 8}])

    def grab_raw(self, rect: Rect) -> Any:
        from capture.screen_source import RawGrab

        return RawGrab(bytes(rect.width * rect.height * 4), rect.width, rect.height)

    def close(self) -> None:
        pass


def test_grabber_never_returns_a_black_image_silently() -> None:
    clock = lambda: datetime(2026, 1, 1, tzinfo=UTC)  # noqa: E731
    with pytest.raises(BlankCaptureError, match="Screen Recording"):
        Grabber(_FlatSource(), MACOS, clock=clock).grab(1)
    flagged = Grabber(_FlatSource(), MACOS, clock=clock, refuse_blank=False).grab(1)
    assert "flat colour" in flagged.note


# --------------------------------------------------------------------------- macOS


class _FakeCG:
    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.requested = 0

    def CGPreflightScreenCaptureAccess(self) -> bool:
        return self.allowed

    def CGRequestScreenCaptureAccess(self) -> bool:
        self.requested += 1
        return False


def test_macos_without_permission_explains_where_to_grant_it() -> None:
    cg = _FakeCG(allowed=False)
    with pytest.raises(CaptureError, match="Privacy & Security > Screen Recording"):
        ensure_screen_recording_permission(lambda: cg)
    assert cg.requested == 1


def test_macos_with_permission_or_old_system_passes() -> None:
    cg = _FakeCG(allowed=True)
    ensure_screen_recording_permission(lambda: cg)
    assert cg.requested == 0

    def old_system() -> _FakeCG:
        raise AttributeError("CGPreflightScreenCaptureAccess")

    ensure_screen_recording_permission(old_system)


# --------------------------------------------------------------------------- Wayland portal


class _FakeBus:
    def __init__(self, tmp: Path, code: int = 0, uri: str | None = None) -> None:
        self.tmp, self.code, self.uri = tmp, code, uri
        self.calls: list[str] = []
        self.closed = False

    def screenshot(self, token: str, timeout_s: float) -> tuple[int, dict[str, Any]]:
        self.calls.append(token)
        path = self.tmp / f"Screenshot-{len(self.calls)}.png"
        img = Image.new("RGB", (64, 48), (10, 20, 30))
        img.putpixel((5, 6), (255, 0, 0))
        img.save(path)
        return self.code, {"uri": self.uri or path.as_uri()}

    def close(self) -> None:
        self.closed = True


def test_portal_screenshot_reads_and_removes_the_file(tmp_path: Path) -> None:
    bus = _FakeBus(tmp_path)
    img = portal_screenshot(bus)
    assert img.size == (64, 48)
    assert img.getpixel((5, 6)) == (255, 0, 0)
    assert bus.calls[0].startswith("flare")
    assert list(tmp_path.iterdir()) == []


class _FixedFileBus:
    """Like xdg-desktop-portal-wlr 0.7: every shot goes to one and the same file, and the
    answer comes a moment after the file is written."""

    def __init__(self, path: Path, colours: list[tuple[int, int, int]]) -> None:
        self.path, self.colours = path, colours
        self.lock = threading.Lock()

    def screenshot(self, token: str, timeout_s: float) -> tuple[int, dict[str, Any]]:
        with self.lock:
            colour = self.colours.pop(0)
        Image.new("RGB", (8, 8), colour).save(self.path)
        time.sleep(0.05)  # another caller, unserialised, would overwrite the file now
        return 0, {"uri": self.path.as_uri()}

    def close(self) -> None:
        pass


def test_concurrent_portal_shots_each_read_their_own_file(tmp_path: Path) -> None:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]
    bus = _FixedFileBus(tmp_path / "out.png", list(colours))
    got: list[tuple[int, int, int]] = []

    def shoot() -> None:
        got.append(portal_screenshot(bus).getpixel((0, 0)))

    threads = [threading.Thread(target=shoot) for _ in colours]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert sorted(got) == sorted(colours), "a shot read another one's file"
    assert not (tmp_path / "out.png").exists(), "moved away at once, then deleted"


def test_portal_cancel_and_failure_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="cancelled") as info:
        portal_screenshot(_FakeBus(tmp_path, code=1))
    assert info.value.exit_code == 1
    with pytest.raises(CaptureError, match="response 2"):
        portal_screenshot(_FakeBus(tmp_path, code=2))
    with pytest.raises(CaptureError, match="unusable"):
        portal_screenshot(_FakeBus(tmp_path, uri="https://example.invalid/x.png"))


def test_portal_source_takes_one_shot_per_grab_and_crops(tmp_path: Path) -> None:
    bus = _FakeBus(tmp_path)
    src = PortalSource(bus)
    mons = src.monitors()
    assert mons[1].rect == Rect(0, 0, 64, 48)
    raw = src.grab_raw(Rect(5, 6, 10, 10))
    assert len(bus.calls) == 1  # the size probe's image was reused
    assert raw.to_image().getpixel((0, 0)) == (255, 0, 0)
    src.grab_raw(Rect(0, 0, 64, 48))
    assert len(bus.calls) == 2
    src.close()
    assert bus.closed


def test_portal_unavailable_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import capture.portal as portal

    def broken(*_a: Any, **_k: Any) -> Any:
        raise OSError("no session bus address")

    blocking = SimpleNamespace(open_dbus_connection=broken)
    monkeypatch.setattr(portal.importlib, "import_module", lambda name: blocking)
    with pytest.raises(PortalUnavailableError, match="xdg-desktop-portal-gnome"):
        portal.JeepneyPortalBus()


# --------------------------------------------------------------------------- clicks and locks


def test_click_capture_refuses_wayland_and_explains_missing_pynput() -> None:
    with pytest.raises(CaptureError, match="Wayland"):
        start_click_listener(lambda x, y: None, WAYLAND)

    def missing() -> Any:
        raise ImportError("pynput")

    with pytest.raises(CaptureError, match=r"flare-reporter\[clicks\]"):
        start_click_listener(lambda x, y: None, LINUX_X11, load_mouse=missing)


def test_click_listener_reports_presses_only() -> None:
    seen: list[tuple[int, int]] = []

    class FakeListener:
        def __init__(self, on_click: Any) -> None:
            self.on_click = on_click
            self.started = self.stopped = False

        def start(self) -> None:
            self.started = True
            self.on_click(10.6, 20.2, "left", True)
            self.on_click(10.6, 20.2, "left", False)

        def stop(self) -> None:
            self.stopped = True

    mouse = SimpleNamespace(Listener=FakeListener)
    listener = start_click_listener(
        lambda x, y: seen.append((x, y)), LINUX_X11, load_mouse=lambda: mouse
    )
    assert seen == [(10, 20)]
    listener.stop()


class _FakeConn:
    def __init__(self, locked: bool, error: bool = False) -> None:
        self.locked, self.error = locked, error

    def send_and_get_reply(self, msg: Any, timeout: float) -> Any:
        from jeepney import MessageType

        kind = MessageType.error if self.error else MessageType.method_return
        return SimpleNamespace(
            header=SimpleNamespace(message_type=kind), body=(("b", self.locked),)
        )

    def close(self) -> None:
        pass


def test_login1_lock_probe() -> None:
    pytest.importorskip("jeepney")
    conn = _FakeConn(locked=True)
    probe = Login1LockProbe(lambda: conn)
    assert probe() is True
    conn.locked = False
    assert probe() is False
    failing = Login1LockProbe(lambda: _FakeConn(False, error=True))
    assert failing() is None
    assert failing() is None
