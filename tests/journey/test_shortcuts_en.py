"""Journey: the shortcuts at any time and the region and window screenshots.

With only the tray running, the person presses the "Report a problem" shortcut and the window
appears; with no window open, "Screenshot now" puts a screenshot in the report; from the tray
menu they drag a region over a red test window and click a green one; the report that is sent
to the folder holds all three, each with the size and pixels of what was chosen.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.journey import atspi
from tests.journey.desktop import Desktop, Person, desktop, flare_command, write_settings
from tests.journey.steps import tab_to, tray_icon_centre, tray_menu, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

DESKTOP = (0x33, 0x66, 0x99)
RED, GREEN = (0xD0, 0x20, 0x20), (0x20, 0xB0, 0x40)
COLOUR_WINDOW = Path(__file__).with_name("colour_window.py")
REPORT_KEYS, SHOT_KEYS = "ctrl+shift+F8", "ctrl+shift+F7"


def colour_window(d: Desktop, title: str, colour: tuple[int, int, int],
                  geometry: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Start a solid window; its client area (x, y, w, h) on the screen once painted."""
    hexa = "#" + "".join(f"{c:02x}" for c in colour)
    d.start([sys.executable, str(COLOUR_WINDOW), title, hexa, *map(str, geometry)], title)
    log = d.shots / f"{title}.log"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("ready "):
                x, y, w, h = map(int, line.split()[1:])
                return x, y, w, h
        time.sleep(0.1)
    raise AssertionError(f"the {title} window never painted: {log.read_text()!r}")


def frame_extents(d: Desktop, title: str) -> tuple[int, int, int, int]:
    wid = d.run("xdotool", "search", "--name", title).split()[0]
    out = d.run("xprop", "-id", wid, "_NET_FRAME_EXTENTS")
    left, right, top, bottom = (int(v) for v in out.split("=")[1].split(","))
    return left, right, top, bottom


def press_until(p: Person, d: Desktop, keys: str, title: str) -> None:
    """The shortcut is grabbed once the tray is up; press it until the window shows."""
    for _ in range(5):
        d.run("xdotool", "key", keys)
        p.keys += 1
        try:
            d.wait_window(title, timeout_s=6)
            return
        except AssertionError:
            d.screenshot("no-window-yet")
    raise AssertionError(f"{keys} never opened {title!r}")


def share(img: Image.Image, colour: tuple[int, int, int]) -> float:
    colours = img.getcolors(img.width * img.height) or []
    return sum(n for n, c in colours if c == colour) / (img.width * img.height)


