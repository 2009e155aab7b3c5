"""Monitor layout arithmetic and target resolution, on layouts this machine cannot show."""

from __future__ import annotations

import pytest

from capture.errors import CaptureError
from capture.geometry import (
    Monitor,
    Rect,
    clip_region,
    measured_scale,
    monitor_at,
    monitors_from_mss,
    primary_monitor,
    region_monitor,
    virtual_desktop,
)
from capture.grab import resolve_target

# A laptop (1920x1200 at 0,0, primary), a 4K monitor to its left and a portrait one above:
# negative offsets in both axes and different sizes.
MSS_LAYOUT = [
    {"left": -3840, "top": -1920, "width": 5760, "height": 3120},
    {"left": 0, "top": 0, "width": 1920, "height": 1200, "is_primary": True},
    {"left": -3840, "top": -960, "width": 3840, "height": 2160},
    {"left": 0, "top": -1920, "width": 1080, "height": 1920},
]


@pytest.fixture
def layout() -> list[Monitor]:
    return monitors_from_mss(MSS_LAYOUT)


def test_drag_in_any_direction_gives_the_same_rectangle() -> None:
    assert Rect.from_points(100, 50, 10, 5) == Rect(10, 5, 90, 45)
    assert Rect.from_points(-10, 20, 30, -40) == Rect(-10, -40, 40, 60)


def test_intersection_and_containment_respect_exclusive_edges() -> None:
    r = Rect(-100, -100, 100, 100)
    assert r.contains(-100, -100)
    assert not r.contains(0, 0)
    assert r.intersection(Rect(-1, -1, 10, 10)) == Rect(-1, -1, 1, 1)
    assert r.intersection(Rect(0, 0, 10, 10)) is None


def test_monitor_at_finds_monitors_at_negative_offsets(layout: list[Monitor]) -> None:
    assert monitor_at(layout, -1, -1).index == 2
    assert monitor_at(layout, -3840, -960).index == 2
    assert monitor_at(layout, 500, -1000).index == 3
    assert monitor_at(layout, 1919, 1199).index == 1


def test_monitor_at_a_gap_picks_the_nearest(layout: list[Monitor]) -> None:
    # (1500, -100) lies in no monitor: right of the portrait one, above the laptop.
    assert monitor_at(layout, 1500, -100).index == 1
    assert monitor_at(layout, -2000, -1500).index == 2


def test_primary_and_virtual_desktop(layout: list[Monitor]) -> None:
    assert primary_monitor(layout).index == 1
    assert virtual_desktop(layout).rect == Rect(-3840, -1920, 5760, 3120)


def test_virtual_desktop_is_computed_when_index_0_is_missing() -> None:
    mons = [Monitor(1, Rect(0, 0, 100, 100)), Monitor(2, Rect(-50, 100, 50, 30))]
    assert virtual_desktop(mons).rect == Rect(-50, 0, 150, 130)


def test_a_single_reported_area_becomes_monitor_1() -> None:
    mons = monitors_from_mss([{"left": 0, "top": 0, "width": 800, "height": 600}])
    assert [m.index for m in mons] == [0, 1]
    assert mons[1].rect == Rect(0, 0, 800, 600)


def test_region_is_clipped_to_the_desktop_and_refused_outside(layout: list[Monitor]) -> None:
    assert clip_region(Rect(1800, 1100, 500, 500), layout) == Rect(1800, 1100, 120, 100)
    with pytest.raises(ValueError, match="outside every screen"):
        clip_region(Rect(5000, 5000, 10, 10), layout)


def test_region_belongs_to_the_monitor_it_mostly_covers(layout: list[Monitor]) -> None:
    assert region_monitor(Rect(-100, 0, 300, 100), layout).index == 1
    assert region_monitor(Rect(-300, 0, 310, 100), layout).index == 2


def test_measured_scale_maps_logical_to_physical() -> None:
    assert measured_scale(Rect(0, 0, 1440, 900), (2880, 1800)) == 2.0
    assert measured_scale(Rect(0, 0, 1920, 1080), (1920, 1080)) == 1.0
    assert Monitor(1, Rect(0, 0, 1440, 900), scale=2.0).physical_size() == (2880, 1800)


def test_resolve_targets(layout: list[Monitor]) -> None:
    rect, mon, note = resolve_target(2, layout, None)
    assert (rect, mon.index, note) == (Rect(-3840, -960, 3840, 2160), 2, "")
    rect, mon, _ = resolve_target("all", layout, None)
    assert mon.index == 0 and rect.left == -3840
    rect, mon, _ = resolve_target("pointer", layout, (-10, 10))
    assert mon.index == 2
    rect, mon, note = resolve_target("pointer", layout, None)
    assert mon.index == 1 and "primary" in note
    rect, mon, _ = resolve_target(Rect(-20, -20, 40, 40), layout, None)
    assert rect == Rect(-20, -20, 40, 40)
    assert mon.info().left == -20


@pytest.mark.parametrize("bad", [0, 4, 99])
def test_unknown_monitor_numbers_say_how_many_there_are(layout: list[Monitor], bad: int) -> None:
    with pytest.raises(CaptureError, match="has 3") as info:
        resolve_target(bad, layout, None)
    assert info.value.exit_code == 2


def test_region_outside_the_desktop_is_a_usage_error(layout: list[Monitor]) -> None:
    with pytest.raises(CaptureError, match="drag over a screen"):
        resolve_target(Rect(9000, 9000, 5, 5), layout, None)
