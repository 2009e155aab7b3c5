"""Journey (e): the person covers the error window in the screenshot with a redaction drawn
with the mouse; the image that reaches the destination is solid there."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.journey import atspi
from tests.journey.desktop import Person, desktop, flare_command, write_settings
from tests.journey.steps import answer_outlook_case, show_outlook_error, wait_for_bundle

pytestmark = [pytest.mark.journey, pytest.mark.xvfb, pytest.mark.slow]


def _drag(p: Person, start: tuple[int, int], end: tuple[int, int]) -> None:
    p.d.run("xdotool", "mousemove", "--sync", str(start[0]), str(start[1]), "mousedown", "1")
    for i in range(1, 6):  # a hand moves in steps, not in one jump
        x = start[0] + (end[0] - start[0]) * i // 5
        y = start[1] + (end[1] - start[1]) * i // 5
        p.d.run("xdotool", "mousemove", "--sync", str(x), str(y))
    p.d.run("xdotool", "mouseup", "1")
    p.clicks += 1


def test_a_redaction_drawn_with_the_mouse_is_solid_in_what_is_sent(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    with desktop(tmp_path, "e-redact-en", language="en") as d:
        write_settings(d.home, {"reports.folder": str(out), "reporter.email": "ann@example.org"})
        d.run("xsetroot", "-solid", "#336699")  # a desktop that is not black like the cover
        show_outlook_error(d)
        d.start([*flare_command(), "report"], "flare")
        d.wait_window("Report a problem")
        p = Person(d)
        try:
            s = p.screen
            answer_outlook_case(p, d)
            p.key("alt+n")  # the report holds the screenshot: on to the review
            s.find(atspi.ROLE_LABEL, "Check what will be sent", timeout_s=30)
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Edit the screenshots…"))
            s.find(atspi.ROLE_LABEL, "Screenshots")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Annotate or hide details…"))
            canvas = s.find(None, "Screenshot with annotations", timeout_s=15)
            p.click(s.find(None, "Redact"))  # a toggle button: one tool at a time
            cx, cy = canvas.centre
            w, h = canvas.extents[2], canvas.extents[3]
            # The error window sits in the middle of the screen, so in the middle of the image.
            _drag(p, (cx - w // 5, cy - h // 8), (cx + w // 5, cy + h // 8))
            d.screenshot("redacted")
            p.click(s.find(atspi.ROLE_PUSH_BUTTON, "Done"))
            s.find(atspi.ROLE_LABEL, "Screenshots")
            p.key("alt+n")  # the diagnostics page asks nothing: Next passes it by
            s.find(atspi.ROLE_PUSH_BUTTON, "Send", timeout_s=30)
            d.screenshot("review")
            p.key("alt+s")
            s.find(atspi.ROLE_LABEL, "Thank you", timeout_s=30)
        finally:
            p.close()
    report = wait_for_bundle(out)
    [step] = report["steps"]
    assert [a["kind"] for a in step["annotations"]] == ["redact"]
    bundle = next(out.iterdir())
    image = Image.open(io.BytesIO((bundle / step["image"]).read_bytes())).convert("RGB")
    # The middle of the image, where the error text was, holds one colour only.
    iw, ih = image.size
    middle = image.crop((iw // 2 - iw // 12, ih // 2 - ih // 20, iw // 2 + iw // 12,
                         ih // 2 + ih // 20))
    colours = middle.getcolors(maxcolors=16)
    assert colours is not None and len(colours) == 1, f"not solid: {colours and len(colours)}"
    assert colours[0][1] == (0, 0, 0), f"the middle is {colours[0][1]}, not the black cover"
    assert image.getpixel((5, ih // 2)) != (0, 0, 0), "the desktop beside it is covered too"