def test_shortcuts_and_region_and_window_screenshots(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "shortcuts-en", language="en", tray=True) as d:
        write_settings(d.home, {"reports.folder": str(out), "reporter.email": "ann@example.org",
                                "capture.hotkey": ""})
        d.run("xsetroot", "-solid", "#336699")
        red = colour_window(d, "Red test", RED, (150, 200, 420, 300))
        green = colour_window(d, "Green test", GREEN, (700, 320, 360, 240))
        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            tray_icon_centre(d)
            d.screenshot("tray-only")
            # (a) "Report a problem" from the keyboard, with no Flare window open.
            press_until(p, d, REPORT_KEYS, "Report a problem — Flare")
            s.find(atspi.ROLE_LIST, "Kind of problem")
            d.screenshot("report-shortcut")
            p.key("Escape")  # closed again: nothing in it yet
            time.sleep(1.0)
            assert "Report a problem" not in d.active_window_name()
            x, y = tray_icon_centre(d)  # the menu names the combinations beside the entries
            d.run("xdotool", "mousemove", "--sync", str(x), str(y), "click", "3")
            time.sleep(0.8)
            d.screenshot("tray-menu")
            d.run("xdotool", "key", "Escape")
            time.sleep(0.3)
            # (b) "Screenshot now", with no report window open; "My reports" is, and is
            # hidden while the screen is taken.
            before = d.screenshot("before-my-reports")
            tray_menu(p, d, 6, "My reports")
            mine = d.run("xdotool", "search", "--name", "My reports").split()[0]
            where = d.run("xdotool", "getwindowgeometry", "--shell", mine)
            geo = dict(line.split("=") for line in where.split())
            centre = (int(geo["X"]) + int(geo["WIDTH"]) // 2,
                      int(geo["Y"]) + int(geo["HEIGHT"]) // 2)
            d.screenshot("my-reports")
            d.run("xdotool", "key", SHOT_KEYS)
            p.keys += 1
            time.sleep(2.0)
            d.screenshot("after-screenshot-now")
            assert mine in d.run("xdotool", "search", "--onlyvisible", "--name", "My reports"), \
                "My reports did not come back after the screenshot"
            d.run("xdotool", "windowactivate", "--sync", mine, "key", "Escape")
            time.sleep(0.5)
            # (c) A region, dragged with the mouse over the red window.
            tray_menu(p, d, 4, "Screenshot of a region")
            d.screenshot("region-overlay")
            x0, y0 = red[0] + 30, red[1] + 40
            x1, y1 = x0 + 240, y0 + 150
            d.run("xdotool", "mousemove", "--sync", str(x0), str(y0), "mousedown", "1")
            for step in range(1, 6):
                d.run("xdotool", "mousemove", "--sync", str(x0 + (x1 - x0) * step // 5),
                      str(y0 + (y1 - y0) * step // 5))
                time.sleep(0.05)
            d.screenshot("region-dragging")
            d.run("xdotool", "mouseup", "1")
            p.clicks += 1
            time.sleep(1.5)
            # (d) A window: the next click picks the green one.
            tray_menu(p, d, 5, "Screenshot of a window")
            d.run("xdotool", "mousemove", "--sync", str(green[0] + 100), str(green[1] + 80))
            time.sleep(0.3)
            d.screenshot("window-overlay")
            d.run("xdotool", "click", "1")
            p.clicks += 1
            time.sleep(1.5)
            # The report holds the three; it is sent from the window as usual.
            press_until(p, d, REPORT_KEYS, "Report a problem — Flare")
            s.find(atspi.ROLE_LIST, "Kind of problem")
            p.key("End", "alt+n")  # "Something else"
            s.find(atspi.ROLE_LABEL, "Tell us what happened")
            for name, text in (
                    ("What were you trying to do?", "Show support the red and green windows."),
                    ("What happened?", "The green window lost its colour after the update."),
                    ("What did you expect to happen?",
                     "Both windows keep the colours the program gave them.")):
                tab_to(p, name)
                p.type(text)
            tab_to(p, "Did you see an error message?")
            p.key("Right", "space")  # "No"
            tab_to(p, "Who is affected?")
            p.key("Down")
            tab_to(p, "How much does it stop your work?")
            p.key("Down")
            p.key("alt+n")
            # The report holds screenshots already, so Next passes the screenshots page by;
            # the review page leads back to it.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Edit the screenshots…", timeout_s=30))
            s.find(atspi.ROLE_LABEL, "Screenshots")
            # (e) From the page, by keyboard alone: the region offered in the middle, moved
            # right 3 steps and made 2 steps taller, taken with Enter.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Screenshot of a region…"))
            s.find(None, "Screenshot of a region", timeout_s=15)  # the overlay
            p.key("Right", "Right", "Right", "shift+Down", "shift+Down")
            d.screenshot("region-keyboard")
            p.key("Return")
            # (f) Esc on the window overlay takes nothing.
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Screenshot of a window…", timeout_s=15))
            s.find(None, "Screenshot of a window", timeout_s=15)
            p.key("Escape")
            s.find(atspi.ROLE_PUSH_BUTTON, "Screenshot of a window…", timeout_s=15)
            time.sleep(1.0)
            shots = [n for n in s.nodes() if n.role == atspi.ROLE_LIST_ITEM]
            d.screenshot("screenshots-page")
            assert len(shots) == 4, [str(n) for n in shots]
            p.key("alt+n")
            s.find(atspi.ROLE_PUSH_BUTTON, "Send", timeout_s=30)
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, "Thank you", timeout_s=30)
            d.screenshot("sent")
            extents = frame_extents(d, "Green test")
        finally:
            p.close()
    report = wait_for_bundle(out)
    bundle = next(out.iterdir())
    steps = report["steps"]
    assert [st["source"] for st in steps] == ["screenshot"] * 4
    images = []
    for st in steps:
        with Image.open(bundle / st["image"]) as img:
            images.append(img.convert("RGB"))
    whole, region, window, keyed = images
    for name, img in zip(("whole", "region", "window", "keyed"), images, strict=True):
        img.save(d.shots / f"sent-{name}.png")  # to look at, beside the journey's screenshots
    # (b): the whole screen, with the red window where it is and no Flare window on it.
    assert whole.size == (d.xs.width, d.xs.height)
    assert whole.getpixel((red[0] + 10, red[1] + 10)) == RED
    assert whole.getpixel((green[0] + 10, green[1] + 10)) == GREEN
    with Image.open(before) as img:
        assert whole.getpixel(centre) == img.convert("RGB").getpixel(centre), \
            "the My reports window is in the screenshot"
    # (c): exactly the dragged rectangle, all red but for the time stamp in its corner.
    assert region.size == (x1 - x0, y1 - y0)
    assert region.crop((0, 0, region.width, region.height // 2)).getcolors() == [
        (region.width * (region.height // 2), RED)]
    assert share(region, RED) > 0.8
    assert steps[1]["monitor"]["left"] == x0 and steps[1]["monitor"]["top"] == y0
    # (d): the green window with its title bar and borders, nothing of the desktop around.
    left, right, top, bottom = extents
    assert window.size == (green[2] + left + right, green[3] + top + bottom)
    assert steps[2]["window_title"] == "Green test"
    assert window.getpixel((left + 20, top + 20)) == GREEN
    assert share(window, GREEN) > 0.6
    assert share(window, DESKTOP) == 0.0
    assert share(window, RED) == 0.0
    # (e): the keyboard's region, cut from the screen as it was with the report window hidden.
    width, height = d.xs.width // 3, d.xs.height // 3
    left, top = (d.xs.width - width) // 2 + 3 * 10, (d.xs.height - height) // 2
    assert keyed.size == (width, height + 2 * 10)
    assert (steps[3]["monitor"]["left"], steps[3]["monitor"]["top"]) == (left, top)
    assert keyed.getpixel((green[0] + 100 - left, green[1] + 80 - top)) == GREEN
    assert keyed.getpixel((10, keyed.height - 40)) == DESKTOP, "Flare's window is in the image"
