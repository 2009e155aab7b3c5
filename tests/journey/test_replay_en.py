"""Journey (d): with instant replay on, the person adds the last moments before reporting;
the frames ticked are the frames that arrive, and Flare's own window is in none of them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import tab_to, tray_menu, type_into_focus, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]

DESKTOP = (0x33, 0x66, 0x99)


def test_replay_frames_picked_are_the_frames_sent(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "d-replay-en", language="en", tray=True) as d:
        write_settings(d.home, {"reports.folder": str(out), "reporter.email": "ann@example.org",
                                "capture.replay_enabled": True,
                                "capture.replay_interval_s": 0.5, "capture.hotkey": ""})
        d.run("xsetroot", "-solid", "#336699")
        d.start(["xmessage", "-title", "Inbox - Outlook", "-geometry", "+40+600",
                 "Cannot connect to the server. Error 0x800CCC0E"], "outlook")
        wid = d.wait_window("Inbox - Outlook")
        d.start(flare_command(), "flare")
        p = Person(d)
        try:
            s = p.screen
            time.sleep(2)
            for x in range(40, 400, 60):  # something happens on the screen before the report
                d.run("xdotool", "windowmove", wid, str(x), "600")
                time.sleep(0.6)
            tray_menu(p, d, 1, "Report a problem — Flare")
            window = s.find(atspi.ROLE_DIALOG, contains="Report a problem")
            time.sleep(1.5)  # frames would be taken now, if Flare recorded its own window
            s.find(atspi.ROLE_LIST, "Kind of problem")
            p.key("End", "alt+n")  # "Something else"
            s.find(atspi.ROLE_LABEL, "Tell us what happened")
            for name, text in (
                    ("What were you trying to do?", "Move the Outlook window out of the way."),
                    ("What happened?", "The Outlook error window jumped across the screen."),
                    ("What did you expect to happen?",
                     "The error window stays at the bottom left, where Outlook opened it.")):
                tab_to(p, name)
                type_into_focus(p, d, text, name[:10])
            tab_to(p, "Did you see an error message?")
            p.key("Right", "space")  # "No"
            tab_to(p, "Who is affected?")
            p.key("Down")
            tab_to(p, "How much does it stop your work?")
            p.key("Down")
            p.key("alt+n")
            s.find(atspi.ROLE_LABEL, "Screenshots")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Add the last minute (instant replay)"))
            moments = s.find(atspi.ROLE_LIST, "Moments of the last minute")
            d.screenshot("picker")
            items = [n for n in s.nodes() if n.role == atspi.ROLE_LIST_ITEM
                     and n.extents[0] >= moments.extents[0]
                     and n.extents[1] >= moments.extents[1]]
            ticked = [n for n in items if atspi.STATE_CHECKED in n.states]
            assert len(items) >= 3 and len(ticked) == 3, [str(n) for n in items]
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "OK"))
            s.find(atspi.ROLE_LABEL, "Screenshots")
            d.screenshot("added")
            p.key("alt+n")  # the diagnostics page asks nothing: Next passes it by
            s.find(atspi.ROLE_PUSH_BUTTON, "Send", timeout_s=30)
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, "Thank you", timeout_s=30)
        finally:
            p.close()
    report = wait_for_bundle(out)
    steps = report["steps"]
    assert [st["source"] for st in steps] == ["replay"] * 3
    times = sorted(st["captured_at"] for st in steps)
    assert [st["captured_at"] for st in steps] == times, "frames out of time order"
    bundle = next(out.iterdir())
    wx, wy, ww, wh = window.extents
    for st in steps:
        with Image.open(bundle / st["image"]) as img:
            frame = img.convert("RGB")
        scale = frame.width / d.xs.width
        centre = (int((wx + ww // 2) * scale), int((wy + wh // 3) * scale))
        assert frame.getpixel(centre) == DESKTOP, f"{st['image']} shows Flare's own window"
        # The tray menu opens under the icon, top right: Flare's too, so never in a frame.
        menu = (int((d.xs.width - 110) * scale), int(100 * scale))
        assert frame.getpixel(menu) == DESKTOP, f"{st['image']} shows Flare's tray menu"
