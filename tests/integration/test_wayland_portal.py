"""Wayland for real: a headless sway with xdg-desktop-portal-wlr (tests/wayland.py), a Qt
window painting a known picture, and Flare capturing through the Screenshot portal with no X
display at all. The portal's image is compared with grim's (wlr-screencopy, the compositor's
own view), so a wrong, stale or blank frame fails."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.context import AppContext
from app.wiring import ScreenCapturer
from tests.integration.wayland_window import QUADRANTS
from tests.wayland import WaylandSession, start_wayland

pytestmark = pytest.mark.wayland

WINDOW = Path(__file__).with_name("wayland_window.py")
WIDTH, HEIGHT = 1280, 800


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WaylandSession]:
    with start_wayland(WIDTH, HEIGHT) as wl:
        qt = subprocess.Popen([sys.executable, str(WINDOW)],
                              env=wl.env(QT_QPA_PLATFORM="wayland"),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            assert qt.stdout is not None
            assert qt.stdout.readline().startswith("ready"), "the Wayland test window failed"
            _wait_until_tiled(wl, tmp_path_factory.mktemp("grim"))
            yield wl
        finally:
            qt.terminate()
            qt.wait(10)


def _wait_until_tiled(wl: WaylandSession, folder: Path) -> None:
    """sway first maps the window at its own size, then tiles it over the output."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with _grim(wl, folder) as shot:
            if shot.getpixel((WIDTH - 5, HEIGHT - 5)) == _rgb(QUADRANTS[3]):
                return
        time.sleep(0.05)
    raise AssertionError("sway never tiled the test window over the output")


def _grim(wl: WaylandSession, folder: Path) -> Image.Image:
    dest = folder / f"grim-{time.monotonic_ns()}.png"
    wl.grim(dest)
    return Image.open(dest)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def flare(wl: WaylandSession, tmp: Path, *args: str, stdin: str = ""
          ) -> subprocess.CompletedProcess[str]:
    home = tmp / "home"
    env = wl.env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                 XDG_DATA_HOME=str(home / ".local/share"),
                 XDG_STATE_HOME=str(home / ".local/state"), XDG_CACHE_HOME=str(home / ".cache"))
    assert "DISPLAY" not in env
    return subprocess.run([sys.executable, "-m", "app.cli", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


def assert_shows_the_window(image: Image.Image, reference: Image.Image) -> None:
    """Pixel for pixel what grim sees, except the timestamp Flare burns into a corner."""
    assert image.size == reference.size == (WIDTH, HEIGHT)
    for i, colour in enumerate(QUADRANTS):
        x = (i % 2) * WIDTH // 2 + WIDTH // 4
        y = (i // 2) * HEIGHT // 2 + HEIGHT // 4
        assert image.getpixel((x, y)) == _rgb(colour), f"quadrant {i}"
    diff = ImageChops.difference(image.convert("RGB"), reference.convert("RGB")).getbbox()
    assert diff is not None, "no stamp at all: is this the raw portal file?"
    left, top, right, bottom = diff
    # The stamp is small and in one corner (bottom right by default); the rest is identical.
    assert (right - left) * (bottom - top) < WIDTH * HEIGHT // 50, diff
    assert left > WIDTH // 2 and top > HEIGHT // 2, diff


def test_flare_capture_grabs_the_screen_through_the_portal(
        session: WaylandSession, tmp_path: Path) -> None:
    out = tmp_path / "shots"
    started = time.monotonic()
    done = flare(session, tmp_path, "capture", "--out", str(out))
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    [image_path] = [Path(line) for line in done.stdout.split()]
    assert image_path.parent == out
    reference = _grim(session, tmp_path)
    with Image.open(image_path) as img:
        assert_shows_the_window(img, reference)
    assert took < 15, f"flare capture took {took:.1f} s"


def test_concurrent_captures_each_get_a_whole_picture(
        session: WaylandSession, tmp_path: Path) -> None:
    """xdpw writes every shot to one fixed file: without serialising the calls and moving the
    file away at once, one process reads a half-written file or finds it gone."""
    home = tmp_path / "home"
    env = session.env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_STATE_HOME=str(home / ".local/state"))
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "capture", "--out",
                               str(tmp_path / f"p{i}")], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(3)]
    results = [(*p.communicate(timeout=60), p.returncode) for p in procs]
    assert [rc for _o, _e, rc in results] == [0, 0, 0], [e for _o, e, _rc in results]
    reference = _grim(session, tmp_path)
    for stdout, _err, _rc in results:
        with Image.open(stdout.strip()) as img:
            assert_shows_the_window(img, reference)


def test_the_report_windows_capturer_works_on_wayland(
        session: WaylandSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DISPLAY", "XAUTHORITY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in session.env().items():
        monkeypatch.setenv(key, value)
    ctx = AppContext.for_tests(tmp_path, destination__image_format="png")
    step, data = ScreenCapturer(ctx).capture(1)
    assert step.media_type == "image/png"
    with Image.open(io.BytesIO(data)) as img:
        assert_shows_the_window(img, _grim(session, tmp_path))


def test_doctor_says_once_what_wayland_cannot_do(session: WaylandSession, tmp_path: Path
                                                 ) -> None:
    done = flare(session, tmp_path, "doctor")
    lines = done.stdout.splitlines()
    capture = [line for line in lines if "screen capture" in line]
    assert capture and capture[0].startswith("[ ok ]") and "portal" in capture[0], done.stdout
    wayland = [line for line in lines if "Wayland does not let" in line]
    assert len(wayland) == 1, done.stdout
    assert wayland[0].startswith("[ ok ] wayland:"), wayland
    assert all(w in wayland[0] for w in ("clicks", "titles", "keyboard")), wayland
    # Said once: no separate warning for capture on click or the shortcut.
    assert not any("capture on click" in line for line in lines), done.stdout
    assert not any(line.startswith(("[warn]", "[FAIL]")) for line in lines), done.stdout
    assert done.returncode == 0, done.stdout


def test_record_with_clicks_says_it_once_and_records_with_enter(
        session: WaylandSession, tmp_path: Path) -> None:
    done = flare(session, tmp_path, "record", "--clicks", "--out", str(tmp_path / "rec"),
                 stdin="\nq\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Wayland does not let") == 1, done.stdout
    assert "flare:" not in done.stderr, done.stderr  # not an error
    assert "captured: 1" in done.stdout or "captured: Step 1" in done.stdout, done.stdout
    assert list((tmp_path / "rec").iterdir()), "no bundle written"
