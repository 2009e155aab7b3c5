"""Capture on a real X server (Xvfb): known content painted by Qt in a subprocess must come
back pixel for pixel, on one 1080p screen, one 4K screen and a two-monitor layout."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app.bundle import read_bundle
from app.context import AppContext
from app.report import Annotation
from capture import cli
from capture.export import Exporter, ExportOptions
from capture.geometry import Rect
from capture.grab import Grabber, MssSource, open_source
from capture.platform_info import PlatformInfo
from capture.replay import ReplayBuffer, ReplayRecorder
from capture.stamp import StampPolicy
from tests.integration.xserver import XServer, known_content, painted, start_xvfb

pytestmark = pytest.mark.xvfb

LAYOUTS = {
    "1080p": [(1920, 1080)],
    "4k": [(3840, 2160)],
    "two-monitors": [(1920, 1080), (1280, 1024)],
}


def grabber_for(server: XServer) -> Grabber:
    platform = PlatformInfo.detect(server.env())
    return Grabber(MssSource(platform), platform, clock=lambda: datetime.now(UTC))


@pytest.fixture(params=list(LAYOUTS), ids=list(LAYOUTS))
def desktop(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[XServer, list[Image.Image]]]:
    with start_xvfb(LAYOUTS[request.param]) as server:
        contents = [
            known_content(w, h, seed=i + 1) for i, (_l, _t, w, h) in enumerate(server.monitors)
        ]
        placed = [(img, m[0], m[1]) for img, m in zip(contents, server.monitors, strict=True)]
        with painted(server, tmp_path, placed):
            yield server, contents


def test_each_monitor_matches_pixel_for_pixel(desktop: tuple[XServer, list[Image.Image]]) -> None:
    server, contents = desktop
    g = grabber_for(server)
    try:
        monitors = [m for m in g.monitors() if m.index > 0]
        assert [
            (m.rect.left, m.rect.top, m.rect.width, m.rect.height) for m in monitors
        ] == server.monitors
        for m, expected in zip(monitors, contents, strict=True):
            frame = g.grab(m.index)
            assert frame.image.size == expected.size
            assert frame.image.tobytes() == expected.tobytes()
            assert (frame.monitor.left, frame.monitor.width, frame.monitor.scale) == (
                m.rect.left,
                m.rect.width,
                1.0,
            )
    finally:
        g.source.close()


def test_whole_desktop_and_a_region_across_monitors(
    desktop: tuple[XServer, list[Image.Image]],
) -> None:
    server, contents = desktop
    expected = Image.new("RGB", (server.width, server.height))
    for img, (left, top, _w, _h) in zip(contents, server.monitors, strict=True):
        expected.paste(img, (left, top))
    g = grabber_for(server)
    try:
        whole = g.grab("all")
        # Areas outside every monitor (below a shorter one) hold no painted content.
        for left, top, w, h in server.monitors:
            box = (left, top, left + w, top + h)
            assert whole.image.crop(box).tobytes() == expected.crop(box).tobytes()
        region = Rect(server.monitors[0][2] - 300, 100, 600, 400)
        region = Rect(max(0, region.left), 100, min(600, server.width - max(0, region.left)), 400)
        frame = g.grab(region)
        box = (region.left, region.top, region.right, region.bottom)
        assert frame.image.tobytes() == expected.crop(box).tobytes()
        assert (frame.monitor.left, frame.monitor.top) == (region.left, region.top)
    finally:
        g.source.close()


def _contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    def lum(c: tuple[int, ...]) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("corner", ["bottom-right", "top-left"])
def test_exported_stamp_is_legible_and_where_policy_says(tmp_path: Path, corner: str) -> None:
    # Busy, mid-grey-ish content: the hardest background for a stamp.
    busy = known_content(1920, 1080, 3)
    with start_xvfb([(1920, 1080)]) as server, painted(server, tmp_path, [(busy, 0, 0)]):
        g = grabber_for(server)
        try:
            frame = g.grab(1)
        finally:
            g.source.close()
    exporter = Exporter(ExportOptions(fmt="png", stamp=StampPolicy(corner=corner)))  # type: ignore[arg-type]
    _step, data = exporter.export(frame, name_stem="s", step_number=7)
    exported = Image.open(io.BytesIO(data)).convert("RGB")
    bbox = ImageChops.difference(exported, frame.image).getbbox()
    assert bbox is not None, "no stamp was drawn"
    left, top, right, bottom = bbox
    assert (right - left) < 700 and (bottom - top) < 80
    assert (left < 960) == corner.endswith("left") and (top < 540) == corner.startswith("top")
    colours = [c for _n, c in exported.crop(bbox).getcolors(1 << 20) or []]
    by_lum = sorted(colours, key=lambda c: sum(c))
    assert _contrast(by_lum[-1], by_lum[0]) >= 7.0
    # Most of the plate is one dark colour and the text is near white.
    counts = sorted(exported.crop(bbox).getcolors(1 << 20) or [], reverse=True)
    assert sum(counts[0][1]) < 100 and sum(by_lum[-1]) > 700


@pytest.mark.parametrize("fmt", ["webp", "png"])
def test_redacted_pixels_are_uniform_in_the_exported_file(tmp_path: Path, fmt: str) -> None:
    content = known_content(1920, 1080, 5)
    with start_xvfb([(1920, 1080)]) as server, painted(server, tmp_path, [(content, 0, 0)]):
        g = grabber_for(server)
        try:
            frame = g.grab(1)
        finally:
            g.source.close()
    redact = Annotation(kind="redact", x=300, y=200, w=500, h=150, color="#000000")
    _step, data = Exporter(ExportOptions(fmt=fmt)).export(  # type: ignore[arg-type]
        frame, name_stem="s", step_number=1, annotations=[redact]
    )
    exported = Image.open(io.BytesIO(data)).convert("RGB")
    assert exported.crop((300, 200, 800, 350)).getcolors() == [(500 * 150, (0, 0, 0))]
    assert (
        exported.crop((0, 400, 1920, 800)).tobytes() == content.crop((0, 400, 1920, 800)).tobytes()
    )


def test_flare_record_on_x_honours_the_step_limit(tmp_path: Path) -> None:
    ctx = AppContext.for_tests(tmp_path, capture__step_limit=3)
    with start_xvfb([(1920, 1080), (1280, 1024)]) as server:
        placed = [(known_content(1920, 1080, 1), 0, 0), (known_content(1280, 1024, 2), 1920, 0)]
        with painted(server, tmp_path, placed):
            args = _parse("record", "--monitor", "2", "--format", "png")
            out = io.StringIO()
            rc = cli.run_record(
                args,
                ctx,
                PlatformInfo.detect(server.env()),
                open_source,
                [f"step {i}\n" for i in range(6)],
                out,
                lambda s: None,
            )
    assert rc == 0
    assert "step limit reached" in out.getvalue()
    bundle = read_bundle(Path(out.getvalue().splitlines()[-1]))
    assert [s.caption for s in bundle.report.steps] == ["step 0", "step 1", "step 2"]
    img = Image.open(io.BytesIO(bundle.files["step-001.png"])).convert("RGB")
    assert img.size == (1280, 1024)
    assert img.crop((0, 0, 1280, 600)).tobytes() == placed[1][0].crop((0, 0, 1280, 600)).tobytes()


def _parse(*argv: str) -> object:
    import argparse

    parser = argparse.ArgumentParser(prog="flare")
    cli.register(parser.add_subparsers())
    return parser.parse_args(list(argv))


@pytest.mark.slow
def test_replay_bounds_hold_on_a_changing_and_a_static_screen(tmp_path: Path) -> None:
    content = known_content(1920, 1080, 9)
    with start_xvfb([(1920, 1080)]) as server:
        platform = PlatformInfo.detect(server.env())
        # Changing: the painter rewrites a strip every 0.1 s; window 1 s, frame every 0.1 s.
        with painted(server, tmp_path, [(content, 0, 0)], tick=0.1):
            buf = ReplayBuffer(seconds=1.0, interval_s=0.1, max_bytes=30 * 1024 * 1024)
            rec = ReplayRecorder(buf, lambda: MssSource(platform), clock=lambda: datetime.now(UTC))
            rec.start()
            time.sleep(2.5)
            rec.stop()
        entries = buf.entries()
        assert rec.ticks >= 15
        assert 2 <= len(entries) <= buf.max_frames
        assert entries[-1].last_seen_s - entries[0].monotonic_s <= 1.0 + 0.1 + 0.05
        assert buf.memory_bytes <= buf.max_bytes
        last = buf.frame(len(entries) - 1).image
        assert (
            last.crop((0, 100, 1920, 1080)).tobytes()
            == content.crop((0, 100, 1920, 1080)).tobytes()
        )

        # Static: after the first frame, every grab is skipped and nothing more is stored.
        with painted(server, tmp_path, [(content, 0, 0)]):
            buf = ReplayBuffer(seconds=5.0, interval_s=0.1)
            rec = ReplayRecorder(buf, lambda: MssSource(platform), clock=lambda: datetime.now(UTC))
            rec.start()
            time.sleep(1.5)
            rec.stop()
        assert len(buf) == 1
        assert buf.skipped >= 8
