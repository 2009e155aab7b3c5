"""The shortcuts at any time (parsing, clashes, X keysyms) and the region/window geometry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PIL import Image

from capture.geometry import Monitor, Placement, Rect
from capture.grab import Frame
from capture.hotkey import parse_hotkey
from capture.platform_info import PlatformInfo
from capture.window_pick import (
    KEY_STEP,
    MIN_SIZE,
    RegionSelection,
    WindowInfo,
    crop_box,
    crop_frame,
    window_at,
)
from capture.x11_keys import check_shortcuts, keysym_name, shortcuts_refusal

SCREEN = Rect(0, 0, 1280, 900)


def test_keysyms_for_function_named_and_letter_keys() -> None:
    assert keysym_name(parse_hotkey("<ctrl>+<shift>+<f8>").keys[0]) == "F8"
    assert keysym_name(parse_hotkey("<ctrl>+<page_down>").keys[0]) == "Next"
    assert keysym_name(parse_hotkey("<ctrl>+<alt>+<esc>").keys[0]) == "Escape"
    assert keysym_name(parse_hotkey("<ctrl>+<alt>+R").keys[0]) == "r"
    with pytest.raises(ValueError, match="key code"):
        keysym_name(parse_hotkey("<ctrl>+<65>").keys[0])


def test_empty_is_off_and_the_others_are_parsed() -> None:
    good, problems = check_shortcuts(
        {"Report a problem": "", "Screenshot now": " <ctrl>+<shift>+<F7> "}, {})
    assert problems == []
    assert list(good) == ["Screenshot now"]
    assert str(good["Screenshot now"]) == "<ctrl>+<shift>+<f7>"


def test_the_defaults_do_not_clash_with_the_recorder() -> None:
    from app.settings.declaration import declarations_by_key

    decl = {k: str(d.default) for k, d in declarations_by_key().items()}
    good, problems = check_shortcuts(
        {"Report a problem": decl["capture.report_shortcut"],
         "Screenshot now": decl["capture.screenshot_shortcut"]},
        {"Capture step": decl["capture.hotkey"]})
    assert problems == []
    assert len(good) == 2


def test_a_clash_with_the_recorder_or_each_other_is_one_line_naming_both() -> None:
    good, problems = check_shortcuts(
        {"Report a problem": "<shift>+<ctrl>+<f9>", "Screenshot now": "<ctrl>+<alt>+p",
         "Other": "<alt>+<ctrl>+P"},
        {"Capture step": "<ctrl>+<shift>+<f9>"})
    assert list(good) == ["Screenshot now"]
    assert len(problems) == 2
    assert "Ctrl+Shift+F9 for Report a problem is the same as the one for Capture step" \
        in problems[0]
    assert "for Other is the same as the one for Screenshot now" in problems[1]
    assert all("\n" not in p for p in problems)


def test_a_bad_combination_says_what_is_wrong() -> None:
    good, problems = check_shortcuts({"Report a problem": "<shift>+<f8>"}, {})
    assert good == {}
    assert len(problems) == 1 and "needs <ctrl>, <alt> or <cmd>" in problems[0]


@pytest.mark.parametrize(("platform", "words"), [
    (PlatformInfo("linux", wayland=True, x11_display=":0"), "Wayland"),
    (PlatformInfo("linux", wayland=False, x11_display=""), "DISPLAY"),
    (PlatformInfo("windows", wayland=False, x11_display=""), "not available"),
])
def test_where_the_desktop_forbids_it_says_why(platform: PlatformInfo, words: str) -> None:
    assert words in shortcuts_refusal(platform)


def test_x11_allows_it() -> None:
    assert shortcuts_refusal(PlatformInfo("linux", wayland=False, x11_display=":5")) == ""


def test_drag_in_any_direction_is_clipped_to_the_screen() -> None:
    sel = RegionSelection.centred(SCREEN)
    assert sel.dragged(300, 200, 100, 50).region == Rect(100, 50, 200, 150)
    assert sel.dragged(1200, 800, 1500, 1000).region == Rect(1200, 800, 80, 100)
    tiny = sel.dragged(10, 10, 12, 11)
    assert not tiny.usable()


def test_arrow_keys_move_and_shift_arrows_resize_within_the_screen() -> None:
    sel = RegionSelection.centred(SCREEN)
    start = sel.region
    assert start.width == 1280 // 3 and start.left == (1280 - start.width) // 2
    moved = sel.key("right").key("down")
    assert moved.region == Rect(start.left + KEY_STEP, start.top + KEY_STEP,
                                start.width, start.height)
    assert sel.key("left", fine=True).region.left == start.left - 1
    grown = sel.key("right", shift=True).key("up", shift=True)
    assert grown.region == Rect(start.left, start.top, start.width + KEY_STEP,
                                start.height - KEY_STEP)
    for _ in range(200):
        sel = sel.key("left")
    assert sel.region.left == 0
    for _ in range(200):
        sel = sel.key("up", shift=True)
    assert sel.region.height == MIN_SIZE
    assert sel.key("home") == sel


def test_crop_box_scales_from_logical_to_image_pixels() -> None:
    desktop = Rect(-1280, 0, 2560, 900)  # a monitor left of the primary one
    assert crop_box(Rect(-1280, 0, 100, 50), desktop, (2560, 900)) == (0, 0, 100, 50)
    assert crop_box(Rect(0, 10, 100, 50), desktop, (5120, 1800)) == (2560, 20, 2760, 120)
    assert crop_box(Rect(1200, 850, 200, 200), desktop, (2560, 900)) == (2480, 850, 2560, 900)


def test_crop_frame_keeps_where_the_region_was_and_its_pixels() -> None:
    image = Image.new("RGB", (1280, 900), (0, 0, 255))
    image.paste((255, 0, 0), (100, 50, 300, 200))
    frame = Frame(image, Placement(0, 0, 0, 1280, 900), datetime.now(UTC), 0.0)
    monitors = [Monitor(0, SCREEN), Monitor(1, SCREEN, primary=True)]
    out = crop_frame(frame, SCREEN, Rect(100, 50, 200, 150), monitors)
    assert out.image.size == (200, 150)
    assert out.image.getcolors() == [(200 * 150, (255, 0, 0))]
    assert (out.monitor.index, out.monitor.left, out.monitor.top) == (1, 100, 50)
    assert out.monitor.scale == 1.0
    with pytest.raises(ValueError):
        crop_frame(frame, SCREEN, Rect(2000, 2000, 10, 10), monitors)


def test_window_at_takes_the_topmost() -> None:
    top = WindowInfo(1, "Top", Rect(100, 100, 200, 200))
    below = WindowInfo(2, "Below", Rect(0, 0, 400, 400))
    assert window_at([top, below], 150, 150) is top
    assert window_at([top, below], 350, 350) is below
    assert window_at([top, below], 500, 500) is None
