"""The step recorder and the `flare capture` / `flare record` handlers, with a fake screen."""

from __future__ import annotations

import argparse
import io
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.bundle import read_bundle
from app.context import AppContext
from app.errors import FlareError
from app.report import MonitorInfo
from capture import cli
from capture.errors import CaptureError, StepLimitReachedError
from capture.export import Exporter, ExportOptions
from capture.geometry import Monitor, Rect, monitors_from_mss
from capture.grab import Frame
from capture.platform_info import PlatformInfo
from capture.recorder import StepRecorder
from capture.screen_source import RawGrab

X11 = PlatformInfo("linux", wayland=False, x11_display=":99")
T0 = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
LAYOUT = [
    {"left": -1280, "top": 0, "width": 3200, "height": 1080},
    {"left": 0, "top": 0, "width": 1920, "height": 1080, "is_primary": True},
    {"left": -1280, "top": 56, "width": 1280, "height": 1024},
]


class FakeDesktop:
    """A desktop whose pixels are a fixed random pattern, so grabs are checkable."""

    def __init__(self, layout: list[dict[str, Any]] = LAYOUT) -> None:
        self._mons = monitors_from_mss(layout)
        full = self._mons[0].rect
        rnd = random.Random(7)
        self.image = Image.frombytes(
            "RGB", (full.width, full.height), rnd.randbytes(full.width * full.height * 3)
        )
        self.origin = (full.left, full.top)
        self.grabs: list[Rect] = []
        self.closed = False

    def monitors(self) -> list[Monitor]:
        return self._mons

    def grab_raw(self, rect: Rect) -> RawGrab:
        self.grabs.append(rect)
        x, y = rect.left - self.origin[0], rect.top - self.origin[1]
        img = self.image.crop((x, y, x + rect.width, y + rect.height))
        return RawGrab(img.convert("RGBX").tobytes("raw", "BGRX"), img.width, img.height)

    def close(self) -> None:
        self.closed = True


def _frame(n: int) -> Frame:
    img = Image.new("RGB", (200, 100), (n, 100, 200))
    img.putpixel((0, 0), (255, 255, 255))
    mon = MonitorInfo(index=2, left=-1280, top=56, width=100, height=50, scale=2.0)
    return Frame(img, mon, T0, float(n))


# --------------------------------------------------------------------------- StepRecorder


def test_step_limit_holds_and_the_counter_shows_it() -> None:
    counts: list[str] = []
    grabs = iter(range(1, 100))
    rec = StepRecorder(
        lambda click: _frame(next(grabs)),
        step_limit=3,
        on_change=lambda r: counts.append(r.counter_text()),
    )
    with pytest.raises(CaptureError, match="stopped"):
        rec.capture()
    rec.start()
    for _ in range(3):
        rec.capture("  a caption  ")
    with pytest.raises(StepLimitReachedError, match="3 steps"):
        rec.capture()
    assert rec.count == 3 and rec.remaining == 0
    assert counts[-1] == "Step 3 of 3"
    assert rec.steps[0].caption == "a caption"


def test_click_points_become_image_coordinates() -> None:
    rec = StepRecorder(lambda click: _frame(1))
    rec.start()
    step = rec.capture(click=(-1230, 81))
    # Monitor origin (-1280, 56), scale 2: (50, 25) logical -> (100, 50) pixels.
    assert step.click == (100, 50)


def test_export_numbers_steps_in_order_after_removal() -> None:
    rec = StepRecorder(lambda click: _frame(len(rec.steps) + 1))
    rec.start()
    for caption in ("open", "click save", "error shown"):
        rec.capture(caption)
    rec.remove(1)
    rec.set_caption(1, "the error")
    steps, files = rec.export(Exporter(ExportOptions(fmt="png", tz=UTC)))
    assert [s.image for s in steps] == ["step-001.png", "step-002.png"]
    assert [s.caption for s in steps] == ["open", "the error"]
    assert all(s.source == "step" for s in steps)
    assert set(files) == {"step-001.png", "step-002.png"}
    assert files["step-002.png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_zero_step_limit_is_refused() -> None:
    with pytest.raises(ValueError):
        StepRecorder(lambda click: _frame(1), step_limit=0)


# --------------------------------------------------------------------------- CLI


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="flare")
    cli.register(parser.add_subparsers())
    return parser.parse_args(list(argv))


def test_capture_each_monitor_writes_stamped_images_and_metadata(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    desk = FakeDesktop()
    out = io.StringIO()
    rc = cli.run_capture(
        _args("capture", "--each", "--format", "png", "--out", str(tmp_path / "shots")),
        ctx,
        X11,
        lambda p: desk,
        out,
    )
    assert rc == 0 and desk.closed
    written = out.getvalue().split()
    assert len(written) == 2
    sizes = sorted(Image.open(p).size for p in written)
    assert sizes == [(1280, 1024), (1920, 1080)]
    meta = json.loads(Path(written[0]).with_suffix(".json").read_text())
    assert meta["monitor"]["index"] in (1, 2) and meta["captured_at"]


def test_capture_region_matches_the_desktop_outside_the_stamp(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__stamp_corner="bottom-right")
    desk = FakeDesktop()
    out = io.StringIO()
    cli.run_capture(
        _args("capture", "--region=-100,100,400,300", "--format", "png", "--out", str(tmp_path)),
        ctx,
        X11,
        lambda p: desk,
        out,
    )
    img = Image.open(out.getvalue().strip()).convert("RGB")
    ox, oy = desk.origin
    expected = desk.image.crop((-100 - ox, 100 - oy, -100 - ox + 400, 100 - oy + 300))
    assert img.crop((0, 0, 400, 200)).tobytes() == expected.crop((0, 0, 400, 200)).tobytes()


def test_capture_list_prints_the_layout(tmp_path: Path) -> None:
    out = io.StringIO()
    rc = cli.run_capture(
        _args("capture", "--list"),
        AppContext.for_tests(tmp_path),
        X11,
        lambda p: FakeDesktop(),
        out,
    )
    assert rc == 0
    assert out.getvalue().splitlines() == ["1: 1920x1080 at (0, 0)", "2: 1280x1024 at (-1280, 56)"]


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (("capture", "--monitor", "left"), "monitor number"),
        (("capture", "--region", "1,2,3"), "X,Y,WIDTH,HEIGHT"),
        (("capture", "--region", "0,0,0,5"), "positive"),
        (("capture", "--max-size", "big"), "WIDTHxHEIGHT"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, argv: tuple[str, ...], match: str) -> None:
    with pytest.raises(FlareError, match=match) as info:
        cli.run_capture(
            _args(*argv),
            AppContext.for_tests(tmp_path),
            X11,
            lambda p: FakeDesktop(),
            io.StringIO(),
        )
    assert info.value.exit_code == 2


def test_policy_can_turn_capture_off(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__enabled=False)
    with pytest.raises(FlareError, match="policy") as info:
        cli.run_capture(_args("capture"), ctx, X11, lambda p: FakeDesktop(), io.StringIO())
    assert info.value.exit_code == 3


def test_record_from_the_terminal_writes_a_bundle(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    out = io.StringIO()
    lines = ["opened the invoice\n", "\n", "pressed Save, error\n", "q\n", "ignored\n"]
    rc = cli.run_record(
        _args("record", "--monitor", "2"),
        ctx,
        X11,
        lambda p: FakeDesktop(),
        lines,
        out,
        lambda s: None,
    )
    assert rc == 0
    bundle = read_bundle(Path(out.getvalue().splitlines()[-1]))
    assert bundle.path is not None and bundle.path.parent == ctx.dirs.reports
    steps = bundle.report.steps
    assert [s.caption for s in steps] == ["opened the invoice", "", "pressed Save, error"]
    assert [s.image for s in steps] == ["step-001.webp", "step-002.webp", "step-003.webp"]
    assert all(s.monitor and s.monitor.index == 2 for s in steps)
    assert Image.open(io.BytesIO(bundle.files["step-003.webp"])).size == (1280, 1024)


def test_record_stops_at_the_step_limit_from_policy(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__step_limit=2)
    out = io.StringIO()
    cli.run_record(
        _args("record"), ctx, X11, lambda p: FakeDesktop(), ["a\n"] * 10, out, lambda s: None
    )
    assert "step limit reached" in out.getvalue()
    bundle = read_bundle(Path(out.getvalue().splitlines()[-1]))
    assert len(bundle.report.steps) == 2


def test_record_on_a_timer_stops_after_n_steps(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    sleeps: list[float] = []
    out = io.StringIO()
    rc = cli.run_record(
        _args("record", "--interval", "2.5", "--steps", "4", "--zip"),
        ctx,
        X11,
        lambda p: FakeDesktop(),
        [],
        out,
        sleeps.append,
    )
    assert rc == 0
    assert sleeps == [2.5, 2.5, 2.5]
    path = Path(out.getvalue().splitlines()[-1])
    assert path.suffix == ".zip"
    assert len(read_bundle(path).report.steps) == 4


def test_record_with_no_steps_writes_nothing(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path)
    out = io.StringIO()
    rc = cli.run_record(
        _args("record"), ctx, X11, lambda p: FakeDesktop(), ["q\n"], out, lambda s: None
    )
    assert rc == 1
    assert not ctx.dirs.reports.exists() or not any(ctx.dirs.reports.iterdir())


def test_record_bundles_name_the_reporter_machine_and_version_the_window_names(
        tmp_path: Path) -> None:
    """`flare record` as the application's command line wires it: the same reporter, machine
    and Flare version as a report from the window, never "Reporter: unknown"."""
    from app.cli import build_parser
    from app.identity import report_identity
    from app.version import flare_version

    ctx = AppContext.for_tests(tmp_path, reporter__name="Ann Example",
                               reporter__email="ann@example.org")
    args = build_parser(["capture.cli"]).parse_args(["record", "--monitor", "2"])
    out = io.StringIO()
    rc = cli.run_record(args, ctx, X11, lambda p: FakeDesktop(), ["first\n", "q\n"], out,
                        lambda s: None, identity=args.report_identity)
    assert rc == 0
    bundle = read_bundle(Path(out.getvalue().splitlines()[-1]))
    reporter, machine = report_identity(ctx)
    assert bundle.report.reporter == reporter
    assert (bundle.report.reporter.name, bundle.report.reporter.email) == (
        "Ann Example", "ann@example.org")
    assert bundle.report.machine == machine and machine.flare_version == flare_version() != ""
    assert "Ann Example" in bundle.html and "<td>unknown<" not in bundle.html


def test_a_step_grabbed_at_a_click_keeps_its_description_into_report_json() -> None:
    from capture.recorder import StepRecorder as Recorder

    monitor = MonitorInfo(index=1, left=100, top=50, width=40, height=30, scale=1.0)
    frame = Frame(Image.new("RGB", (40, 30), (9, 9, 9)), monitor, T0, 1.0)
    rec = Recorder(lambda _click: frame, step_limit=2)
    with pytest.raises(CaptureError, match="stopped"):
        rec.add(frame, click=(110, 60), description="Left click")
    rec.start()
    step = rec.add(frame, click=(110, 60), description=" Left click on 'Send' (button) ")
    assert step.click == (10, 10), "desktop point turned into image pixels"
    rec.set_description(0, "Left click on 'Send' (button) in 'Mail' (Outlook)")
    rec.add(frame, description="Typed into 'Password' (password field)")
    with pytest.raises(StepLimitReachedError):
        rec.add(frame)
    steps, _files = rec.export(Exporter(ExportOptions()))
    assert [s.description for s in steps] == [
        "Left click on 'Send' (button) in 'Mail' (Outlook)",
        "Typed into 'Password' (password field)",
    ]
    assert json.loads(steps[0].model_dump_json())["description"].startswith("Left click")


def test_a_click_step_carries_a_numbered_marker_as_shapes_and_an_original_without() -> None:
    import io as _io

    from capture.markers import is_marker

    monitor = MonitorInfo(index=1, left=0, top=0, width=400, height=300, scale=1.0)
    frame = Frame(Image.new("RGB", (400, 300), (240, 240, 240)), monitor, T0, 1.0)
    rec = StepRecorder(lambda _click: frame, step_limit=5)
    rec.start()
    rec.capture("by hand")
    rec.add(frame, click=(200, 150), description="Left click on 'OK' (button)")
    originals: dict[str, bytes] = {}
    steps, files = rec.export(Exporter(ExportOptions(fmt="png")), first=3, originals=originals)
    assert steps[0].annotations == [] and steps[0].image not in originals
    marker = steps[1].annotations
    assert [a.kind for a in marker] == ["box", "text"] and marker[1].text == "4"
    assert all(is_marker(a) for a in marker)
    box = marker[0]
    assert box.x < 200 < box.x + box.w and box.y < 150 < box.y + box.h

    def red_at(data: bytes, x: int, y: int) -> bool:
        with Image.open(_io.BytesIO(data)) as img:
            r, g, _b = img.convert("RGB").getpixel((x, y))  # type: ignore[misc]
        return r > 180 and g < 100

    edge = (box.x + 1, 150)
    assert red_at(files[steps[1].image], *edge), "the marker is drawn on what is sent"
    assert not red_at(originals[steps[1].image], *edge), "and absent from the original"
    assert "clicked at" not in steps[1].note, "nothing burnt in beyond the shapes"


def test_record_clicks_on_wayland_says_once_why_and_records_with_enter(tmp_path: Path) -> None:
    """Not an error: the desktop's limits are said once, and Enter takes the steps."""
    ctx = AppContext.for_tests(tmp_path)
    wayland = PlatformInfo("linux", wayland=True, x11_display=":0")
    out = io.StringIO()
    rc = cli.run_record(_args("record", "--clicks", "--out", str(tmp_path / "r")), ctx, wayland,
                        lambda p: FakeDesktop(), ["\n", "\n", "q\n"], out, lambda s: None)
    said = out.getvalue()
    assert rc == 0, said
    assert said.count("Wayland does not let an application see clicks") == 1, said
    assert "Enter in the terminal" in said
    assert said.count("captured:") == 2, said


def test_a_step_prepared_between_clicks_is_not_encoded_again_at_export() -> None:
    monitor = MonitorInfo(index=1, left=0, top=0, width=200, height=100, scale=1.0)
    frame = Frame(Image.new("RGB", (200, 100), (200, 200, 200)), monitor, T0, 1.0)
    rec = StepRecorder(lambda _click: frame, step_limit=5)
    rec.start()
    ahead = rec.add(frame, click=(50, 50), description="Left click on 'A' (button)")
    late = rec.add(frame, click=(150, 50), description="Left click on 'B' (button)")
    options = ExportOptions(fmt="png")
    rec.prepare(ahead, Exporter(options), first=4)
    made: list[str] = []

    class Counting(Exporter):
        def prepare(self, frame: Frame, **kw: Any) -> Any:  # type: ignore[override]
            made.append(kw["name_stem"])
            return super().prepare(frame, **kw)

    originals: dict[str, bytes] = {}
    steps, files = rec.export(Counting(options), first=4, originals=originals)
    assert made == ["step-005"], "only the step not made ahead is made at export"
    assert [s.image for s in steps] == ["step-004.png", "step-005.png"]
    assert set(originals) == {"step-004.png", "step-005.png"}
    again = StepRecorder(lambda _click: frame, step_limit=5)
    again.start()
    again.add(frame, click=(50, 50), description="x")
    _, fresh = again.export(Exporter(options), first=4)
    assert files["step-004.png"] == fresh["step-004.png"], "made ahead = made at export"
    renumbered, _ = rec.export(Counting(options), first=1)
    assert "step-001" in made, "another numbering is another image: made again"
    assert late.description.endswith("'B' (button)")
    assert renumbered[0].image == "step-001.png"
